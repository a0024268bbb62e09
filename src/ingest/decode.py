"""Bytes → text, never trusting the file.

Order: size cap → empty → BOM → binary sniffing (magic bytes, NUL-heavy) → strict UTF-8 →
declared charset (HTML), verified by a strict decode → charset-normalizer, only when there is
enough text to judge → cp1252 as the last resort, flagged in ``warnings``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

from .errors import BinaryInput, EmptyInput, TooLarge, Undecodable
from .model import ArticleWarning

# Magic numbers of formats that are never article text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 media"),
    (b"\x00\x00\x00\x20ftyp", "MP4 media"),
    (b"\x00\x00\x00\x1cftyp", "MP4 media"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc/xls)"),
    (b"\xca\xfe\xba\xbe", "Java class file"),
    (b"\x00asm", "WebAssembly module"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: labels that browsers decode as windows-1252.
_AS_CP1252 = {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "cp819"}
# C0 controls other than tab, newline, carriage return and form feed; DEL and the C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
DETECT_MIN_BYTES = 64  # below this, statistical detection is a coin toss
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float | None
    warnings: tuple[ArticleWarning, ...] = ()


def sniff_binary(data: bytes) -> str | None:
    """Name of the binary format ``data`` starts with, or None."""
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            if magic == b"MZ" and (len(data) < 64 or b"This program" not in data[:512]):
                continue  # "MZ" alone is too weak: plenty of text starts with those letters
            return name
    return None


def _utf32_without_bom(data: bytes) -> str | None:
    """UTF-32 text without a BOM: every code point is four bytes, the high one always NUL.

    Text (Unicode stops at U+10FFFF) leaves byte 3 of every LE unit (byte 0 of every BE unit)
    NUL and byte 2 (byte 1) at most 0x10; the low byte is mostly not NUL. The strict decode
    that follows confirms it.
    """
    sample = data[: 4096 - 4096 % 4]
    if len(sample) < 8 or len(data) % 4:
        return None
    b0, b1, b2, b3 = (sample[i::4] for i in range(4))
    units = len(b0)
    if not b3.strip(b"\x00") and max(b2) <= 0x10 and b0.count(0) < 0.1 * units:
        return "utf-32-le"
    if not b0.strip(b"\x00") and max(b1) <= 0x10 and b3.count(0) < 0.1 * units:
        return "utf-32-be"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII-range characters leave NULs on every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _normalise_label(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


# The ASCII controls of _CONTROL_RE as bytes (their UTF-8 is themselves, and no other character's
# UTF-8 holds a byte below 0x80), and its C1 controls U+0080..U+009F, which UTF-8 writes as 0xC2
# followed by 0x80..0x9F (0xC2 leads only U+0080..U+00BF). Linear: a literal and one class.
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_C1_UTF8_RE = re.compile(b"\xc2[\x80-\x9f]")


def _count_controls(sample: str) -> int:
    """``len(_CONTROL_RE.findall(sample))``, counted on the UTF-8 bytes: C's ``bytes.translate``
    and a search for the rare 0xC2 lead byte instead of a regex step per character."""
    raw = sample.encode("ascii") if sample.isascii() else sample.encode("utf-8", "surrogatepass")
    n = len(raw) - len(raw.translate(None, _ASCII_CONTROLS))
    if not sample.isascii() and b"\xc2" in raw:
        n += len(_C1_UTF8_RE.findall(raw))
    return n


def _check_text(text: str, encoding: str) -> None:
    """Reject decoded text that is mostly control characters (binary that happened to decode)."""
    sample = text[:8192]
    if not sample:
        return
    controls = _count_controls(sample)
    if controls > 0.1 * len(sample):
        raise BinaryInput(
            f"decoded as {encoding}, {controls * 100 // len(sample)}% of the characters are control "
            "characters: this looks like binary data, not text",
        )


def _break_tie(best: Any, matches: list[Any]) -> tuple[str, float, ArticleWarning | None]:
    """(encoding, confidence, warning) from charset-normalizer's candidates.

    On short Latin text several single-byte code pages are equally "clean" (cp1250, cp1252,
    cp1257 score the same chaos and language coherence on mostly-ASCII prose) and the detector's order among them is
    arbitrary: Spanish ``ñ`` came out as Polish ``ń``. Among the candidates tied with the best,
    cp1252 wins (the web's Western default, as browsers fall back to it), and the confidence is
    divided by the number of tied candidates that give a different text, with a warning naming
    them — the choice is recorded as the guess it is.
    """
    tied = [
        m
        for m in matches
        if m.encoding
        and float(m.chaos) <= float(best.chaos) + 0.0005
        and float(m.coherence) >= float(best.coherence) - 0.0005
    ]
    chosen = next((m for m in tied if m.encoding == "cp1252" or "cp1252" in m.could_be_from_charset), best)
    # could_be_from_charset: code pages giving the very same text; name it cp1252 when it is one
    enc = "cp1252" if "cp1252" in (chosen.encoding, *chosen.could_be_from_charset) else chosen.encoding
    base = max(0.0, 1.0 - float(chosen.chaos))
    chosen_text = str(chosen)
    rivals = sorted({m.encoding for m in tied if m is not chosen and str(m) != chosen_text})
    if not rivals:
        return enc, round(base, 3), None
    return (
        enc,
        round(base / (1 + len(rivals)), 3),
        ArticleWarning(
            "encoding_guessed",
            f"{len(rivals) + 1} encodings fit this text equally well ({', '.join([enc, *rivals])}); decoded as {enc}",
        ),
    )


# Linear: one character class, each run of escaped bytes matched once.
_ESCAPED_RUN_RE = re.compile("[\udc80-\udcff]+")
# Linear: one character class. What does not count as evidence of UTF-8: ASCII, escaped bytes,
# and what accidental "valid" pairs in single-byte text decode to (a capital letter or ß followed
# by a quote or dash): C1 controls, combining marks, Hebrew and Arabic points, Syriac, Thaana, NKo.
_NOT_UTF8_CHAR_RE = re.compile("[\x00-\x9f\u0300-\u036f\u0591-\u05cf\u064b-\u065f\u0700-\u07ff\udc80-\udcff]+")
# Single-byte code pages an invalid run inside UTF-8 text may be in (what old dumps and
# templates were written in); anything else is too rare to beat cp1252 on a few bytes.
_SINGLE_BYTE = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "iso8859_2",
    "iso8859_5",
    "iso8859_7",
    "iso8859_15",
    "koi8_r",
    "koi8_u",
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
MIXED_MIN_CHARS = 2  # valid UTF-8 characters (U+00A0 and above) that make UTF-8 the base


def _decode_mostly_utf8(data: bytes, *, declared_utf8: bool = False) -> Decoded | None:
    """UTF-8 text with foreign runs: valid UTF-8 decoded as UTF-8, each invalid run by one single-byte guess.

    Real files mix encodings: a UTF-8 dump appended to with cp1252 text, a UTF-8 page with a
    Latin-1 ``alt`` text pasted into its template, or a byte or two damaged in transit. Decoding
    the whole file in one single-byte code page turns every UTF-8 character into mojibake, so
    when UTF-8 is the base — at least two real UTF-8 characters, at least one for every eight
    invalid runs, at most 60 % of the bytes invalid and at least 10 % ASCII (text has spaces and
    punctuation; noise does not) — only the invalid runs are decoded otherwise: by cp1252 (the web's Western
    default), or by the single-byte code page that detection prefers when the runs hold enough
    bytes to judge. None when UTF-8 is not the base (the caller then detects as before).

    A file that declares UTF-8 (``<meta charset="utf-8">``) with only a few invalid bytes (at most
    2 %, the damage of a transfer or a paste) is decoded the same local way, never by a whole-file
    guess that a handful of bytes cannot support (cp1250 or mac_latin2 for one stray byte); when
    it has no UTF-8 character at all, the result names the single-byte code page it was decoded as.
    """
    text = data.decode("utf-8", "surrogateescape")  # each invalid byte becomes U+DC80..U+DCFF
    runs = _ESCAPED_RUN_RE.findall(text)
    bad = sum(map(len, runs))
    # Characters from valid UTF-8 sequences, C1 controls (U+0080..U+009F) not counted: those are
    # what accidental "valid" pairs in single-byte text decode to.
    good = len(_NOT_UTF8_CHAR_RE.sub("", text)) if runs else 0
    ascii_bytes = len(data.translate(None, _HIGH_BYTES))
    if declared_utf8 and runs and 50 * bad <= len(data) and 10 * ascii_bytes >= len(data):
        pass  # the page says UTF-8 and only a few bytes disagree: trust it
    elif good < MIXED_MIN_CHARS or 8 * good < len(runs) or 10 * bad > 6 * len(data) or 10 * ascii_bytes < len(data):
        return None  # not UTF-8 based, or noise (random high bytes hold "valid" pairs by chance)
    raw_runs = [run.encode("utf-8", "surrogateescape") for run in runs]
    codec = _guess_single_byte(raw_runs)

    def sub(m: re.Match[str]) -> str:
        return m.group(0).encode("utf-8", "surrogateescape").decode(codec, "replace")

    fixed = _ESCAPED_RUN_RE.sub(sub, text)
    if not good:
        # Not one UTF-8 character: the declaration is all that said UTF-8, and the bytes refute it.
        # The page is the single-byte text the runs were decoded as (the same text, byte for byte),
        # reported as such; the caller adds ``declared_charset_wrong``.
        _check_text(fixed, codec)
        guessed = ArticleWarning(
            "encoding_guessed",
            f"{bad:,} non-ASCII byte(s), none of them UTF-8: decoded as {codec}, a guess so few bytes allow",
        )
        return Decoded(fixed, codec, min(0.5, round(1 - bad / len(data), 3)), (guessed,))
    _check_text(fixed, "utf-8")
    return Decoded(
        fixed,
        "utf-8",
        round(good / (good + bad), 3) if good else round(1 - bad / len(data), 3),
        (
            ArticleWarning(
                "mixed_encoding",
                f"{bad:,} byte(s) in {len(runs):,} place(s) are not UTF-8; decoded those as {codec}, the rest as UTF-8",
            ),
        ),
    )


def _guess_single_byte(runs: list[bytes]) -> str:
    """The single-byte code page for the invalid runs of a mostly-UTF-8 file: cp1252, unless
    detection prefers another."""
    joined = b" ".join(runs)
    if len(joined) < DETECT_MIN_BYTES:
        return "cp1252"
    from charset_normalizer import from_bytes

    matches = from_bytes(joined[:65536], cp_isolation=list(_SINGLE_BYTE))
    best = matches.best()
    if best is None or not best.encoding:
        return "cp1252"
    enc, _confidence, _warning = _break_tie(best, list(matches))
    try:
        codecs.lookup(enc)
    except LookupError:
        return "cp1252"
    return enc


def decode_bytes(
    data: bytes,
    *,
    declared: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Decoded:
    """Decode untrusted bytes to text.

    Args:
        data: the raw input.
        declared: a charset the document declares (HTML ``<meta charset>``); used only if a
            strict decode with it succeeds.
        max_bytes: inputs larger than this are rejected.

    Raises:
        TooLarge, EmptyInput, BinaryInput, Undecodable.
    """
    if len(data) > max_bytes:
        raise TooLarge(
            f"input is {len(data):,} bytes, over the {max_bytes:,}-byte cap (raise --max-bytes to accept it)"
        )
    if not data.strip():
        raise EmptyInput("input is empty or only whitespace")

    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc)
            except UnicodeDecodeError as e:
                raise Undecodable(
                    f"starts with a {enc} byte-order mark but is not valid {enc}: {e.reason} at byte {e.start}"
                ) from None
            if not text.strip():
                raise EmptyInput("input holds only a byte-order mark and whitespace")
            _check_text(text, enc)
            return Decoded(text, enc, 1.0)

    kind = sniff_binary(data)
    if kind:
        raise BinaryInput(f"input is a {kind}, not text")

    wide = _utf32_without_bom(data) or _utf16_without_bom(data)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            pass
        else:
            _check_text(text, wide)
            return Decoded(
                text,
                wide,
                0.9,
                (ArticleWarning("encoding_guessed", f"no byte-order mark; decoded as {wide} from its NUL pattern"),),
            )

    nuls = data.count(0) if 0 in data else 0  # memchr first: most inputs have no NUL to count
    if nuls > max(8, len(data) // 100):
        raise BinaryInput(f"input has {nuls:,} NUL bytes in {len(data):,}: binary data, not text")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    else:
        _check_text(text, "utf-8")
        return Decoded(text, "utf-8", 1.0)

    enc = _normalise_label(declared) if declared else None
    if declared:
        if enc and enc not in ("utf-8", "utf-16-le", "utf-16-be", "utf-16"):
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                pass
            else:
                _check_text(text, enc)
                return Decoded(text, enc, 0.9)
        warn_declared = ArticleWarning(
            "declared_charset_wrong", f"declared charset {declared!r} does not decode this input"
        )
    else:
        warn_declared = None

    mixed = _decode_mostly_utf8(data, declared_utf8=enc == "utf-8")
    if mixed is not None:
        if warn_declared is not None and (enc != "utf-8" or mixed.encoding != "utf-8"):
            mixed = Decoded(mixed.text, mixed.encoding, mixed.confidence, (warn_declared, *mixed.warnings))
        return mixed

    warnings: list[ArticleWarning] = [warn_declared] if warn_declared else []
    if len(data) >= DETECT_MIN_BYTES:
        from charset_normalizer import from_bytes

        matches = from_bytes(data[:262144], steps=5, chunk_size=512)
        best = matches.best()
        if best is not None and best.encoding:
            enc, confidence, tie_warning = _break_tie(best, list(matches))
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                text = None  # the sample decoded, the whole did not: fall through
            if text is not None:
                _check_text(text, enc)
                if tie_warning:
                    warnings.append(tie_warning)
                return Decoded(text, enc, confidence, tuple(warnings))
        high = sum(1 for b in data[:65536] if b >= 0x80)
        if high > 0.3 * min(len(data), 65536):
            raise Undecodable(
                f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no known encoding "
                "fits: the bytes look like random or encrypted data",
            )
    import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252"

    text = data.decode("sloppy-windows-1252")
    _check_text(text, "cp1252")
    warnings.append(
        ArticleWarning(
            "encoding_fallback",
            f"not valid UTF-8 (byte {utf8_error.start}) and too short or too unusual to detect; decoded as cp1252",
        )
    )
    return Decoded(text, "cp1252", None, tuple(warnings))
