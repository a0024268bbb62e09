"""Mojibake: ftfy for what can be decoded back, context rules for what ftfy cannot restore.

Lossy remnants are what is left when one byte of a UTF-8 sequence was lost on the way through a
legacy code page. They cannot be decoded back; the surrounding characters say what they were.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter

import ftfy
from ftfy import badness as _ftfy_badness
from ftfy import chardata as _ftfy_chardata
from ftfy import fixes as _ftfy_fixes

# Every ftfy option is chosen on purpose:
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # entities are decoded by decode_html_entities, once per pass, audited
    remove_terminal_escapes=True,  # ANSI colour codes are never article text
    fix_encoding=True,  # the point: undo UTF-8 read as cp1252/latin-1 (and friends)
    restore_byte_a0=True,  # "Ã " is "à" whose NBSP byte became a space
    replace_lossy_sequences=False,  # would turn lossy remnants into U+FFFD; fix_lossy_mojibake reads them
    decode_inconsistent_utf8=True,  # mixed good/bad segments in one document are common in dumps
    fix_c1_controls=True,  # C1 controls in text are cp1252 characters decoded as latin-1
    fix_latin_ligatures=True,  # "ﬁ" -> "fi": ligatures are typesetting, not text, and break search
    fix_character_width=False,  # full-width forms are legitimate CJK typography
    uncurl_quotes=False,  # keep typographic quotes; the ascii_quotes option uncurls on request
    fix_line_breaks=False,  # normalize_newlines does this, so the audit trail names it
    fix_surrogates=True,  # surrogate pairs spelled as two code points become one character
    remove_control_chars=False,  # remove_invisible_chars does this with its own audit entry
    normalization="NFC",  # composed form: "é" is one code point, as every consumer expects
    explain=False,  # we record our own plan; ftfy's explanation costs time on every call
)


def fix_mojibake(text: str, *, cleared: str | None = None) -> tuple[str, int]:
    """Undo text decoded with the wrong code page (``Ã©`` → ``é``, ``â€™`` → ``’``) with ftfy.

    Returns the text and the number of mojibake sequences repaired (see :func:`count_repairs`).
    Pure: ``cleared`` is only a hint the caller may give, a text this function earlier returned
    unchanged (ftfy keeps every line of it). The plan's fixed-point loop hands the same article
    back after other fixes touched a few lines; only the lines that differ from ``cleared`` are
    then checked again. The result is the same with or without the hint.
    """
    if text.isascii():
        return text, 0  # pure ASCII cannot hold mojibake: skip the expensive pass
    if (cleared is not None and _kept_since_clear(text, cleared)) or _ftfy_keeps(text):
        return text, 0  # ftfy would change nothing (the common case, and every re-check round)
    out = _fix_text_by_segment(text)
    if out == text:
        return text, 0
    return out, count_repairs(text, out)


def count_repairs(before: str, after: str) -> int:
    """How many mojibake sequences a repair changed: runs of non-ASCII characters that are gone, at least 1.

    A sequence is a maximal run of non-ASCII characters (``â€™``, ``Ã©``, a C1 control, a
    ligature); each one the repair turned into something else counts once, compared line by line
    (the repairs never add or remove a line). ``"Ã©tÃ©"`` is two repairs, ``"itâ€™s"`` one.
    """
    old_lines, new_lines = before.split("\n"), after.split("\n")
    if len(old_lines) != len(new_lines):  # pragma: no cover - defensive: compare the whole texts
        old_lines, new_lines = [before], [after]
    n = 0
    for a, b in zip(old_lines, new_lines):
        if a == b:
            continue
        gone = Counter(_NON_ASCII_RUN_RE.findall(a))
        gone.subtract(Counter(_NON_ASCII_RUN_RE.findall(b)))
        n += max(1, sum(v for v in gone.values() if v > 0))
    return max(n, 1)


# The gate below mirrors what ftfy.fix_text does with _FTFY_CONFIG, so it is only used while the
# config keeps off every step the gate does not check.
_GATE_USABLE = not (
    _FTFY_CONFIG.unescape_html
    or _FTFY_CONFIG.fix_character_width
    or _FTFY_CONFIG.uncurl_quotes
    or _FTFY_CONFIG.fix_line_breaks
    or _FTFY_CONFIG.remove_control_chars
) and _FTFY_CONFIG.normalization in ("NFC", None)
_LIGATURE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ftfy_chardata.LIGATURES)) + "]")
# BADNESS_RE anchors one alternative with "^"; ftfy runs it per line, we run it once on the text.
_LINE_START_BAD_RE = re.compile("\n[\u00c2\u00c3] ")
_NON_ASCII_RUN_RE = re.compile("[^\x00-\x7f]+")


def _badness_window() -> int | None:
    """The widest match of ftfy's BADNESS_RE, or None unless every alternative needs a non-ASCII char.

    When both hold, a match can only lie within that many characters of a non-ASCII run, so
    scanning those windows finds exactly what scanning the whole text finds, much faster: the
    pattern is a 37-way alternation that costs ~0.3 µs per character of plain text.
    """
    try:
        from re import _constants as K
        from re import _parser as P
    except ImportError:  # pragma: no cover - other Python versions: scan the whole text
        return None

    def needs_non_ascii(items: list) -> bool:
        for op, av in items:
            if op is K.LITERAL and av >= 128:
                return True
            if op is K.IN and all((o is K.LITERAL and a >= 128) or (o is K.RANGE and a[0] >= 128) for o, a in av):
                return True
            if op is K.SUBPATTERN and needs_non_ascii(av[-1].data):
                return True
            if op in (K.MAX_REPEAT, K.MIN_REPEAT) and av[0] >= 1 and needs_non_ascii(av[2].data):
                return True
        return False

    try:
        tree = P.parse(_ftfy_badness.BADNESS_RE.pattern, _ftfy_badness.BADNESS_RE.flags)
        width = tree.getwidth()[1]
        (op, av), *rest = tree.data
        branches = av[1] if op is K.BRANCH and not rest else [tree]
        if width <= 64 and all(needs_non_ascii(b.data) for b in branches):
            return int(width)
    except Exception:  # pragma: no cover - an unexpected pattern shape: scan the whole text
        pass
    return None


_BADNESS_WINDOW = _badness_window()


@functools.lru_cache(maxsize=None)  # import time only: BADNESS_RE's classes share most characters
def _char_cost(ch: str) -> int:
    """How often prose writes ``ch``, roughly: lower-case letters and spaces most, then other
    letters, then quotes, brackets and dashes, then signs (a "MICRO SIGN" is a letter only in name)."""
    cat = unicodedata.category(ch)
    if cat[0] == "L" and any(w in unicodedata.name(ch, "") for w in (" SIGN", " INDICATOR")):
        return 1
    if cat in ("Ll", "Zs"):
        return 1000
    if cat[0] == "L":
        return 100
    return 100 if cat in ("Pi", "Pf", "Ps", "Pe", "Pd") else 1


def _class_cost(ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """:func:`_char_cost` summed over a character class, and its size (ties go to the smaller class)."""
    chars = [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)]
    return sum(map(_char_cost, chars)), len(chars)


def _badness_top() -> tuple[object, list[tuple[object, object]]] | None:
    """BADNESS_RE parsed by the engine's own parser: the parse and its top-level items, or None when
    the gate has no window or the pattern is case-blind (the anchor and prefilter below build
    case-exact classes only). Raises whatever the private parser raises on an unknown shape."""
    from re import _parser as P

    if _BADNESS_WINDOW is None or _ftfy_badness.BADNESS_RE.flags & re.IGNORECASE:
        return None
    tree = P.parse(_ftfy_badness.BADNESS_RE.pattern, _ftfy_badness.BADNESS_RE.flags)
    return tree, list(tree.data)


def _class_text(ranges: list[tuple[int, int]]) -> str:
    """The inside of a character class (no brackets) holding the code point ``ranges``."""
    return "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in sorted(set(ranges)))


def _badness_anchor() -> re.Pattern[str]:
    """One of the characters one of which every BADNESS_RE match contains; non-ASCII runs if unsure.

    One character per match, not runs: a class alone is searched with the engine's fast
    character-set scan (a third of the time of ``[...]+`` on real pages), and the windows of
    adjacent characters merge into the window of their run.

    Each alternative of the pattern requires some non-ASCII character class (checked by
    :func:`_badness_window`); the union of one such class of every alternative holds a character
    of any match. Of an alternative's required classes the one prose writes least is taken
    (:func:`_class_cost`: "[a-zA-Z][Cyrillic][bad]" is anchored on its rare "bad" symbols, not on
    every Cyrillic letter). Plain ``’``, ``—``, ``…`` or NBSP are in none of them, so the windows
    around them, most of the non-ASCII in English news, need no scan at all.
    """
    try:
        from re import _constants as K
    except ImportError:  # pragma: no cover - other Python versions
        return _NON_ASCII_RUN_RE

    def required(items: list) -> list[list[tuple[int, int]]]:
        found: list[list[tuple[int, int]]] = []
        for op, av in items:  # the items of a sequence: each one is part of every match
            if op is K.LITERAL and av >= 128:
                found.append([(av, av)])
            elif op is K.IN and all((o is K.LITERAL and a >= 128) or (o is K.RANGE and a[0] >= 128) for o, a in av):
                found.append([(a, a) if o is K.LITERAL else (a[0], a[1]) for o, a in av])
            elif op is K.SUBPATTERN:
                found.extend(required(av[-1].data))
            elif op in (K.MAX_REPEAT, K.MIN_REPEAT) and av[0] >= 1:
                found.extend(required(av[2].data))
        return found

    try:
        top = _badness_top()
        if top is None:
            return _NON_ASCII_RUN_RE
        tree, ((op, av), *rest) = top
        branches = av[1] if op is K.BRANCH and not rest else [tree]
        ranges: list[tuple[int, int]] = []
        for branch in branches:
            found = required(branch.data)
            if not found:
                return _NON_ASCII_RUN_RE
            ranges.extend(min(found, key=_class_cost))
        return re.compile("[" + _class_text(ranges) + "]")
    except Exception:  # pragma: no cover - an unexpected pattern shape: every non-ASCII run
        return _NON_ASCII_RUN_RE


_BADNESS_ANCHOR_RE = _badness_anchor()


def _badness_prefilter() -> re.Pattern[str] | None:
    """A cheap pattern that matches wherever BADNESS_RE matches (and more): None if it cannot be built.

    Most alternatives of BADNESS_RE hold two adjacent one-character items, each a class of
    non-ASCII characters; any of their matches holds one character of the first class followed by
    one of the second. One such pair per alternative (the rarest in prose, :func:`_class_cost`),
    merged into two classes, and the other alternatives as they are make a pattern two
    classes wide for most of its work: a window of text it does not match in cannot hold a
    BADNESS_RE match, and needs no scan with the 37-way alternation. The windows around curly
    quotes in English, German or Russian prose ("„Wort“", "«слово»") mostly fail it.
    """
    try:
        from re import _constants as K
        from re import _parser as P
    except ImportError:  # pragma: no cover - other Python versions
        return None

    def non_ascii(op: object, av: object) -> list[tuple[int, int]] | None:
        if op is K.LITERAL and isinstance(av, int) and av >= 128:
            return [(av, av)]
        if op is K.IN and isinstance(av, list):
            if all((o is K.LITERAL and a >= 128) or (o is K.RANGE and a[0] >= 128) for o, a in av):
                return [(a, a) if o is K.LITERAL else (a[0], a[1]) for o, a in av]
        return None

    try:
        top = _badness_top()
        if top is None:
            return None
        _, ((op, av), *rest) = top
        if op is not K.BRANCH or rest:
            return None
        first: list[tuple[int, int]] = []
        second: list[tuple[int, int]] = []
        others = []
        for branch in av[1]:
            items = branch.data
            best = None
            for i in range(len(items) - 1):
                a, b = non_ascii(*items[i]), non_ascii(*items[i + 1])
                if a and b:
                    cost = _class_cost(a)[0] + _class_cost(b)[0]
                    if best is None or cost < best[0]:
                        best = (cost, a, b)
            if best is None:
                others.append(branch)  # kept whole
            else:
                first.extend(best[1])
                second.extend(best[2])
        if not first:
            return None

        def cls(ranges: list[tuple[int, int]], negate: bool = False) -> str:
            return "[" + ("^" if negate else "") + _class_text(ranges) + "]"

        categories = {
            K.CATEGORY_SPACE: r"\s",
            K.CATEGORY_NOT_SPACE: r"\S",
            K.CATEGORY_WORD: r"\w",
            K.CATEGORY_NOT_WORD: r"\W",
            K.CATEGORY_DIGIT: r"\d",
            K.CATEGORY_NOT_DIGIT: r"\D",
        }

        def source(items: list) -> str:
            """The pattern text of a sequence of one-character items (written back from the parse)."""
            out = []
            for op, av in items:
                if op is K.LITERAL:
                    out.append(re.escape(chr(av)))
                elif op is K.AT and av is K.AT_BEGINNING:
                    out.append("^")
                elif op is K.IN:
                    negate = bool(av) and av[0][0] is K.NEGATE
                    parts = []
                    ranges = []
                    for o, a in av[1:] if negate else av:
                        if o is K.LITERAL:
                            ranges.append((a, a))
                        elif o is K.RANGE:
                            ranges.append(a)
                        elif o is K.CATEGORY and a in categories:
                            parts.append(categories[a])
                        else:
                            raise ValueError(op)
                    inner = cls(ranges, negate)
                    out.append(inner[:-1] + "".join(parts) + "]")
                elif op is K.MAX_REPEAT and av[:2] == (0, 1):
                    out.append("(?:" + source(av[2].data) + ")?")
                else:
                    raise ValueError(op)  # not written back: no prefilter
            return "".join(out)

        pattern = "|".join([cls(first) + cls(second)] + [source(branch.data) for branch in others])
        flags = _ftfy_badness.BADNESS_RE.flags & ~re.VERBOSE
        prefilter = re.compile(pattern, flags)

        # Written back right: each kept alternative parses to what it was in BADNESS_RE (a class's
        # members in any order).
        def norm(items: list) -> str:
            return repr(
                [
                    (op, sorted(map(repr, av)) if op is K.IN else (av[0], av[1], norm(av[2].data)))
                    if op in (K.IN, K.MAX_REPEAT)
                    else (op, av)
                    for op, av in items
                ]
            )

        parsed = P.parse(pattern, flags).data[0][1][1][1:] if others else []
        if [norm(b.data) for b in parsed] != [norm(b.data) for b in others]:
            return None
        return prefilter
    except Exception:  # pragma: no cover - an unexpected pattern shape: no prefilter
        return None


_BADNESS_PREFILTER_RE = _badness_prefilter()


def _looks_bad(text: str) -> bool:
    """``BADNESS_RE.search(text)``, scanning only around the characters a match needs when that is exact.

    A window is scanned with BADNESS_RE only where the cheap :func:`_badness_prefilter` pattern,
    which matches wherever BADNESS_RE does, matches too.
    """
    w = _BADNESS_WINDOW
    if w is None:
        return bool(_ftfy_badness.BADNESS_RE.search(text))
    search = _ftfy_badness.BADNESS_RE.search
    pre = (_BADNESS_PREFILTER_RE or _ftfy_badness.BADNESS_RE).search
    start = end = -1
    for m in _BADNESS_ANCHOR_RE.finditer(text):
        lo, hi = max(0, m.start() - w), m.end() + w
        if lo <= end:
            end = hi  # overlapping windows are scanned as one
            continue
        if end >= 0 and pre(text, start, end) and search(text, start, end):
            return True
        start, end = lo, hi
    return end >= 0 and bool(pre(text, start, end)) and bool(search(text, start, end))


def _one_class(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One character class matching what any of ``patterns`` (each one character class) matches.

    One scan of the text instead of one per pattern; the patterns as an alternation if one of
    them is not a plain class (another ftfy version).
    """
    try:
        from re import _constants as K
        from re import _parser as P

        ranges: list[tuple[int, int]] = []
        for rx in patterns:
            (op, av), *rest = P.parse(rx.pattern, rx.flags).data
            if rest or rx.flags & re.IGNORECASE or op is not K.IN:
                raise ValueError(rx.pattern)
            for o, a in av:
                if o is K.LITERAL:
                    ranges.append((a, a))
                elif o is K.RANGE:
                    ranges.append(a)
                else:
                    raise ValueError(rx.pattern)
        cls = "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in sorted(ranges))
        return re.compile("[" + cls + "]")
    except Exception:  # pragma: no cover - other Python or ftfy versions: the patterns as they are
        return re.compile("|".join(f"(?:{rx.pattern})" for rx in patterns))


# ftfy's C1 controls, ligatures and surrogates: the characters its other steps of this config act on.
# One character class: linear.
_GATE_CHARS_RE = _one_class((_ftfy_chardata.C1_CONTROL_RE, _LIGATURE_RE, _ftfy_fixes.SURROGATE_RE))


def _ftfy_keeps(text: str) -> bool:
    """True when ``ftfy.fix_text(text, _FTFY_CONFIG)`` would return ``text`` unchanged.

    ftfy fixes each line separately and spends most of its time in per-line Python overhead;
    these few whole-text scans reach the same verdict for clean text: its encoding step acts only
    where ``BADNESS_RE`` matches, and each remaining step only on the characters checked here.
    """
    if not _GATE_USABLE or len(text) > _FTFY_CONFIG.max_decode_length:
        return False
    if "\x1b" in text or _GATE_CHARS_RE.search(text) or _LINE_START_BAD_RE.search(text) or _looks_bad(text):
        return False
    return _FTFY_CONFIG.normalization is None or unicodedata.is_normalized(_FTFY_CONFIG.normalization, text)


def _fix_text_by_segment(text: str) -> str:
    """``ftfy.fix_text(text, _FTFY_CONFIG)``, with ftfy run only on the segments the gate cannot clear.

    ftfy fixes a text one segment at a time (a line with its newline, cut at
    ``max_decode_length``) and joins the results; nothing carries from one segment to the next
    under this config (``unescape_html`` is off, not ``"auto"``). Damage is usually on a few
    lines, so the segments that are plain ASCII or that :func:`_ftfy_keeps` clears are kept as they are
    and ftfy sees only the others: the same text as ftfy's, in a fraction of the time.
    """
    if not _GATE_USABLE or _FTFY_CONFIG.unescape_html == "auto":
        return ftfy.fix_text(text, _FTFY_CONFIG)
    limit = _FTFY_CONFIG.max_decode_length
    out = []
    pos, end = 0, len(text)
    while pos < end:
        cut = text.find("\n", pos) + 1 or end
        if cut - pos > limit:
            cut = pos + limit
        segment = text[pos:cut]
        if (segment.isascii() and "\x1b" not in segment) or _ftfy_keeps(segment):  # ftfy drops ANSI escapes
            out.append(segment)
        else:
            out.append(ftfy.fix_and_explain(segment, _FTFY_CONFIG).text)
        pos = cut
    return "".join(out)


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (binary search on slice equality: C-speed compares)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most ``limit``."""
    lo, hi = 0, limit
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _kept_since_clear(text: str, last: str) -> bool:
    """True when ftfy would keep ``text`` because it differs from ``last`` (cleared) only in lines the gate clears.

    ftfy treats each line (segment) on its own, and every line of the cleared text is one it
    keeps. A line of ``text`` lying wholly in the prefix both texts share, or wholly in the
    shared suffix after a newline that is itself shared, is one of those lines; the lines in
    between are gated here. False means "not known": the caller gates the whole text.
    """
    if len(text) > _FTFY_CONFIG.max_decode_length or len(last) > _FTFY_CONFIG.max_decode_length:
        return False
    p = _common_prefix(last, text)
    q = _common_suffix(last, text, min(len(last), len(text)) - p)
    start = text.rfind("\n", 0, p) + 1  # the line holding the first change starts after a shared newline
    nl = text.find("\n", len(text) - q)  # the first newline inside the shared suffix
    end = len(text) if nl < 0 else nl + 1
    if 2 * (end - start) > len(text):
        return False  # mostly new text (another article): the whole-text gate costs the same
    return start >= end or _ftfy_keeps(text[start:end])


# ---- UTF-8 read as MacRoman -----------------------------------------------------------------------
# A Latin-1 letter is C3 xx in UTF-8, and MacRoman writes C3 as "√": "più" read as MacRoman is
# "pi√π", "café" is "caf√©". ftfy leaves the pair when it could be mathematics ("√π"), so it is
# taken only inside a word: after two letters, the completion a letter in their case.
_MACROMAN_BYTE = {bytes([b]).decode("mac_roman"): b for b in range(0x80, 0xC0)}
# Linear: a fixed-width lookbehind, one literal, one character class.
_MACROMAN_RE = re.compile("(?<=[^\\W\\d_]{2})\u221a([" + re.escape("".join(_MACROMAN_BYTE)) + "])")


def fix_macroman_mojibake(text: str) -> tuple[str, int]:
    """``pi√π`` → ``più``, ``caf√©`` → ``café``: UTF-8 Latin letters read as MacRoman, inside words only."""
    if "\u221a" not in text:
        return text, 0
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        ch = bytes([0xC3, _MACROMAN_BYTE[m.group(1)]]).decode("utf-8")
        before = text[m.start() - 1]
        if not ch.isalpha() or ch.islower() != before.islower():
            return m.group(0)  # "×", "÷", or a letter in the other case: not this damage
        count += 1
        return ch

    out = _MACROMAN_RE.sub(sub, text)
    return out, count


_OPEN = "\u201c"
_CLOSE = "\u201d"
_QUOTE_WINDOW = 2000  # an opening quote further back than this no longer counts as open

# Whole cp1252 mojibake of the punctuation a lossy remnant sits among ("â€œ" for "“"): read as
# what it stands for, so that context decisions see through it (ftfy skips a line it cannot
# decode whole, and a remnant makes the line undecodable).
_PUNCT_MOJIBAKE = {
    "\u00e2\u20ac\u0153": "\u201c",
    "\u00e2\u20ac\u02dc": "\u2018",
    "\u00e2\u20ac\u2122": "\u2019",
    "\u00e2\u20ac\u201d": "\u2014",
    "\u00e2\u20ac\u201c": "\u2013",
    "\u00e2\u20ac\u00a6": "\u2026",
    "\u00e2\u20ac\u009d": "\u201d",
    "\u00e2\u20ac\ufffd": "\u201d",  # the lost third byte became U+FFFD at an earlier decode
}
# One scan over the text: paragraph breaks, quotes (real or as mojibake), lossy "â€" whose third
# byte was lost, daggers, and U+FFFD. Every alternative is a fixed string or one character
# (the lookahead reads one character), so the scan is linear.
_LOSSY_TOKEN_RE = re.compile(
    "\n\n|[\u201c\u201d\u2020\ufffd]|\u00e2\u20ac[\u0153\u02dc\u2122\u201d\u201c\u00a6\u009d\ufffd]"
    "|\u00e2\u20ac(?![\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2122])"
)
_CLOSERS = ",.!?\u2026"
# Characters that precede a remnant only inside a longer garble (cp1252's symbols and the lead
# characters of UTF-8 read as cp1252): there the remnant is part of something else.
_GARBLE = frozenset(
    "\u20ac\u201a\u0192\u201e\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u02dc\u2122\u0161\u203a\u0153\u017e\u0178\u00c2\u00c3\u00e2\u00e3"
)
_CONTRACTION_RE = re.compile(r"(?:s|t|d|m|re|ll|ve)\b", re.I)  # fixed alternatives: linear
# "Â" left from a NBSP (C2 A0) or another Latin-1 sign whose lead byte was read as cp1252.
_LOSSY_A_RE = re.compile("\u00c2+(?=[ \u00a0\n]|$|[\u00a1-\u00bf])")


def _quote_open(out: list[str], open_at: int, length: int) -> bool:
    return open_at >= 0 and length - open_at <= _QUOTE_WINDOW


def fix_lossy_mojibake(text: str) -> tuple[str, int]:
    """Repair remnants ftfy cannot decode: ``changes,†Pavel`` → ``changes,” Pavel``; lone ``â€``; ``Â ``.

    A real dagger ("† 1901", "Smith†", "footnote† text") is kept: it is replaced only when it is
    glued to punctuation or sits inside an open quotation. One left-to-right scan keeps track of
    whether a double quotation is open in the current paragraph, so each remnant is decided in
    constant time (the scan is linear in the text).
    """
    count = 0
    if "\u2020" in text or "\u00e2\u20ac" in text or "\ufffd" in text:
        text, count = _fix_quote_remnants(text)
    if "\u00c2" in text:
        text, n = _LOSSY_A_RE.subn("", text)
        count += n
    if not text.isascii():
        text, n, _ = complete_lost_bytes(text)
        count += n
    return text, count


# The remnants counted: fixed strings that cannot overlap (each "â" pair ends in a character that
# is not "â"), so counting each one finds what one left-to-right scan for all of them finds.
_REMNANTS = ("\ufffd", "\u00e2\u20ac", "\u00e2\u201a")


def mojibake_remaining(text: str) -> int:
    """How many places of ``text`` still look like mojibake after the repairs (0 for clean text).

    Counted: runs of a multi-byte character that lost a byte and could not be completed
    unambiguously, sequences ftfy's badness measure flags, "â€" remnants and U+FFFD. The text is
    kept as it is; the pipeline reports the count as a ``mojibake_remaining`` warning.
    """
    if text.isascii():
        return 0
    left = complete_lost_bytes(text)[2] + sum(text.count(r) for r in _REMNANTS)
    if _looks_bad(text):
        left += max(1, len(_ftfy_badness.BADNESS_RE.findall(text)))
    return left


def _fix_quote_remnants(text: str) -> tuple[str, int]:
    out: list[str] = []
    length = 0  # characters written to out so far
    last = " "  # the last character written (a space before the text)
    before_last = " "
    open_at = -1  # where the open double quotation of this paragraph started, or -1
    count = 0
    pos = 0

    def emit(s: str) -> None:
        nonlocal length, last, before_last
        if not s:
            return
        out.append(s)
        length += len(s)
        before_last = s[-2] if len(s) > 1 else last
        last = s[-1]

    for m in _LOSSY_TOKEN_RE.finditer(text):
        emit(text[pos : m.start()])
        pos = m.end()
        tok = m.group(0)
        after = text[pos : pos + 1]
        at_end = after == "" or after.isspace()
        in_quote = _quote_open(out, open_at, length)
        rep = tok
        if last in _GARBLE and tok not in ("\n\n", _OPEN, _CLOSE):
            pass  # inside a longer run of mojibake (layers of it): no single remnant to decide
        elif tok == "\n\n":
            open_at = -1
        elif tok in (_OPEN, _CLOSE):
            pass  # a real quote: only the state changes
        elif tok in _PUNCT_MOJIBAKE:
            rep = _PUNCT_MOJIBAKE[tok]
            if rep == _CLOSE and not in_quote and last.isalpha() and after.isalpha():
                rep = "\u2019"
        elif tok == "\u2020":
            closes = last in _CLOSERS or (last in "\u2019'" and before_last in _CLOSERS)
            if closes and (not at_end or in_quote):
                rep = _CLOSE if at_end else _CLOSE + " "
            elif (last.isalnum() or last.isspace()) and not at_end and in_quote and after not in _CLOSERS:
                rep = _CLOSE if last.isspace() and not after.isalnum() else _CLOSE + " "
        elif tok == "\ufffd":
            if last.isalpha() and after.isalpha() and _CONTRACTION_RE.match(text, pos):
                rep = "\u2019"  # don�t -> don’t
        else:  # "â€" with its third byte lost
            if last.isalpha() and after.isalpha():
                rep = "\u2019"  # countryâ€s -> country’s
            elif last.isspace() or last in "([{":
                if not at_end and (after.isalnum() or after in "\u2018'"):
                    rep = _OPEN
                elif in_quote:
                    rep = _CLOSE
                else:
                    rep = "\u2013"
            elif in_quote or last in _CLOSERS:
                rep = _CLOSE
            else:
                rep = "\u2019"
        if rep != tok:
            count += 1
        if _OPEN in rep:
            open_at = length
        elif _CLOSE in rep:
            open_at = -1
        emit(rep)
    if not count:
        return text, 0
    emit(text[pos:])
    return "".join(out), count


# ---- multi-byte characters with one byte lost ----------------------------------------------------
# UTF-8 read as cp1252 loses the bytes cp1252 does not define: 0x81, 0x8D, 0x8F, 0x90 and 0x9D.
# A character one of whose bytes was one of those comes out as a lead byte with too few
# continuation bytes ("поÑтавите" for "поставите": "с" is D1 81), and ftfy, which decodes only
# whole sequences, leaves it (and often the whole word around it).
_LOST_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_BYTE = {
    ch: b for b in range(0x80, 0x100) for ch in [bytes([b]).decode("latin-1" if b in _LOST_BYTES else "cp1252")]
}
# A run of characters cp1252 writes with bytes 0x80-0xFF (the lost bytes never appear in it).
# One character class, repeated: linear.
_CP1252_CLASS = "[" + "".join(sorted({re.escape(c) for c in _CP1252_BYTE if ord(c) >= 0xA0 or ord(c) > 0xFF})) + "]"
_CP1252_RUN_RE = re.compile(_CP1252_CLASS + "+")
# The runs complete_lost_bytes can use: they start with a UTF-8 lead byte (U+00C2-U+00F4) and
# have a second character, or are a lone two-byte lead (U+00C2-U+00DF) that lost its
# continuation byte. Every other run (a lone "’" or "é", most runs in Latin text) decodes to
# nothing and was skipped one Python step at a time. The lead comes first so that the engine
# finds it with its fast first-character scan; the lookbehind (the lead and the character before
# it) keeps matches at run starts, as _CP1252_RUN_RE's are. Fixed-width assertions and one
# repeated class: linear.
_CP1252_LEAD_RUN_RE = re.compile(
    f"[\u00c2-\u00f4](?<!{_CP1252_CLASS}[\u00c2-\u00f4])(?:{_CP1252_CLASS}+|(?<=[\u00c2-\u00df])(?!{_CP1252_CLASS}))"
)
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "CJK": "CJK", "HANGUL": "HANGUL"}


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _script(ch: str) -> str | None:
    """The script of a letter (CJK ideographs and kana as one), None for anything else."""
    if not ch.isalpha():
        return None
    try:
        first = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return None
    return _SCRIPT_GROUPS.get(first, first)


def _seq_len(lead: int) -> int:
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0


def _decode_with_gaps(raw: bytes) -> list[str | list[str]] | None:
    """Decode ``raw`` as UTF-8 where each sequence may lack one lost byte.

    Returns one entry per character: the character, or the list of its possible completions;
    None when ``raw`` is not UTF-8 with at most one lost byte per character.
    """
    out: list[str | list[str]] = []
    i, n = 0, len(raw)
    while i < n:
        need = _seq_len(raw[i])
        if not need:
            return None
        j = i + 1
        while j < n and j - i < need and 0x80 <= raw[j] <= 0xBF:
            j += 1
        seq = raw[i:j]
        if len(seq) == need:
            try:
                out.append(seq.decode("utf-8"))
            except UnicodeDecodeError:
                return None
        elif len(seq) == need - 1:
            options = []
            for pos in range(1, need):
                for b in _LOST_BYTES:
                    try:
                        ch = (seq[:pos] + bytes([b]) + seq[pos:]).decode("utf-8")
                    except UnicodeDecodeError:
                        continue
                    if unicodedata.category(ch)[0] in "LNS" and ch not in options:
                        options.append(ch)
            if not options:
                return None
            out.append(options)
        else:
            return None
        i = j
    return out


def _context_script(text: str, start: int, end: int) -> str | None:
    """The script of the letters next to the run in the same word (after it first), else of the
    nearest letter within a few characters."""
    for k in (end, start - 1):
        if 0 <= k < len(text) and _script(text[k]):
            return _script(text[k])
    for k in (*range(start - 2, max(-1, start - 6), -1), *range(end + 1, min(len(text), end + 5))):
        if _script(text[k]):
            return _script(text[k])
    return None


def _standalone(text: str, start: int, end: int) -> bool:
    """No letter touches ``text[start:end]`` on either side."""
    return not (start > 0 and text[start - 1].isalpha()) and not (end < len(text) and text[end].isalpha())


# Letters of the non-Latin alphabets whose lost bytes this module completes, and Latin letters
# (ASCII and Latin-1): one character class each, so each count is linear.
_SCRIPT_LETTERS = {
    "CYRILLIC": re.compile("[\u0400-\u04ff]"),
    "GREEK": re.compile("[\u0370-\u03ff]"),
    "ARABIC": re.compile("[\u0600-\u06ff]"),
    "HEBREW": re.compile("[\u0590-\u05ff]"),
}
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u00ff]")


def _main_script(text: str) -> str:
    """The script most of ``text``'s letters are written in (LATIN unless another one outnumbers it)."""
    best, most = "LATIN", len(_LATIN_LETTERS.findall(text))
    for name, rx in _SCRIPT_LETTERS.items():
        n = len(rx.findall(text))
        if n > most:
            best, most = name, n
    return best


def _plausible(ch: str, script: str | None, lower: bool | None) -> bool:
    """A letter of the context's script, in its case, from the everyday alphabet: a letter with
    a diacritic added (Cyrillic "ѐ") or a symbol variant ("ϐ") is too rare to pick. Greek's
    accented vowels are everyday letters ("ύ" loses the byte "ρ" loses: the word decides)."""
    if _script(ch) != script or (lower is not None and ch.islower() != lower):
        return False
    name = unicodedata.name(ch, "")
    if script == "GREEK":
        name = name.replace(" WITH DIALYTIKA AND TONOS", "").replace(" WITH TONOS", "")
    return " WITH " not in name and "SYMBOL" not in name and "ARCHAIC" not in name and "DIGAMMA" not in name


def complete_lost_bytes(text: str) -> tuple[str, int, int]:
    """Repair characters that lost one byte; returns (text, repaired, left) with ``left`` the runs that stay."""
    if text.isascii():
        return text, 0, 0
    out: list[str] = []
    pos = 0
    repaired = left = 0
    main_script: str | None = None  # computed only when a standalone run needs it
    for m in _CP1252_LEAD_RUN_RE.finditer(text):
        start, end = m.span()
        after = text[end : end + 1]
        if after in _ASCII_LETTERS or (not after.isalpha() and text[start - 1 : start] in _ASCII_LETTERS):
            # An ASCII letter touches the run ("Über", "Straße"): the context is Latin (see
            # _context_script), and Latin is ftfy's; the quick exit of the checks below.
            continue
        run = m.group(0)
        raw = bytes(_CP1252_BYTE[c] for c in run)
        if not any(_seq_len(b) for b in raw):
            continue  # no lead byte: punctuation, Latin-1 signs
        decoded = _decode_with_gaps(raw)
        if decoded is None:
            continue  # not UTF-8 with at most a lost byte per character: real Latin-1 text
        script = _context_script(text, m.start(), m.end())
        if _standalone(text, m.start(), m.end()) and all(isinstance(x, str) for x in decoded):
            # A whole sequence with no letter next to it ("*Ñ…100" for "*х100"): its own script
            # decides, when that is the script most of the document's letters are written in.
            own = {_script(x) for x in decoded}  # type: ignore[arg-type]
            if len(own) == 1 and None not in own:
                if main_script is None:
                    main_script = _main_script(text)
                script = own.pop() if main_script in own else script
        if script in (None, "LATIN"):
            continue  # Latin mojibake is ftfy's (its heuristics know Latin text that only looks like it)
        if all(isinstance(x, str) for x in decoded) and not all(_script(x) == script for x in decoded):  # type: ignore[arg-type]
            continue  # a whole sequence ftfy left: taken only when it spells letters of the words around it
        chars: list[str] = []
        ok = True
        for idx, item in enumerate(decoded):
            if isinstance(item, str):
                chars.append(item)
                continue
            near = (
                text[m.end() : m.end() + 1]
                if _script(text[m.end() : m.end() + 1] or " ")
                else text[m.start() - 1 : m.start()]
            )
            lower = near.islower() if near.isalpha() and near.upper() != near.lower() else None
            # Accepted only when exactly one completion is a plausible letter: otherwise the
            # text stays as it is (and is counted as mojibake left).
            fits = [c for c in item if _plausible(c, script, lower)]
            if len(fits) != 1:
                ok = False
                break
            chars.append(fits[0])
        if not ok:
            left += 1
            continue
        out.append(text[pos : m.start()])
        out.append("".join(chars))
        pos = m.end()
        repaired += 1
    if not repaired:
        return text, 0, left
    out.append(text[pos:])
    return "".join(out), repaired, left


# ---- lost bytes only a word can decide ----------------------------------------------------------
# Cyrillic "с", "э" and "я" are D1 81, D1 8D and D1 8F: when cp1252 dropped their second byte, all
# three completions are everyday letters ("поÑле" is "после", "поэле" or "пояле"), and Russian
# text has every one of them damaged, so the document itself holds no clean example. The word
# decides: of the spellings the lost bytes allow, one is a common word and the others are not.
# The word lists are wordfreq's (shipped inside the package, read on first use only).
_WORD_LIST_LANGS = {
    "CYRILLIC": ("ru", "uk", "bg", "mk"),
    "GREEK": ("el",),
    "ARABIC": ("ar", "fa"),
    "HEBREW": ("he",),
}
# A word as mojibake leaves it: letters and the characters cp1252 writes with bytes 0x80-0xFF.
# One character class, repeated: linear.
_MOJI_WORD_RE = re.compile("[\\w\ufffd" + _CP1252_RUN_RE.pattern[1:-2] + "]+")
# The cp1252 spellings of the lead bytes of the scripts above (Greek CE/CF, Cyrillic D0/D1, Hebrew
# D7, Arabic D8-DB) and U+FFFD: a text without one has nothing for this fix. Probed with ``in``,
# one fast substring search per character (a character-class regex scan cost 600 times more).
_WORD_PROBES = "\u00ce\u00cf\u00d0\u00d1\u00d7\u00d8\u00d9\u00da\u00db\ufffd"


def _has_probe(text: str) -> bool:
    return any(c in text for c in _WORD_PROBES)


_MAX_SPELLINGS = 243  # five ambiguous letters in one word at most
_MIN_ZIPF = 1.5  # a word seen at least about 3 times per 100 million words
_MARGIN = 1.0  # and at least ten times as common as any other spelling


@functools.lru_cache(maxsize=4096)
def _zipf(word: str, langs: tuple[str, ...]) -> float:
    """The word's frequency on wordfreq's Zipf scale, the highest over ``langs``; 0 without wordfreq."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - wordfreq is a dependency; without it the text stays
        return 0.0
    return max(wordfreq.zipf_frequency(word, lang) for lang in langs)


def _lost_letters() -> dict[str, tuple[str, ...]]:
    """Per script, the letters a two-byte character that lost a byte cp1252 lacks can have been."""
    found: dict[str, list[str]] = {}
    for lead in range(0xC2, 0xE0):
        for b in _LOST_BYTES:
            ch = bytes([lead, b]).decode("utf-8", "replace")
            script = _script(ch)
            # The alphabets' own letters: no archaic letter, symbol variant or extended block.
            name = unicodedata.name(ch, "")
            if (
                script in _WORD_LIST_LANGS
                and ord(ch) < 0x0460
                and not any(w in name for w in ("SYMBOL", "ARCHAIC", "DIGAMMA"))
            ):
                found.setdefault(script, []).append(ch)
    return {k: tuple(v) for k, v in found.items()}


_LOST_LETTERS = _lost_letters()


def _spellings(word: str) -> list[str] | None:
    """Every spelling of ``word`` its lost bytes allow, or None when no byte was lost in it.

    A lost byte shows as a lead byte without its continuation (``Ñ``) or, where an earlier decode
    replaced the broken sequence, as U+FFFD (``Е\ufffdли``): that one can be any letter of the
    word's script whose encoding has such a byte.
    """
    parts: list[list[str]] = []
    pos = 0
    ambiguous = False
    own = {_script(c) for c in word if c.isalpha()} - {"LATIN"}
    for m in _CP1252_RUN_RE.finditer(word):
        parts.extend([c] for c in word[pos : m.start()])
        decoded = _decode_with_gaps(bytes(_CP1252_BYTE[c] for c in m.group(0)))
        if decoded is None:
            return None
        for item in decoded:
            if isinstance(item, list):
                item = [c for c in item if c.isalpha()]
                ambiguous = True
                if not item:
                    return None
            parts.append(item if isinstance(item, list) else [item])
        pos = m.end()
    parts.extend([c] for c in word[pos:])
    lower = any(c.islower() for c in word)
    for i, p in enumerate(parts):
        if p == ["\ufffd"]:
            letters = _LOST_LETTERS.get(next(iter(own))) if len(own) == 1 else None
            if not letters:
                return None
            # Inside a word in lower case the letter is lower case; the first may be a capital.
            parts[i] = [c for c in letters if i == 0 or not lower or c.islower()]
            ambiguous = True
    if not ambiguous:
        return None
    total = 1
    for p in parts:
        total *= len(p)
        if total > _MAX_SPELLINGS:
            return None
    return ["".join(s) for s in itertools.product(*parts)]


def complete_lost_bytes_by_word(text: str) -> tuple[str, int]:
    """``поÑле`` → ``после``: a letter whose lost byte leaves several completions, chosen by the word.

    Taken only when every letter of the spelling is of one non-Latin script, the spelling is a
    word of that script's languages (wordfreq's lists) and it is at least ten times as common as
    any other spelling the lost bytes allow. Otherwise the text stays as written (and counts as
    mojibake left).
    """
    if text.isascii() or not _has_probe(text):
        return text, 0
    out: list[str] = []
    pos = 0
    count = 0
    for m in _MOJI_WORD_RE.finditer(text):
        word = m.group(0)
        if word.isascii() or not _has_probe(word):
            continue
        spellings = _spellings(word)
        if not spellings:
            continue
        best = _best_spelling(spellings)
        if best is None:
            continue
        out.append(text[pos : m.start()])
        out.append(best)
        pos = m.end()
        count += 1
    if not count:
        return text, 0
    out.append(text[pos:])
    return "".join(out), count


def _best_spelling(spellings: list[str]) -> str | None:
    """The one spelling that is a common word of its script's languages, or None."""
    scored: list[tuple[float, str]] = []
    for s in spellings:
        letters = [c for c in s if c.isalpha()]
        scripts = {_script(c) for c in letters}
        if len(letters) < 2 or len(scripts) != 1 or not s.isalpha():
            continue
        langs = _WORD_LIST_LANGS.get(scripts.pop() or "")
        if langs:
            scored.append((_zipf(s.lower(), langs), s))
    if not scored:
        return None
    scored.sort(reverse=True)
    top = scored[0][0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return scored[0][1] if top >= _MIN_ZIPF and top - runner_up >= _MARGIN else None
