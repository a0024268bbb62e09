"""Line structure: rejoin words hyphenated across a break, rejoin lines broken mid-sentence.

The decision for every single line break is local and explainable:

* a list item or a run of short lines (verse, addresses) keeps its breaks;
* in hard-wrapped text (lines filled up to a width W) a break after a *full* line is a wrap,
  a break after a line the next word would have fitted on is intentional;
* elsewhere a break after sentence-final punctuation is a paragraph break (files whose
  paragraphs are separated by one newline), and a break in the middle of a sentence is joined.

Only the Latin/Cyrillic/Greek hyphenation rule knows anything about a language (a few English
function words help spot headings); everything else works on punctuation and line lengths.
"""

from __future__ import annotations

import re
from collections import Counter

# Sentence-final punctuation, optionally followed by closing quotes/brackets. Covers CJK and
# Devanagari/Arabic full stops too.
_TERMINAL_RE = re.compile(
    "[.!?\u2026:;\u3002\uff01\uff1f\u0964\u06d4\u061f][\"'\u201d\u2019\u00bb\u203a)\\]\u300d\u300f]*$"
)
_LIST_RE = re.compile(r"^(?:[-*\u2022\u00b7\u25aa\u2023\u25e6\u2013\u2014]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|#{1,6}\s)")
# Markers that only ever start an item; a dash, a number or a letter can also carry on a
# wrapped sentence ("…», \n— said Ivanov", "on September\n30. The", "John\nA. Smith").
_BULLET_RE = re.compile("^[-*\u2022\u00b7\u25aa\u2023\u25e6]\\s")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for with from as that which who whom whose "
    "than then this these those is are was were be been has have had its his her their our "
    "your my into onto over under about after before between through during without within".split()
)
# First halves that keep their hyphen when a compound is split at them ("self-\nmade"). Prefixes
# such as pre-, pro-, ex-, co-, mid- are left out: typesetters split "pre-vious", "ex-ample",
# "mid-dle" at them too, and document evidence decides those.
_KEEP_HYPHEN_LEFT = frozenset(
    "self well half cross vice quasi one two three four five six seven eight nine twenty thirty "
    "forty fifty hundred".split()
)
# Second halves that form hyphenated compounds with almost any word ("Minsk-based", "state-run").
_KEEP_HYPHEN_RIGHT = frozenset(
    "based led owned backed funded run born style related friendly wide term year old scale "
    "level making speaking designate sponsored linked oriented".split()
)
_SHORT_LINE = 60
# Closing brackets and quotes that can end a CJK heading or verse line.
_CJK_CLOSERS = "\u3011\u300d\u300f\uff09\u3009\u300b"


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0] if line else ""


# The whole last token of a line ending in "letters-", then the letters that start the next line.
# Groups: the space (or line start), the token up to its last run of letters, that run, the
# letters after the break. Written as "(\S*?)([^\W\d_]+)-\n" it matched the same text but
# tried every split of every token (quadratic in its length); the only split that can succeed
# puts a non-letter (or the token start) right before the run, and the run must reach "-\n".
_SPLIT_WORD_RE = re.compile(r"(^|[ ])(\S*)(?<![^\W\d_])(?=([^\W\d_]+)-\n)\3-\n([^\W\d_]+)", re.M)


def join_hyphenated_words(text: str) -> tuple[str, int]:
    """``consti-\\ntution`` → ``constitution``; ``two-\\nday`` stays ``two-day`` (document evidence decides).

    A line that ends in a letter and a hyphen, followed by a line starting with a lower-case
    letter, was always wrapped. The rejoined word moves down to the next line, where its second
    half was: the line above then still ends where the next word did not fit, which is what
    :func:`join_broken_lines` reads to tell wraps from real breaks.
    """
    if "-\n" not in text:
        return text, 0
    # Evidence is what the document says elsewhere: the halves of split words do not count.
    words = Counter(w.lower() for w in _WORD_RE.findall(_SPLIT_WORD_RE.sub(r"\1\2", text)))
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        space, prefix, left, right = m.groups()
        if not right[0].islower():
            return m.group(0)  # "pro-\nRussian", dialogue dashes: not a split word
        count += 1
        word = prefix + left + ("-" if _keep_hyphen(left, right, words) else "") + right
        # Moving the word down would leave a line ending in "-" above it (a new split): stay up.
        above = text[max(0, m.start() - 1) : m.start()]
        return ("\n" + word) if space and above != "-" else space + word

    return _SPLIT_WORD_RE.sub(sub, text), count


def _keep_hyphen(left: str, right: str, words: Counter[str]) -> bool:
    """Whether ``left-\\nright`` is a hyphenated compound (``two-day``) rather than a split word."""
    joined = (left + right).lower()
    compound = f"{left}-{right}".lower()
    if words[joined] > 0:
        return False  # the unbroken word appears elsewhere in the document
    if words[compound] > 0:
        return True  # the hyphenated compound appears elsewhere
    if left.lower() in _KEEP_HYPHEN_LEFT:
        return True
    if right.lower() in _KEEP_HYPHEN_RIGHT and len(left) >= 3 and left.lower() not in ("dis", "non", "mis"):
        return True  # with a longer first half: "un-\nrelated", "be-\nlong" are prefixes split off
    # Both halves are words the document uses on their own ("decision" and "making"). Short
    # halves are left out: syllable splits often make short words ("car-pet", "man-age").
    return len(left) >= 4 and len(right) >= 4 and words[left.lower()] > 1 and words[right.lower()] > 1


# Hard wraps are recognised between these columns (terminals, e-mail, typewriter pages).
_MIN_WIDTH, _MAX_WIDTH = 40, 150
_INDENT_SLACK = 8


def _next_cost(a: str, b: str) -> int:
    """Columns the first word of ``b`` would have taken at the end of ``a`` (CJK: one character, no space)."""
    if _is_cjk(b[:1]):
        return 1 if _is_cjk(a[-1:]) else 2
    return 1 + len(_first_word(b))


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The column the text was hard-wrapped at, or None when lines are not filled to a width.

    A greedy wrap at width W ends a line only when the next word would not have fitted, so every
    wrapped break satisfies ``len(a) <= W < len(a) + cost(next word)``. Each break gives an
    interval of widths it is consistent with; W is the width most breaks agree on. Paragraph
    ends, headings and lines lengthened by a rejoined hyphenated word disagree, and are few.
    """
    spans: list[tuple[int, int]] = []
    too_long = 0  # breaks after lines longer than any wrap width: consistent with no W
    capital_starts = 0  # lines opening with a capitalised function word mid-sentence
    for lines in blocks:
        for a, b in zip(lines, lines[1:]):
            if not a or not b:
                continue
            if len(a) > _MAX_WIDTH:
                too_long += 1
                continue
            spans.append((len(a), len(a) + _next_cost(a, b) - 1))
            if b[0].isupper() and _first_word(b).lower() in _FUNCTION_WORDS and not _TERMINAL_RE.search(a):
                capital_starts += 1
    total = len(spans) + too_long
    if len(spans) < 3 or len(spans) < 0.6 * total:
        return None
    top = min(_MAX_WIDTH, max(hi for _, hi in spans))
    if top < _MIN_WIDTH:
        return None
    cover = [0] * (top + 2)
    for lo, hi in spans:
        if lo > top or hi < _MIN_WIDTH:
            continue
        cover[max(lo, _MIN_WIDTH)] += 1
        cover[min(hi, top) + 1] -= 1
    best, width, run = 0, None, 0
    for w in range(_MIN_WIDTH, top + 1):
        run += cover[w]
        if run >= best and run > 0:  # ties: the widest (paragraph ends then read as "would have fitted")
            best, width = run, w
    if width is None or best < 3 or best < 0.6 * total:
        return None
    # Verse capitalises every line ("And", "The" in mid-sentence); wrapped prose capitalises a
    # function word only after a sentence end (nouns are capitalised in German prose: not a sign).
    if capital_starts > 0.25 * total:
        return None
    return width


def _is_heading(a: str, b: str) -> bool:
    """A short capitalised line with no final punctuation, before a capitalised longer line."""
    if len(a) > _SHORT_LINE or len(a.split()) > 10 or not a[:1].isupper():
        return False
    if not (b[:1].isupper() or b[:1] in "\"'\u201c\u00ab"):
        return False
    last = a.rsplit(" ", 1)[-1].lower()
    return last not in _FUNCTION_WORDS and not a.endswith((",", "-", "\u2013", "\u2014"))


def _mid_sentence(a: str, b: str) -> bool:
    """The break cuts a sentence: the next line continues in lower case, or ``a`` ends on a comma or function word."""
    if b[:1].islower():
        return True
    if a.endswith((",", "-", "\u2013", "\u2014", "(")):
        return True
    return a.rsplit(" ", 1)[-1].lower() in _FUNCTION_WORDS


# Words a sentence cannot stop on: a line ending on one was broken mid-sentence.
_DANGLING = frozenset("a an the of to in on at by for with from into onto than and or nor but that whose".split())


def _dangles(line: str) -> bool:
    """The line ends on an article, preposition or conjunction (no punctuation after it)."""
    return line[-1:].isalpha() and line.rsplit(" ", 1)[-1] in _DANGLING


def _short_run(lines: list[str], i: int, short: int) -> bool:
    """``lines[i]`` and ``lines[i + 1]`` belong to a run of short lines (verse, addresses, tables of contents)."""
    a, b = lines[i], lines[i + 1]
    if len(a) > short or len(b) > short:
        return False
    prev_short = i > 0 and len(lines[i - 1]) <= short
    next_short = i + 2 < len(lines) and len(lines[i + 2]) <= short
    return prev_short or next_short


def _starts_item(a: str, b: str) -> bool:
    """``b`` opens a list item (after a line that ended, or after another item)."""
    if _BULLET_RE.match(b):
        return True
    if not _LIST_RE.match(b):
        return False
    return bool(_TERMINAL_RE.search(a)) or _LIST_RE.match(a) is not None or len(a) <= 40


def _break_here(lines: list[str], i: int, width: int | None) -> bool:
    """Decide whether the break after ``lines[i]`` is real (True) or a wrap to join (False)."""
    a, b = lines[i], lines[i + 1]
    if _starts_item(a, b):
        return True
    ends_sentence = bool(_TERMINAL_RE.search(a))
    if width is not None:
        # The first line of a paragraph may have been indented (the indent is gone by now), so it
        # counts as full a few columns earlier.
        slack = _INDENT_SLACK if i == 0 else 0
        if len(a) + _next_cost(a, b) + slack > width:
            return False  # the next word did not fit: a wrap, even after a full stop
        # The next word would have fitted, so the line was ended on purpose — unless the break
        # cuts a sentence (a stray break inside wrapped text) outside a run of short lines.
        if ends_sentence or _is_heading(a, b):
            return True
        return not _mid_sentence(a, b) or _short_run(lines, i, int(width * 0.6))
    if ends_sentence:
        return True
    if _is_cjk(a[-1:]) and _is_cjk(b[:1]) and a[-1:] not in _CJK_CLOSERS:
        return False  # CJK text has no spaces: a break between two CJK characters mid-sentence is a wrap
    if _dangles(a) or (i > 0 and _dangles(lines[i - 1])):
        # No verse line, heading or list item ends on "the" or "of": a stray break, and the
        # sentence it cut goes on past the next break too (it has not ended: see above).
        return False
    if _short_run(lines, i, _SHORT_LINE):
        return True
    if len(a) <= _SHORT_LINE and len(b) <= _SHORT_LINE and not _mid_sentence(a, b):
        return True  # two short lines that do not run on: a heading over a subtitle, a name over a date
    first_of_paragraph = i == 0 or _TERMINAL_RE.search(lines[i - 1]) is not None
    return first_of_paragraph and _is_heading(a, b) and len(b) > _SHORT_LINE


def join_broken_lines(text: str) -> tuple[str, int]:
    """Rejoin lines broken mid-sentence and unwrap hard wraps; paragraphs end up one line each.

    Returns the text with paragraphs separated by exactly one blank line, and the number of
    line breaks that were joined.
    """
    if "\n" not in text:
        return text, 0
    if all("\n" not in p and not p.isspace() and p for p in text.split("\n\n")):
        # One line per paragraph already (a rendered HTML body): every block below would be one
        # line, with no break to decide, and the text would come out as it is.
        return text, 0
    blocks = [[line for line in b.split("\n") if line.strip()] for b in re.split(r"\n\s*\n", text) if b.strip()]
    width = _wrap_width(blocks)
    paragraphs: list[str] = []
    joins = 0
    changed = False
    for lines in blocks:
        cur = [lines[0]]  # the lines of the paragraph being built, joined once at its end
        for i in range(len(lines) - 1):
            if _break_here(lines, i, width):
                paragraphs.append(join_lines(cur))
                cur = [lines[i + 1]]
                changed = True
            else:
                cur.append(lines[i + 1])
                joins += 1
        paragraphs.append(join_lines(cur))
    out = "\n\n".join(paragraphs)
    if out == text:
        return text, 0
    return out, joins if joins else int(changed)


def join_lines(lines: list[str]) -> str:
    """``join_pair`` over a list of lines, in time linear in their total length.

    Each separator depends only on the last two characters written so far and the next line's
    first, so the text is built once (joining pair by pair copied it once per line).
    """
    if not lines:
        return ""
    parts = [lines[0]]
    tail = lines[0][-2:]
    for b in lines[1:]:
        head = b[:1]
        joined = join_pair(tail, head)
        sep = joined[len(tail) : len(joined) - len(head)]
        parts.append(sep)
        parts.append(b)
        tail = (tail + sep + b)[-2:]
    return "".join(parts)


def join_pair(a: str, b: str) -> str:
    """Two lines made one: with a space; none between CJK characters (CJK has no spaces between
    words) or after a hyphen glued to a word ("pro-\\nRussian" → "pro-Russian", "3-\\n2" → "3-2")."""
    if _is_cjk(a[-1:]) and _is_cjk(b[:1]):
        return a + b
    if a.endswith("-") and a[-2:-1].isalnum() and b[:1].isalnum():
        return a + b
    return a + " " + b


def _is_cjk(ch: str) -> bool:
    """Chinese and Japanese characters and CJK punctuation: scripts written without spaces
    between words. Korean Hangul is not among them: Korean puts spaces between words, so a
    wrapped Korean line is joined with a space, like Latin text."""
    return (
        bool(ch)
        and ch >= "\u3000"
        and (
            "\u3040" <= ch <= "\u30ff"
            or "\u3400" <= ch <= "\u9fff"
            or "\uff00" <= ch <= "\uffef"
            or "\u3000" <= ch <= "\u303f"
        )
    )
