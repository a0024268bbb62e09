"""Static ReDoS checks over every regex in the package (see ``regexes.py`` for how they are found).

Two checks, because each misses what the other finds:

* regexploit: polynomial backtracking (cubic and worse: three overlapping quantifiers that a
  failing suffix makes the engine try in every combination);
* nesting: an unbounded quantifier inside another unbounded quantifier, the exponential class
  (``(?:<!--.*?-->\\s*)*`` in the old HTML sniffing) that regexploit does not model.

A new pattern of either kind fails this test. ``ALLOWED`` lists the reviewed exceptions, each
with the reason it is linear; quadratic cases neither tool sees are covered by the timing
test, ``test_regex_linearity.py``.
"""

from __future__ import annotations

import re
import warnings

import pytest

from .regexes import Found, all_patterns, compiled_patterns

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# pattern source → why it is linear although a check flags it. One line each.
ALLOWED: dict[str, str] = {
    # ROLE_RE: each repetition must start with one of the listed words, so the \s+ inside cannot
    # trade characters with the next repetition.
    (
        r"^(?:(?:senior|chief|staff|special|foreign|political|economics|business|science|tech|technology|"
        r"health|sports?|deputy|managing|contributing|associate)\s+)*(?:writer|reporter|correspondent|editor|"
        r"columnist|contributor|journalist|analyst|bureau chief|producer|photographer|staff)s?$"
    ): ("each repetition starts with a keyword"),
    # lines._WORD_RE: every repetition starts with a literal "-" that the inner letters never match.
    r"[^\W\d_]+(?:-[^\W\d_]+)*": "repetitions are separated by a literal '-' the inner class excludes",
}


def _unbounded_inside_unbounded(found: Found) -> list[str]:
    tree = sre_parse.parse(found.pattern, found.flags)
    hits: list[str] = []

    def walk(items: object, inside: bool) -> None:
        for op, av in items:  # type: ignore[attr-defined]
            if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                _lo, hi, sub = av
                unbounded = hi == sre_constants.MAXREPEAT
                if unbounded and inside:
                    hits.append(str(sub)[:60])
                walk(sub, inside or unbounded)
            elif op == sre_constants.SUBPATTERN:
                walk(av[-1], inside)
            elif op == sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch, inside)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1], inside)

    walk(tree, False)
    return hits


def _regexploit(found: Found) -> list[int]:
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = SreOpParser().parse_sre(found.pattern, found.flags)
    return sorted({r.starriness for r in find(parsed) if r.starriness > 2})


def test_the_package_has_its_patterns_collected() -> None:
    from ingest.fixes.artifacts import _FULL_DATE_RE
    from ingest.patterns import BOILERPLATE, DATE_LABEL_RE

    sources = {f.pattern for f in compiled_patterns()}
    # a few that must be there: module globals, tuples of patterns, patterns built at import
    assert DATE_LABEL_RE.pattern in sources
    assert BOILERPLATE[-1][1].pattern in sources
    assert _FULL_DATE_RE.pattern in sources
    assert len(all_patterns()) > 100


def test_no_pattern_backtracks_polynomially_by_regexploit() -> None:
    bad = {
        f"{f.where}: starriness {_regexploit(f)}" for f in all_patterns() if f.pattern not in ALLOWED and _regexploit(f)
    }
    assert not bad, "super-linear regexes (make them linear, or add to ALLOWED with the reason):\n" + "\n".join(
        sorted(bad)
    )


def test_no_pattern_nests_unbounded_quantifiers() -> None:
    bad = {
        f"{f.where}: {hits}"
        for f in all_patterns()
        if f.pattern not in ALLOWED and (hits := _unbounded_inside_unbounded(f))
    }
    assert not bad, "nested unbounded quantifiers (exponential class):\n" + "\n".join(sorted(bad))


def test_every_allowed_entry_is_still_a_pattern_of_the_package() -> None:
    sources = {f.pattern for f in all_patterns()}
    stale = [p for p in ALLOWED if p not in sources]
    assert not stale, f"ALLOWED names patterns the package no longer has: {stale}"


@pytest.mark.parametrize(
    "pattern, flags",
    [
        # the exponential HTML sniffing pattern of issue 20 and the cubic byline+date pattern
        (r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S),
        (
            r"^\s*(?:(?:posted|published|written|updated)\s+)?by\s+(?P<names>.+?)\s*(?:\bon\b|\||·|•|—|–|,)\s*(?P<date>[^,|·•—–]*\d[^|·•—–]*?)\s*$",
            re.I,
        ),
    ],
)
def test_the_checks_catch_the_patterns_issue_20_found(pattern: str, flags: int) -> None:
    found = Found("issue-20", pattern, flags)
    assert _regexploit(found) or _unbounded_inside_unbounded(found)
