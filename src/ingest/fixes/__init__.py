"""The text repairs: one registry of named pure functions, applied in a fixed, explainable plan.

A fix's registry name is the name recorded in an article's ``fixes``, the name accepted by
``Options.disabled_fixes`` / ``--disable-fix`` and the name in the README's table. Adding a fix
means adding one entry to ``REGISTRY``.
"""

from __future__ import annotations

import functools
import re

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import FixApplied, Removed
from . import artifacts, chars, lines, mojibake

Repair = Callable[[str], tuple[str, int]]
Strip = Callable[[str], tuple[str, tuple[Removed, ...]]]


@dataclass(frozen=True)
class Fix:
    """One named step of the plan."""

    name: str
    phase: str  # "chars" (run to a fixed point), "strip" (artifact removal), "lines", "final"
    func: Repair | Strip
    summary: str
    default: bool = True
    example: str = ""  # before → after, for the README table

    @property
    def strips(self) -> bool:
        """True for fixes that take lines out (``str -> (str, removed)``), run only with strip_artifacts."""
        return self.phase == "strip" or self.name == "strip_dateline"


REGISTRY: tuple[Fix, ...] = (
    Fix(
        "normalize_newlines",
        "chars",
        chars.normalize_newlines,
        "CRLF, CR, form feeds and U+2028/U+2029 become \\n",
        example="`a\\r\\nb` → `a\\nb`",
    ),
    Fix(
        "replace_html_tags",
        "chars",
        chars.replace_html_tags,
        "stray tags become the breaks they meant; inline tags go, their text stays",
        example="`one<br>two</p><p>three` → `one\\ntwo\\n\\nthree`",
    ),
    Fix(
        "decode_html_entities",
        "chars",
        chars.decode_html_entities,
        "named and numeric entities become characters, exactly once",
        example="`it&rsquo;s` → `it’s`; `&amp;amp;` → `&amp;`",
    ),
    Fix(
        "fix_mojibake",
        "chars",
        mojibake.fix_mojibake,
        "ftfy: text decoded with the wrong code page (Latin, Cyrillic, Greek, CJK)",
        example="`countryâ€™s` → `country’s`",
    ),
    Fix(
        "fix_macroman_mojibake",
        "chars",
        mojibake.fix_macroman_mojibake,
        "UTF-8 Latin letters read as MacRoman, inside words",
        example="`pi√π` → `più`",
    ),
    Fix(
        "fix_lossy_mojibake",
        "chars",
        mojibake.fix_lossy_mojibake,
        "remnants ftfy cannot decode, by context; real daggers stay",
        example="`changes,†Pavel` → `changes,” Pavel`; `Â ` → ` `",
    ),
    Fix(
        "complete_lost_bytes_by_word",
        "chars",
        mojibake.complete_lost_bytes_by_word,
        "a lost byte several letters could fill, chosen by the word (wordfreq's lists)",
        example="`поÑле` → `после`",
    ),
    Fix(
        "remove_invisible_chars",
        "chars",
        chars.remove_invisible_chars,
        "zero-width spaces, soft hyphens, BOMs, bidi overrides, controls; ZWJ/ZWNJ kept",
        example="`consti\\u00adtution` → `constitution`",
    ),
    Fix(
        "mark_indented_paragraphs",
        "chars",
        chars.mark_indented_paragraphs,
        "an indented first line after a sentence end starts a paragraph (when the file does so at least twice)",
        example="`end.\\n    Next` → `end.\\n\\nNext`",
    ),
    Fix(
        "normalize_whitespace",
        "chars",
        chars.normalize_whitespace,
        "tabs, NBSP and other spaces, repeated spaces, edge spaces, runs of blank lines",
        example="`a\\t\\u00a0 b  ` → `a b`",
    ),
    Fix(
        "strip_boilerplate_lines",
        "strip",
        artifacts.strip_boilerplate_lines,
        "whole lines that are ads, read-more/share widgets, photo credits, promos",
        example="`Advertisement`, `Read more: …`, `(AP Photo/Name)` removed",
    ),
    Fix(
        "strip_header_lines",
        "strip",
        artifacts.strip_header_lines,
        "date header, publisher, headline, byline and date lines at the top",
        example="`Bloomberg` / `By Jane Doe` / `Published: Sept. 28, 2021` removed",
    ),
    Fix(
        "strip_trailer_lines",
        "strip",
        artifacts.strip_trailer_lines,
        "agency trailers, copyright, bylines and date lines at the bottom",
        example="`(Reporting by …; Editing by …)` removed",
    ),
    Fix(
        "join_hyphenated_words",
        "lines",
        lines.join_hyphenated_words,
        "words hyphenated across a line break, kept hyphenated only with evidence",
        example="`consti-\\ntution` → `constitution`; `two-\\nday` → `two-day`",
    ),
    Fix(
        "join_broken_lines",
        "lines",
        lines.join_broken_lines,
        "lines broken mid-sentence and hard wraps joined; real paragraph, verse and list breaks kept",
        example="`North Atlantic Treaty\\nOrganisation.` → one line",
    ),
    Fix(
        "strip_dateline",
        "final",
        artifacts.strip_dateline,
        "the dateline that opens the story",
        example="`MINSK, Belarus (AP) — The …` → `The …`",
    ),
    Fix(
        "uncurl_quotes",
        "final",
        chars.uncurl_quotes,
        "typographic quotes become ASCII (off unless ascii_quotes)",
        default=False,
        example='`“It’s”` → `"It\'s"`',
    ),
)
FIX_NAMES: tuple[str, ...] = tuple(f.name for f in REGISTRY)
_MAX_ROUNDS = 4
_ONCE = frozenset({"decode_html_entities"})
# What joining two lines can enable.
_AFTER_JOIN = frozenset({"fix_mojibake", "fix_macroman_mojibake", "fix_lossy_mojibake", "complete_lost_bytes_by_word"})
# Mojibake is a run of Latin-1/cp1252 characters; a break could only have cut one where it has
# two such characters before it, or one on each side ("áƒ\n", "Ã\n©"). ftfy works line by line,
# so it never saw those whole; a French "é" at a line end does not qualify.
_MOJI = "[\u0080-\u00ff\u0152-\u0192\u02c6-\u02dc\u2013-\u2122]"
_CUT_SEQUENCE_RE = re.compile(f"{_MOJI}{_MOJI}\n|{_MOJI}\n{_MOJI}")


def fixes_table() -> str:
    """The README's "Text fixes" table, generated from the registry (plan order)."""
    rows = ["| fix | phase | what it does | example |", "|---|---|---|---|"]
    for f in REGISTRY:
        what = f.summary + ("" if f.default else " — *off by default*")
        rows.append(f"| `{f.name}` | {f.phase} | {what} | {f.example} |")
    return "\n".join(rows)


@dataclass(frozen=True)
class Repaired:
    """The outcome of the plan: the text, what changed it, and the lines taken out."""

    text: str
    fixes: tuple[FixApplied, ...]
    removed: tuple[Removed, ...]


def _enabled(enabled: Iterable[str] | None) -> set[str]:
    if enabled is None:
        return {f.name for f in REGISTRY if f.default}
    names = set(enabled)
    unknown = names - set(FIX_NAMES)
    if unknown:
        raise ValueError(f"unknown fix name(s): {', '.join(sorted(unknown))}")
    return names


@dataclass(frozen=True)
class _Plan:
    """The fixes one set of enabled names runs: the character fixes, and each phase's, in plan order."""

    chars: tuple[Fix, ...]
    phases: dict[str, tuple[Fix, ...]]


def _make_plan(enabled: Iterable[str] | None) -> _Plan:
    on = _enabled(enabled)
    chosen = [f for f in REGISTRY if f.name in on]
    phases = {phase: tuple(f for f in chosen if f.phase == phase) for phase in ("chars", "strip", "lines", "final")}
    return _Plan(chars=phases["chars"], phases=phases)


# The plan of the names repair_text is called with (the pipeline passes the same few tuples for
# every article and field): built once per set, not per call.
_cached_plan = functools.lru_cache(maxsize=64)(_make_plan)


def strip_func(fix: Fix, *, markup_parsed: bool = False, titles: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """The function a strip fix runs: the markup variant of ``strip_header_lines`` for rendered HTML."""
    if markup_parsed and fix.func is artifacts.strip_header_lines:
        return functools.partial(artifacts.strip_header_lines_markup, titles=titles)
    return fix.func


def repair_text(
    text: str,
    *,
    enabled: Iterable[str] | None = None,
    strip_artifacts: bool = True,
    markup_parsed: bool = False,
    titles: tuple[str, ...] = (),
) -> Repaired:
    """Run the plan over ``text``.

    Args:
        text: decoded article text (paragraphs separated by blank lines where known).
        enabled: names of the fixes to run; ``None`` means the default plan.
        strip_artifacts: run the ``strip`` phase (header/trailer/boilerplate removal).
        markup_parsed: the text is an HTML parser's rendering; ``strip_header_lines`` then keeps
            headline-like lines (:func:`artifacts.strip_header_lines_markup`), under the same name,
            but for the page's declared ``titles``.

    Returns:
        A :class:`Repaired` with the text, the fixes that changed something (in plan order,
        with counts) and the removed artifact lines.
    """
    plan = _cached_plan(enabled) if enabled is None or type(enabled) is tuple else _make_plan(enabled)
    counts: dict[str, int] = {}
    removed: list[Removed] = []

    # The last text fix_mojibake returned unchanged: a hint that lets its re-check rounds look
    # only at the lines other fixes changed since (explicit, per call; the fix stays pure).
    cleared: str | None = None

    def run_repair(fix: Fix, value: str) -> str:
        nonlocal cleared
        if fix.func is mojibake.fix_mojibake:
            out, n = mojibake.fix_mojibake(value, cleared=cleared)
            if out == value and not value.isascii():
                cleared = value
        else:
            out, n = fix.func(value)  # type: ignore[assignment,misc]
        if n and out != value:
            counts[fix.name] = counts.get(fix.name, 0) + n
        return out

    char_fixes = plan.chars

    def run_chars(value: str, *, first: bool) -> str:
        # Character repairs can enable each other (an entity decodes to mojibake, a removed
        # control character joins two spaces): run them to a fixed point. Entities are the
        # exception: decoded exactly once, so a text about HTML that writes "&amp;amp;" keeps "&amp;".
        for round_no in range(_MAX_ROUNDS):
            before = value
            for fix in char_fixes:
                if (round_no or not first) and fix.name in _ONCE:
                    continue
                value = run_repair(fix, value)
            if value == before:
                break
        return value

    def run_phase(phase: str, value: str) -> str:
        for fix in plan.phases[phase]:
            if not fix.strips:
                value = run_repair(fix, value)
            elif strip_artifacts:
                func = strip_func(fix, markup_parsed=markup_parsed, titles=titles)
                out, taken = func(value)  # type: ignore[misc]
                if taken:
                    counts[fix.name] = counts.get(fix.name, 0) + len(taken)
                    removed.extend(taken)  # type: ignore[arg-type]
                    value = out  # type: ignore[assignment]
        return value

    text = run_chars(text, first=True)
    text = run_phase("strip", text)
    before_lines = text
    text = run_phase("lines", text)
    if text != before_lines and _CUT_SEQUENCE_RE.search(before_lines):
        # Joined lines can complete a mojibake sequence a line break had cut ("áƒ\n0"), so the
        # mojibake repairs look at the joined text once more (and, if they change it, the other
        # character repairs too), so that a rerun finds nothing. Joining cannot complete an
        # entity, a tag or a space run: those patterns already span line breaks.
        joined = text
        for fix in char_fixes:
            if fix.name in _AFTER_JOIN:
                text = run_repair(fix, text)
        if text != joined:
            text = run_chars(text, first=False)
    text = run_phase("final", text)
    fixes = tuple(FixApplied(f.name, counts[f.name]) for f in REGISTRY if f.name in counts) if counts else ()
    return Repaired(text=text, fixes=fixes, removed=tuple(removed))
