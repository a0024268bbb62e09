"""Metadata extractors: every field from an explicit cascade, the winning source recorded.

Inputs flow forward only: reader hints (markup, record fields) come first, then what the
removed artifact lines said, then the body itself (language). Nothing is invented: a field no
source supports stays ``None``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import ArticleWarning, Deferred, Hint, Removed
from ..patterns import (
    DATE_WORDS_ALSO_NAMES,
    MONTH_WORDS,
    WEEKDAY_WORDS,
    BYLINE_PREFIX_RE,
    DATE_HEADER_RE,
    DATE_LABEL_RE,
    ORG_WORDS,
    REPORTERS_RE,
    UPDATED_LABELS,
    is_publisher_name,
    copyright_holder,
    match_byline_date,
    match_dateline,
    split_byline,
)
from .dates import date_from_url, parse_date, parse_date_checked
from .language import detect_language, normalise_language

__all__ = ["Deferred", "Hint", "Metadata", "extract_metadata", "parse_date", "detect_language"]

MAX_TITLE = 500
MAX_NAME = 120


# Publisher-declared publication dates, in the order they are trusted (reader hint sources).
_DECLARED_DATE_SOURCES = ("jsonld:datePublished", "meta:article:published_time", "itemprop:datePublished", "meta:date")
# Dates the page's template prints, tried after the URL, in this order.
_PRINTED_DATE_SOURCES = ("html:time", "html:abbr_published", "html:data_published", "html:time_text")
# Sources that read the very text ``text:near_headline`` reads: they confirm it only when no two
# independent sources (markup, the URL) agree on another day.
_SAME_TEXT_SOURCES = frozenset({"text:near_headline", "html:time_text", "html:date_class", "text:date_label"})


def _published_cascade(meta: Metadata, hints: Sequence[Hint]) -> None:
    """Fill ``published`` stage by stage; every stage names itself in ``field_sources``.

    1. a record's own date field (scraper data);
    2. the date printed near the headline when another source confirms it (the visible date is
       what a reader takes as the publication date; a second source rules out a stray date).
       Confirming sources: any other date hint, the URL, the declared modification date (a
       page that prints its update date as its date), and last htmldate's reading (computed
       only when nothing cheaper confirmed it);
    3. the date in the URL (``/2019/05/31/``);
    4. declared dates (JSON-LD, ``article:published_time``, microdata, ``<meta name=date>``);
    5. dates the template prints (``<time datetime>``, ``<abbr class=published>``, data- attributes);
    6. the date printed near the headline alone, unless htmldate reads another date that a
       date-classed element confirms (the first date after a headline can be a birth date or a
       related story's: two independent sources agreeing outweigh it);
    7. a JSON-LD WebPage object's date (SEO plugins stamp one on static and product pages too);
    8. htmldate's markup analysis (deferred: only computed when all of the above failed);
    9. an element whose class says it holds a date (``post-date``, ``datum``).
    The text lines the cleaner removed (date lines, bylines) are tried after stage 6 by the caller;
    stages 7-9 are :func:`_published_fallbacks`.
    """
    parsed: list[tuple[str, object, str]] = []  # (source, raw, iso date)
    for h in hints:
        if h.field != "published" or isinstance(h.value, Deferred):
            continue
        iso = parse_date(h.value)
        if iso:
            parsed.append((h.source, h.value, iso))
    for src, raw, _ in parsed:
        if src.startswith("record:"):
            meta.offer_date("published", raw, src)
            return
    url_dates = [
        (f"url:{h.source}", iso) for h in hints if h.field == "url" for iso in [date_from_url(str(h.value))] if iso
    ]

    def precise(day: str, raw: object, source: str) -> None:
        """Offer ``day``, taking the time and offset from a declared or printed source of the same day."""
        for stage in (_DECLARED_DATE_SOURCES, _PRINTED_DATE_SOURCES):
            for src, r, iso in parsed:
                if src in stage and iso[:10] == day and "T" in iso:
                    meta.offer_date("published", r, src)
                    return
        meta.offer_date("published", raw, source)

    htmldate_cache: list[str | None] = []

    def htmldate_day() -> str | None:
        if not htmldate_cache:
            url = meta.url
            found = None
            for h in hints:
                if h.field == "published" and isinstance(h.value, Deferred):
                    found = parse_date(h.value.get(url if isinstance(url, str) else None))
                    break
            htmldate_cache.append(found[:10] if found else None)
        return htmldate_cache[0]

    near = next(((raw, iso) for src, raw, iso in parsed if src == "text:near_headline"), None)
    if near is not None:
        day = near[1][:10]
        # independent witnesses: markup and the URL, not the printed text read again
        votes = Counter(iso[:10] for src, _, iso in parsed if src not in _SAME_TEXT_SOURCES)
        votes.update({iso[:10] for _, iso in url_dates})
        updated = {iso[:10] for h in hints if h.field == "updated" for iso in [parse_date(h.value)] if iso}
        same_text = {iso[:10] for src, _, iso in parsed if src in _SAME_TEXT_SOURCES and src != "text:near_headline"}
        # htmldate only breaks a tie with another candidate: alone, the printed date wins anyway
        if day in votes or day in updated or votes and htmldate_day() == day:
            precise(day, near[0], "text:near_headline")
            return
        if day in same_text and not any(n >= 2 for d, n in votes.items() if d != day):
            precise(day, near[0], "text:near_headline")
            return
    if url_dates:
        precise(url_dates[0][1][:10], url_dates[0][1], "url")
        return
    for stage in (_DECLARED_DATE_SOURCES, _PRINTED_DATE_SOURCES):
        for src, raw, _ in parsed:
            if src in stage:
                meta.offer_date("published", raw, src)
                return
    if near is not None:
        classed = {iso[:10] for src, _, iso in parsed if src == "html:date_class"} - {near[1][:10]}
        read = htmldate_day() if classed else None
        if read and read in classed:
            meta.offer_date("published", read, "htmldate")
            return
        meta.offer_date("published", near[0], "text:near_headline")


def _published_fallbacks(meta: Metadata, hints: Sequence[Hint]) -> None:
    """The last stages: a WebPage object's date, htmldate (deferred), then a date-classed element.

    None of them on a site's home page (:func:`_home_page`); the WebPage date not on a page that
    declares only its modification (:func:`_modified_only`); htmldate's reading not when it is that
    modification day (:func:`_is_modified_day`); none of them when it is the day the event the
    page describes starts (:func:`_event_day`).
    """
    if meta.has("published") or _home_page(meta.url):
        return
    event = _event_day(hints)
    modified_only = _modified_only(hints)
    for h in hints:
        if h.field == "published" and h.source == _WEBPAGE_DATE_SOURCE and not modified_only:
            if not _is_day(h.value, event) and meta.offer_date("published", h.value, h.source):
                return
    url = meta.url
    for h in hints:
        if h.field == "published" and isinstance(h.value, Deferred):
            value = h.value.get(url if isinstance(url, str) else None)
            if modified_only and _is_modified_day(value, hints) or _is_day(value, event):
                continue
            if meta.offer_date("published", value, h.source):
                return
    for h in hints:
        if h.field == "published" and not isinstance(h.value, Deferred) and h.source not in _FALLBACK_DONE:
            if not _is_day(h.value, event) and meta.offer_date("published", h.value, h.source):
                return


def _event_day(hints: Sequence[Hint]) -> str | None:
    """The day the event a page describes starts (JSON-LD ``Event.startDate``): a match's or a
    concert's page prints and stamps that day, which is not when the page was published."""
    for h in hints:
        if h.field == "event_date":
            day = parse_date(h.value)
            if day:
                return day[:10]
    return None


def _is_day(value: object, day: str | None) -> bool:
    """Whether ``value`` reads as the date ``day`` (``YYYY-MM-DD``)."""
    return day is not None and (parse_date(value) or "")[:10] == day


def _home_page(url: str | None) -> bool:
    """``https://example.com/``: a site's front page lists many items; a late stage's date (the
    template's WebPage stamp, htmldate's pick among the teasers) is not its own."""
    if not isinstance(url, str):
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return bool(parts.netloc) and parts.path in ("", "/") and not parts.query


def _modified_only(hints: Sequence[Hint]) -> bool:
    """The page declares when it was modified and no publication date (a CMS *page*: SEO plugins
    give posts ``article:published_time`` and pages only ``article:modified_time``)."""
    if not any(h.field == "updated" and parse_date(h.value) for h in hints):
        return False
    return not any(h.field == "published" and h.source in _DECLARED_DATE_SOURCES for h in hints)


def _is_modified_day(value: object, hints: Sequence[Hint]) -> bool:
    """``value`` (htmldate's reading) is the day the page declares as its modification: on a page
    that declares nothing else (:func:`_modified_only`), the update, not the publication."""
    day = parse_date(value)
    return bool(day) and any(_is_day(h.value, day[:10]) for h in hints if h.field == "updated")


# Dates the page need not show its reader: markup, JSON-LD, microdata, htmldate's reading.
_UNSHOWN_DATE_SOURCES = frozenset(_DECLARED_DATE_SOURCES + ("jsonld:webpage_datePublished", "htmldate"))
# A body this short can be a stub or a page a script draws: that it prints no date says nothing.
_MIN_BODY_UNSHOWN = 1000
# og:type values of an article ("article", "news", "blog", "og:article"). Linear: literal alternatives.
_ARTICLE_OG_RE = re.compile(r"article|news|blog|post", re.I)


def _unshown_date_on_non_article(meta: Metadata, hints: Sequence[Hint], body: str) -> bool:
    """The published date came from markup or htmldate (:data:`_UNSHOWN_DATE_SOURCES`), not dated by its URL, on a page
    that does not call itself an article (no article ``og:type``, no JSON-LD Article) and whose
    visible text, around a body of at least :data:`_MIN_BODY_UNSHOWN` characters, writes out no
    date at all: a guide, product, FAQ or wiki page the template stamps with a date its reader
    never sees. The page's text is read (a Deferred parse) only when the other tests hold.
    """
    if meta.sources.get("published") not in _UNSHOWN_DATE_SOURCES or len(body) < _MIN_BODY_UNSHOWN:
        return False
    for h in hints:
        if h.field == "page_type" and isinstance(h.value, str):
            if h.source == "jsonld:@type" or _ARTICLE_OG_RE.search(h.value):
                return False
    if any(h.field == "url" and date_from_url(str(h.value)) for h in hints):
        return False  # the URL's date, with the declared time of that day (the cascade's url stage)
    url = meta.url if isinstance(meta.url, str) else None
    shown = [h.value.get(url) for h in hints if h.field == "prints_date" and isinstance(h.value, Deferred)]
    return bool(shown) and not any(shown)


# SEO plugins stamp the WebPage object of every page with a date, a static or product page's too:
# weaker than any date the article declares or prints.
_WEBPAGE_DATE_SOURCE = "jsonld:webpage_datePublished"
_CASCADE_SOURCES = frozenset(_DECLARED_DATE_SOURCES + _PRINTED_DATE_SOURCES + ("text:near_headline",))
_FALLBACK_DONE = _CASCADE_SOURCES | {_WEBPAGE_DATE_SOURCE}  # sources the last fallback does not retry


# The Article fields the cascade fills: one-line strings, and tuples of strings.
_STR_FIELDS = frozenset(
    {"title", "publisher", "published", "updated", "dateline", "language", "url", "description", "image"}
)
_TUPLE_FIELDS = frozenset({"authors", "tags"})


@dataclass
class Metadata:
    """The metadata fields as the cascade fills them, each with the source that won it.

    A field is set once, by the first source that offers a non-empty value (:meth:`offer`); the
    cascade tries sources in the order it trusts them. ``sources`` names the winner per field.
    """

    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    updated: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    language: str | None = None
    url: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[ArticleWarning] = field(default_factory=list)

    @property
    def values(self) -> dict[str, object]:
        """The fields set so far, by name (a snapshot: change fields through :meth:`offer`)."""
        return {name: getattr(self, name) for name in self.sources}

    def has(self, name: str) -> bool:
        """Whether a source has set ``name`` already."""
        return name in self.sources

    def offer(self, name: str, value: object, source: str) -> bool:
        """Set ``name`` unless a higher-priority source already did; empty values never win.

        String fields take a ``str``; ``authors`` and ``tags`` a list or tuple of ``str``. Any other
        type is a bug in the caller and raises ``TypeError``.
        """
        if name in self.sources or value in (None, "", [], ()):
            return False
        if name in _STR_FIELDS:
            if not isinstance(value, str):
                raise TypeError(f"metadata field {name} takes a str, not {type(value).__name__}")
            setattr(self, name, value)
        elif name in _TUPLE_FIELDS:
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise TypeError(f"metadata field {name} takes a list of str")
            setattr(self, name, tuple(value))
        else:
            raise TypeError(f"no metadata field {name!r}")
        self.sources[name] = source
        return True

    def replace_field(self, name: str, value: object, source: str) -> None:
        """Set ``name`` even though a source already did: a later stage that knows better (a
        visible byline completing a declared name). Same types as :meth:`offer`."""
        self.drop(name)
        self.offer(name, value, source)

    def drop(self, name: str) -> None:
        """Empty ``name`` again: a later check found its value is not the field's (the caller says why)."""
        self.sources.pop(name, None)
        setattr(self, name, () if name in _TUPLE_FIELDS else None)

    def offer_date(self, name: str, raw: object, source: str) -> bool:
        """Offer a parsed date; an impossible UTC offset is dropped with a ``bad_utc_offset`` warning."""
        if name in self.sources:
            return False
        value, dropped = parse_date_checked(raw)
        if not self.offer(name, value, source):
            return False
        if dropped:
            self.warnings.append(
                ArticleWarning(
                    "bad_utc_offset", f"{name}: UTC offset {dropped!r} is impossible; kept the date and time without it"
                )
            )
        return True


_SPACE_RE = re.compile(r"\s+")


#: The text fixes a metadata string gets (in plan order); ``Options.disabled_fixes`` removes some.
FIELD_FIXES = (
    "normalize_newlines",
    "replace_html_tags",
    "decode_html_entities",
    "fix_mojibake",
    "fix_macroman_mojibake",
    "fix_lossy_mojibake",
    "complete_lost_bytes_by_word",
    "remove_invisible_chars",
)


def field_fixes(disabled: frozenset[str] | set[str] = frozenset()) -> tuple[str, ...]:
    """:data:`FIELD_FIXES` without the ``disabled`` ones (``--disable-fix`` applies to fields too)."""
    return tuple(f for f in FIELD_FIXES if f not in disabled)


def clean_field(value: object, limit: int = MAX_TITLE, *, fixes: tuple[str, ...] = FIELD_FIXES) -> str | None:
    """A one-line string for a metadata field, repaired by ``fixes`` (see :func:`field_fixes`), or None."""
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            return None
    if not value.isascii() or "&" in value or "<" in value:
        fixes = fixes if isinstance(fixes, tuple) else tuple(fixes)
        # str(): a plain string as the cache key (an lxml "smart" string would keep its tree alive)
        value = _repaired(str(value), fixes) if len(value) <= _MAX_CACHED else _repaired.__wrapped__(value, fixes)
    value = _SPACE_RE.sub(" ", value).strip()
    if not value or len(value) > limit:
        return None
    return value


_MAX_CACHED = 1000  # longer field values are repaired without being kept (the cache stays a few MB at most)


@lru_cache(maxsize=1024)
def _repaired(value: str, fixes: tuple[str, ...]) -> str:
    """``value`` repaired by ``fixes``; cached, since a page declares the same string in several
    places (og:, twitter: and meta descriptions, titles, names) and the cascade cleans each."""
    from ..fixes import repair_text

    return repair_text(value, enabled=fixes, strip_artifacts=False).text


def clean_title(value: object, *, fixes: tuple[str, ...] = FIELD_FIXES) -> str | None:
    t = clean_field(value, fixes=fixes)
    if t is None:
        return None
    # Headlines do not end with a full stop; drop one after a plain word (keep "U.S.", "etc.").
    if re.search(r"[^\W\d_]{3,}\.$", t) and not re.search(r"\b(?:etc|Inc|Ltd|Co|Corp|Jr|Sr)\.$", t):
        t = t[:-1]
    return t


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00ad": None,
    }
)


def _title_key(t: str) -> str:
    """A title compared loosely: case, quote and dash styles, spacing and end punctuation ignored."""
    return " ".join(t.casefold().translate(_QUOTES).split()).strip(" .:!?")


def _titles_agree(headline: str, other: str) -> bool:
    """The page headline and another title name the same article (one may extend the other)."""
    h, o = _title_key(headline), _title_key(other)
    if not h or not o:
        return False
    if h == o:
        return True
    # "Leasing oder Finanzierung" / "Leasing oder Finanzierung » Der große Vergleich": the headline
    # opens the other title. Its end is not enough ("Muffin Rezepte" closing "Muffin Grundrezept :
    # Muffin Rezepte" is the site's name).
    # A short headline opening a long title is a site or section name ("Time 4 talks » Blog » …").
    if len(h.split()) >= 2 and _opens(o, h) and len(h) * 2 >= len(o):
        return True
    # "BDZV: Olafur Eliasson gestaltet …": a long headline inside a title that adds a site prefix
    if len(h.split()) >= 4 and len(h) * 3 >= len(o) * 2 and _contains_words(o, h):
        return True
    return len(o.split()) >= 3 and _opens(h, o) and len(o) * 2 >= len(h)


def headline_agrees(headline: str, title: str) -> bool:
    """Whether a heading's text names the same article as a title already cleaned with
    :func:`clean_title` (public for the reader)."""
    return _titles_agree(headline, title)


def _contains_words(longer: str, shorter: str) -> bool:
    """``shorter`` occurs in ``longer`` as whole words."""
    i = longer.find(shorter)
    if i < 0:
        return False
    j = i + len(shorter)
    return (i == 0 or not longer[i - 1].isalnum()) and (j == len(longer) or not longer[j].isalnum())


def _opens(longer: str, shorter: str) -> bool:
    """``shorter`` is the opening of ``longer``, ending at a word boundary."""
    return len(longer) > len(shorter) and longer.startswith(shorter) and not longer[len(shorter)].isalnum()


def choose_title(hints: Sequence[Hint], *, fixes: tuple[str, ...] = FIELD_FIXES) -> tuple[str | None, str]:
    """The title of a page by agreement among its candidates.

    The visible headline (``<h1>``) is what a reader calls the title, but templates also put the
    site's name or a section name in an ``<h1>``; so the headline wins only when another source
    (og:title, JSON-LD headline, twitter:title, ``<title>``) names the same article. Otherwise the
    cascade order holds (og:title first).
    """
    cands = [(h.source, t) for h in hints if h.field == "title" for t in [clean_title(h.value, fixes=fixes)] if t]
    h1 = next((t for src, t in cands if src == "html:h1"), None)
    if h1 is not None and any(src != "html:h1" and _titles_agree(h1, t) for src, t in cands):
        return h1, "html:h1"
    # An <h1> no other source confirms is as often the site's name as the headline: last resort.
    for src, t in cands:
        if src != "html:h1":
            return t, src
    return h1, "html:h1"


# Labels that open a byline element's text ("Veröffentlicht von", "Zeige alle Beiträge von", "By:").
# Linear: one alternation of literal phrases, then single optional separators, anchored at the start.
_LONG_LABEL_RE = re.compile(
    r"^\W*(?:veröffentlicht von|eingestellt von|erstellt von|geschrieben von|artikel von|beitrag von|alle beiträge von|"
    r"zeige alle beiträge von|show all articles of|view all posts by|all posts by|more from|posted by|written by|"
    r"published by|story by|words by|publicado por|escrito por|publié par|écrit par|pubblicato da|scritto da|"
    r"geplaatst door|geschreven door)\s?:?\s?",
    re.I,
)
# Linear: one alternation of literal words and a bounded separator, anchored at the start.
_SHORT_LABEL_RE = re.compile(
    r"^\W*(?:by|von|par|por|di|da|door|av|af|przez|de|autor|autorin|auteur|author|autore|auteurs|authors|"
    r"interview|text|texto|foto|fotos|reporter)(?:\s?:\s?|\s)",
    re.I,
)
# Words that sit between a name and the date after it ("Jane Doe am 21. April", "on 3 May").
_NAME_DATE_JOINERS = frozenset(
    "am um on at le el il em den der the stand updated published aktualisiert datum date | - – — / ,".split()
)
# Not a person, whatever the markup says: staff labels, placeholders and organisation words.
_NOT_PERSON_WORDS = ORG_WORDS | frozenset(
    """redaktion redaktionen redacción redaccion rédaction redazione redactie redakcja admin administrator
    unknown anonymous anonym anónimo anonimo guest gast e.v. e.v gmbh ag verlag magazin magazine online
    agencies illustrierte
    zeitung newspaper tv radio fernsehen stiftung verband verein bund partei blog shop publisher
    publiziert veröffentlicht publicado publié published posted""".split()
)
_TRAILING_WORDS = _NAME_DATE_JOINERS | WEEKDAY_WORDS | MONTH_WORDS | {""}
# The author box's link after the name ("Jane Doe Alle Artikel", "Jane Doe View profile").
# Linear: one alternation of literal phrases anchored at the end.
_LINK_LABEL_RE = re.compile(
    r"\s(?:alle artikel|alle beiträge|mehr artikel|all articles|all posts|more articles|more posts|view profile|"
    r"zum profil|tous les articles|todos los artículos)\s*$",
    re.I,
)
# "A im Gespräch mit B", "A in conversation with B": two people, as "A, B".
# Linear: one alternation of literal phrases between single spaces.
_CONVERSATION_RE = re.compile(
    r"\s(?:im gespräch mit|in conversation with|en conversation avec|en conversación con)\s", re.I
)
# A login name: lower-case letters joined by dots, dashes or underscores ("jane.doe", "jane_doe"),
# checked part by part (no nested repetition). Linear: one character class each, fullmatch.
_LOGIN_SEP_RE = re.compile(r"[._-]")
_LOGIN_HEAD_RE = re.compile(r"[^\W\d_A-Z]+")
_LOGIN_PART_RE = re.compile(r"[^\W_A-Z]+")


def _is_login(name: str) -> bool:
    """``jane.doe``, ``j_doe2``: a lower-case word and at least one more joined by ``.``, ``_`` or ``-``."""
    head, *rest = _LOGIN_SEP_RE.split(name)
    return bool(rest) and bool(_LOGIN_HEAD_RE.fullmatch(head)) and all(_LOGIN_PART_RE.fullmatch(p) for p in rest)


_CREDENTIAL_RE = re.compile(r",\s?(?:ph\.?d|m\.?d|dr|msc|ma|bsc|mba)\.?$", re.I)  # Linear: literals at the end.


def _strip_byline_decoration(s: str) -> str:
    """``Veröffentlicht vonChris Jung`` → ``Chris Jung``; ``Jane Doe am 21. April 2020`` → ``Jane Doe``."""
    s = _LONG_LABEL_RE.sub("", s, count=1)
    s = _SHORT_LABEL_RE.sub("", s, count=1)
    tokens = s.split()
    for i, tok in enumerate(tokens):
        if (
            any(c.isdigit() for c in tok) and sum(c.isalpha() for c in tok) < 4
        ):  # "29.07.2020", "12:56", not "freeman1984"
            tokens = tokens[:i]
            break
    while tokens and (tokens[-1].lower().strip(":,") in _TRAILING_WORDS or tokens[-1].startswith("@")):
        # joiners and a weekday before a date ("am Samstag, 19. Oktober"), a social handle after the name
        tokens.pop()
    s = _LINK_LABEL_RE.sub("", " ".join(tokens))
    return _CREDENTIAL_RE.sub("", s).strip(" ,;|-–—/~'\"")


def plausible_person(name: str, *, site: str | None = None, single: bool = True) -> bool:
    """Whether a name from page markup can be a person's: up to five words, no URL, date,
    comment-form label or organisation word, and not the site's own name.

    ``single``: a one-word name (a blogger's first name or handle) is allowed; it is not for
    sources that templates fill with the site's or the account's name (``<meta name=author>``).
    """
    words = name.split()
    cjk = any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in name)  # names written without spaces
    if not 1 <= len(words) <= 5 or len(words) == 1 and not cjk and (not single or len(name) < 2):
        return False
    bare = [w.lower().strip(".,") for w in words]
    if any((b in MONTH_WORDS or b in WEEKDAY_WORDS) and b not in DATE_WORDS_ALSO_NAMES for b in bare):
        return False  # what is left of a byline's date ("Donnerstag", "Dezember")
    if any(c in name for c in "@/:()|[]{}<>=?!#*：") or "www." in name.lower():
        return False
    # digits: a date left in a byline, unless one word is a handle ("freeman1984")
    if any(c.isdigit() for c in name) and (len(words) > 1 or sum(c.isalpha() for c in name) < 4):
        return False
    if len(words) > 1 and name[:1].islower():
        return False  # "sarah sagt", "selbst ist der Mann": not how a byline writes a name
    if len(words) == 1 and _is_login(name) and name == name.lower():
        return False  # "jane.doe": the account's login, the display name is elsewhere
    if re.search(r"\.(?:com|net|org|de|at|ch|fr|it|es|uk|info|io)\b", name, re.I):  # Linear: literals.
        return False
    if any(w.strip(".,'\"") in _NOT_PERSON_WORDS for w in name.lower().replace("_", " ").split()):
        return False
    if site:
        k, sk = name.casefold(), site.casefold()
        if k == sk or k in sk or sk in k:
            return False
    return True


def _names(
    value: object,
    *,
    strict: bool = False,
    site: str | None = None,
    single: bool = True,
    fixes: tuple[str, ...] = FIELD_FIXES,
) -> list[str]:
    """Author names from a string ("By A and B"), a list of strings, or a list of dicts.

    ``strict`` (names read from page markup): each name must pass :func:`plausible_person`.
    """
    items: Iterable[object]
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str) and item.startswith("{") and item.endswith("}") and len(item) < 2000:
            try:  # a JSON-LD author written as JSON text inside a string
                item = json.loads(item)
            except ValueError:
                pass
        if isinstance(item, dict):
            kind = item.get("@type")
            if isinstance(kind, str) and kind.lower() in ("organization", "newsmediaorganization", "corporation"):
                continue  # JSON-LD says outright that this author is not a person
            item = item.get("name")
        s = clean_field(item, MAX_NAME, fixes=fixes)
        if not s:
            continue
        if strict:
            s = _CONVERSATION_RE.sub(", ", _strip_byline_decoration(s))
        m = BYLINE_PREFIX_RE.match(s)
        if m:
            s = m.group(1)
        split = split_byline(s)
        names = split[0] if split else [s.strip(" ,;")] if _could_be_person(s.strip(" ,;")) else []
        for n in names:
            if strict:
                n = _keep_initial_dot(n.strip("'\"\u2018\u2019\u201c\u201d "), s)
                if not plausible_person(n, site=site, single=single):
                    continue
            if n and n not in out and not n.lower().startswith(("http://", "https://")):
                out.append(n)
    return out


_CROWDED_AUTHOR_TAGS = 3
# Author markup a template fills in, as opposed to a byline the reader sees.
_DECLARED_AUTHOR_SOURCES = frozenset({"jsonld:author", "meta:author", "meta:byline", "meta:twitter:data1"})
# Where a page prints its byline for the reader: what the reader sees completes a declared name.
_VISIBLE_BYLINE_SOURCES = ("html:byline", "text:byline_near_headline", "html:rel_author", "itemprop:author")


def _covers(shown: str, declared: str) -> bool:
    """``shown`` is ``declared`` written in full: the same name, the first name completed
    ("Nils" → "Nils Pickert"), or the name without a role before it ("Experte Jane Doe" → "Jane Doe")."""
    if shown == declared:
        return True
    if len(declared.split()) == 1 and shown.startswith(declared + " "):
        return True
    return len(shown.split()) >= 2 and declared.endswith(" " + shown)


def _complete_authors(meta: Metadata, hints: Sequence[Hint]) -> None:
    """Replace the chosen authors by the byline the page shows when that byline covers every
    chosen name and says more: a full name for a first name, a name without a role before it, or
    (from the byline element or line only) the co-authors the declared markup left out."""
    chosen = list(meta.authors)
    source = meta.sources.get("authors", "")
    if not chosen or source.startswith("record:"):
        return
    if source in _VISIBLE_BYLINE_SOURCES[:2]:
        return
    for h in hints:
        if h.field != "authors" or h.source not in _VISIBLE_BYLINE_SOURCES or h.source == source:
            continue
        shown = _names(h.value, strict=True, single=h.source != "text:byline_near_headline")
        if not shown or shown == chosen or len(shown) > 5:
            continue
        if len(shown) != len(chosen) and h.source not in _VISIBLE_BYLINE_SOURCES[:2]:
            continue  # rel=author links and microdata collect the related stories' authors too
        if all(any(_covers(s, c) for s in shown) for c in chosen):
            meta.replace_field("authors", shown, h.source)
            return


def _shown_on_page(names: list[str], hints: Sequence[Hint]) -> list[str]:
    """The declared names the page also prints; all of them where the reader gave no page text.

    A name in JSON-LD or ``<meta name=author>`` that the page never shows is a template's
    default (the site account, a former editor), not the byline a reader sees.
    """
    if not names:
        return names  # nothing to look for: the page text is not casefolded for it
    shown = next((h.value for h in hints if h.field == "page_text" and isinstance(h.value, str)), None)
    if shown is None:
        return names
    text = shown.casefold()
    return [n for n in names if n.casefold() in text]


def _letters(s: str) -> str:
    return "".join(c for c in s.casefold() if c.isalnum())


def _site_keys(hints: Sequence[Hint]) -> set[str]:
    """The site's name and its host's labels, letters and digits only ("L'Opinion" → "lopinion")."""
    from urllib.parse import urlsplit

    keys = {_letters(n) for n in [_site_name(hints)] if n}
    for h in hints:
        if h.field == "url" and isinstance(h.value, str):
            try:
                host = urlsplit(h.value.strip()).hostname or ""
            except ValueError:
                continue
            keys.update(_letters(label) for label in host.split(".")[:-1] if label != "www")
    keys.discard("")
    return keys


def _site_name(hints: Sequence[Hint]) -> str | None:
    """The site's own name (og:site_name, application-name): never an author."""
    for h in hints:
        if (
            h.field == "publisher"
            and h.source in ("meta:og:site_name", "meta:application-name")
            and isinstance(h.value, str)
        ):
            return h.value.strip() or None
    return None


def _keep_initial_dot(name: str, text: str) -> str:
    """``Joe S.`` and ``Perry Bacon Jr.`` keep the full stop the byline split took off."""
    last = name.split()[-1] if name.split() else ""
    if (len(last) == 1 or last in ("Jr", "Sr")) and f"{name}." in text:
        return name + "."
    return name


def _could_be_person(s: str) -> bool:
    """A structured author value that did not parse as a byline: kept unless it names an organisation."""
    if not s or is_publisher_name(s) or len(s.split()) > 6:
        return False
    return not any(w.lower().strip(".,") in ORG_WORDS for w in s.split())


def _from_removed(meta: Metadata, removed: Sequence[Removed], fixes: tuple[str, ...] = FIELD_FIXES) -> None:
    reporters: list[str] = []
    for r in removed:
        kind, text = r.kind, r.text
        if kind == "date_header":
            m = DATE_HEADER_RE.match(text)
            if m:
                meta.offer_date("published", m.group(1), "text:date_header")
                if m.group(2):
                    meta.offer("title", clean_title(m.group(2), fixes=fixes), "text:date_header")
        elif kind == "headline":
            meta.offer("title", clean_title(text, fixes=fixes), "text:headline")
        elif kind == "publisher_line":
            if not is_publisher_name(text):
                meta.warnings.append(
                    ArticleWarning("publisher_guessed", f"first line {text!r} taken as the publisher's name")
                )
            meta.offer("publisher", clean_field(text.rstrip("."), MAX_NAME, fixes=fixes), "text:publisher_line")
        elif kind == "byline":
            bd = match_byline_date(text)
            if bd and split_byline(bd[0]):
                meta.offer_date("published", bd[1], "text:byline")
                text = "By " + bd[0]
            m = BYLINE_PREFIX_RE.match(text)
            body = m.group(1) if m else text
            split = split_byline(body)
            if split is None:
                pm = re.match(r"^(.{3,60}?)\s*[,|]\s*(.{2,60})$", text)
                split = ([pm.group(1)], pm.group(2)) if pm else None
            if split:
                meta.offer("authors", split[0], "text:byline")
                if split[1]:
                    meta.offer("publisher", split[1], "text:byline")
        elif kind == "date_line":
            m = DATE_LABEL_RE.match(text)
            label, value = (m.group(1).lower(), m.group(2)) if m else ("", text)
            target = "updated" if label in UPDATED_LABELS else "published"
            meta.offer_date(target, value, "text:date_line")
        elif kind == "dateline":
            meta.offer("dateline", clean_field(text, MAX_NAME, fixes=fixes), "text:dateline")
            dm = match_dateline(text + " — " + "x " * 12)
            if dm and dm.group("agency"):
                meta.offer("publisher", clean_field(dm.group("agency"), MAX_NAME, fixes=fixes), "text:dateline")
        elif kind == "trailer":
            found = [n for m in REPORTERS_RE.finditer(text) for n in _names(m.group(1), fixes=fixes)]
            if found:
                # The agency trailer closes the story: the last one names its reporters (an
                # earlier one belongs to text quoted or appended above it).
                reporters = list(dict.fromkeys(found))
        elif kind == "copyright":
            holder = (copyright_holder(text) or "").strip(" .,")
            # "© Name" alone is as often a photo credit as a notice: the holder is the
            # publisher only with a year or "all rights reserved", or when it is a known one.
            notice = bool(re.search(r"\d{4}|rights reserved", text, re.I)) or is_publisher_name(holder)
            if holder and notice and len(holder) <= 60 and not re.search(r"\d", holder):
                meta.offer("publisher", holder, "text:copyright")
    if reporters:
        meta.offer("authors", reporters, "text:trailer")


def extract_metadata(
    body: str,
    *,
    removed: Sequence[Removed] = (),
    hints: Sequence[Hint] = (),
    detect_lang: bool = True,
    disabled_fixes: frozenset[str] = frozenset(),
) -> Metadata:
    """Fill the metadata fields from reader hints, removed artifact lines and the body.

    ``disabled_fixes``: fixes (``Options.disabled_fixes``) the field strings do not get either.
    """
    meta = Metadata()
    lang_hint: tuple[str, str] | None = None  # the markup's language, used when detection finds none
    fixes = field_fixes(disabled_fixes)
    unread: dict[str, tuple[object, str]] = {}  # date field → the first value that could not be read
    # A one-name source the page repeats with many names lists references or comments, not its byline.
    per_source = Counter(h.source for h in hints if h.field == "authors" and not h.source.startswith("record:"))
    crowded = {src for src, n in per_source.items() if n >= _CROWDED_AUTHOR_TAGS}
    has_h1 = any(x.field == "title" and x.source == "html:h1" for x in hints)
    for h in hints:
        f = h.field
        if f == "title":
            if h.source.startswith("record:") or not has_h1:
                meta.offer("title", clean_title(h.value, fixes=fixes), h.source)
            elif not meta.has("title"):
                title, source = choose_title(hints, fixes=fixes)
                meta.offer("title", title, source)
        elif f in ("published", "updated"):
            if h.source.startswith("record:") and h.value not in (None, "", [], {}) and parse_date(h.value) is None:
                # A record's own date field that cannot be read: said in a warning (below), not a silent null.
                unread.setdefault(f, (h.value, h.source))
            if f == "updated":
                meta.offer_date(f, h.value, h.source)
        elif f == "authors":
            if not meta.has("authors") and h.source not in crowded:
                strict = not h.source.startswith("record:")
                # Templates fill <meta name=author> with the site's or the account's name; a byline
                # or a JSON-LD Person that repeats the site's name is a personal blog's author.
                single = h.source not in ("meta:author", "meta:byline", "text:byline_near_headline")
                site = _site_name(hints) if strict and not single else None
                found = _names(h.value, strict=strict, site=site, single=single, fixes=fixes)
                if h.source in _DECLARED_AUTHOR_SOURCES:
                    # markup that names the site itself as the "person": one word that is its name
                    # or its domain ("Makronom" on makronom.de); "Jane Doe" on janedoe.com is a person
                    if any(" " not in n for n in found):  # only a one-word name can be the site's
                        keys = _site_keys(hints)
                        found = [n for n in found if " " in n or _letters(n) not in keys]
                    found = _shown_on_page(found, hints)
                meta.offer("authors", found, h.source)
        elif f == "tags":
            vals = (
                h.value
                if isinstance(h.value, (list, tuple))
                else str(h.value).split(",")
                if isinstance(h.value, str)
                else []
            )
            tags: list[str] = []
            for v in vals:
                t = clean_field(v, MAX_NAME, fixes=fixes)
                if t and t not in tags:
                    tags.append(t)
            meta.offer("tags", tags, h.source)
        elif f == "language":
            if lang_hint is None and (not detect_lang or not meta.has("language")):
                code = normalise_language(h.value)
                lang_hint = (code, h.source) if code else None
        elif f in ("url", "image"):
            v = clean_field(h.value, 2000, fixes=fixes)
            if v and re.match(r"^https?://\S+$", v):
                meta.offer(f, v, h.source)
        elif f == "description":
            meta.offer("description", clean_field(h.value, 2000, fixes=fixes), h.source)
        elif f in ("publisher", "dateline"):
            meta.offer(f, clean_field(h.value, MAX_NAME, fixes=fixes), h.source)
    _complete_authors(meta, hints)
    _published_cascade(meta, hints)
    _from_removed(meta, removed, fixes)
    _published_fallbacks(meta, hints)
    if _unshown_date_on_non_article(meta, hints, body):
        meta.warnings.append(
            ArticleWarning(
                "date_not_shown",
                f"published: {meta.sources['published']} gives {meta.published}, but the page does not present "
                "itself as an article and prints no date; dropped",
            )
        )
        meta.drop("published")
    # Language: the body says what language it is in more reliably than a template's lang attribute.
    if detect_lang:
        found = detect_language(body, meta.warnings)
        if found:
            meta.offer("language", found[0], "detector:py3langid")
    if lang_hint is not None:
        meta.offer("language", lang_hint[0], lang_hint[1])
    for f, (value, source) in unread.items():
        if not meta.has(f):  # a value nothing else replaced: say so rather than leave a silent null
            shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
            meta.warnings.append(
                ArticleWarning("unreadable_date", f"{f}: {source} value {shown} is not a date ingest can read")
            )
    return meta
