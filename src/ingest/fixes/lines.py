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
_TERMINAL_RE = re.compile("[.!?\u2026:;\u3002\uff01\uff1f\u0964\u06d4\u061f][\"'\u201d\u2019\u00bb\u203a)\\]\u300d\u300f]*$")
_LIST_RE = re.compile(r"^(?:[-*\u2022\u00b7\u25aa\u2023\u25e6\u2013\u2014]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|#{1,6}\s)")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for with from as that which who whom whose "
    "than then this these those is are was were be been has have had its his her their our "
    "your my into onto over under about after before between through during without within".split()
)
# Prefixes that keep their hyphen when a compound is split at it ("self-\nmade" -> "self-made").
_KEEP_HYPHEN_LEFT = frozenset(
    "self ex non anti pro pre post co well one two three four five six seven eight nine ten "
    "half all cross mid semi multi quasi vice neo pan".split()
)
_SHORT_LINE = 60


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0] if line else ""


_SPLIT_WORD_RE = re.compile(r"([^\W\d_]+)-\n([^\W\d_]+)")


def join_hyphenated_words(text: str) -> tuple[str, int]:
    """``consti-\\ntution`` → ``constitution``; ``two-\\nday`` stays ``two-day`` (document evidence decides).

    A line that ends in a letter and a hyphen, followed by a line starting with a lower-case
    letter, was always wrapped: the two lines are joined here, with or without the hyphen.
    """
    if "-\n" not in text:
        return text, 0
    words = Counter(w.lower() for w in _WORD_RE.findall(text))
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        left, right = m.group(1), m.group(2)
        if not right[0].islower():
            return m.group(0)  # "pro-\nRussian", dialogue dashes: not a split word
        count += 1
        return left + ("-" if _keep_hyphen(left, right, words) else "") + right

    return _SPLIT_WORD_RE.sub(sub, text), count


def _keep_hyphen(left: str, right: str, words: Counter[str]) -> bool:
    joined = (left + right).lower()
    compound = f"{left}-{right}".lower()
    if words[joined] > 0:
        return False  # the unbroken word appears elsewhere in the document
    if words[compound] > 0:
        return True  # the hyphenated compound appears elsewhere
    # Both halves used as words of their own elsewhere (the split itself counts once each).
    if words[left.lower()] > 1 and words[right.lower()] > 1:
        return True
    return left.lower() in _KEEP_HYPHEN_LEFT


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The column the text was hard-wrapped at, or None when lines are not filled to a width."""
    inner = sorted(len(line) for lines in blocks for line in lines[:-1] if line)
    if len(inner) < 3:
        return None
    width = inner[min(len(inner) - 1, int(len(inner) * 0.9))]
    if not 40 <= width <= 120:
        return None
    filled = sum(1 for n in inner if n >= width * 0.75)
    return width if filled >= 0.6 * len(inner) else None


def _is_heading(a: str, b: str) -> bool:
    """A short capitalised line with no final punctuation, before a capitalised longer line."""
    if len(a) > _SHORT_LINE or len(a.split()) > 10 or not a[:1].isupper():
        return False
    if not (b[:1].isupper() or b[:1] in "\"'\u201c\u00ab"):
        return False
    last = a.rsplit(" ", 1)[-1].lower()
    return last not in _FUNCTION_WORDS and not a.endswith((",", "-", "\u2013", "\u2014"))


def _break_here(lines: list[str], i: int, width: int | None) -> bool:
    """Decide whether the break after ``lines[i]`` is real (True) or a wrap to join (False)."""
    a, b = lines[i], lines[i + 1]
    if _LIST_RE.match(b):
        return True
    ends_sentence = bool(_TERMINAL_RE.search(a))
    if width is not None:
        fits = len(a) + 1 + len(_first_word(b)) <= width
        # A line the next word would have fitted on was ended on purpose.
        return fits and (ends_sentence or len(a) < width * 0.75 or _is_heading(a, b))
    if ends_sentence:
        return True
    # Runs of short lines: verse, addresses, tables of contents.
    prev_short = i > 0 and len(lines[i - 1]) <= _SHORT_LINE
    next_short = i + 2 < len(lines) and len(lines[i + 2]) <= _SHORT_LINE
    if len(a) <= _SHORT_LINE and len(b) <= _SHORT_LINE and (prev_short or next_short):
        return True
    first_of_paragraph = i == 0 or _TERMINAL_RE.search(lines[i - 1]) is not None
    return first_of_paragraph and _is_heading(a, b) and len(b) > _SHORT_LINE


def join_broken_lines(text: str) -> tuple[str, int]:
    """Rejoin lines broken mid-sentence and unwrap hard wraps; paragraphs end up one line each.

    Returns the text with paragraphs separated by exactly one blank line, and the number of
    line breaks that were joined.
    """
    if "\n" not in text:
        return text, 0
    blocks = [b.split("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]
    width = _wrap_width(blocks)
    paragraphs: list[str] = []
    joins = 0
    changed = False
    for lines in blocks:
        cur = lines[0]
        for i in range(len(lines) - 1):
            if _break_here(lines, i, width):
                paragraphs.append(cur)
                cur = lines[i + 1]
                changed = True
            else:
                sep = " "
                if _is_cjk(cur[-1:]) and _is_cjk(lines[i + 1][:1]):
                    sep = ""  # CJK text has no spaces between words
                cur = cur + sep + lines[i + 1]
                joins += 1
        paragraphs.append(cur)
    out = "\n\n".join(paragraphs)
    if out == text:
        return text, 0
    return out, joins if joins else int(changed)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and (
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef"
        or "\u3000" <= ch <= "\u303f"
    )
