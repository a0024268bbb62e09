"""Golden pages: each HTML fixture's expected metadata (with the winning source) and body.

The pages in tests/data/html are synthetic, one per situation the issue names: JSON-LD,
OpenGraph only, <time>, no hints at all, a byline element, boilerplate blocks, cp1252 with a
meta charset, mojibake inside, microdata articleBody, a body only in JSON-LD.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest import clean_article

DATA = Path(__file__).resolve().parent.parent / "data" / "html"

# Per page: expected field values (None = must stay empty), their sources, and the body's shape.
GOLDEN: dict[str, dict[str, Any]] = {
    "jsonld-article.html": {
        "fields": {
            "title": "Harbour Town Votes to Restore Old Lighthouse",
            "published": "2023-06-14T08:30:00+01:00",
            "updated": "2023-06-15T10:05:00+01:00",
            "authors": ["Maren Holt", "Idris Palmer"],
            "publisher": "The Coastal Ledger",
            "url": "https://coastal-ledger.example/news/2023/06/14/harbour-lighthouse-vote",
            "language": "en",
            "description": "Councillors approved a plan to repair the 1870 tower and open it to visitors.",
            "tags": ["lighthouse", "heritage", "council"],
            "image": "https://coastal-ledger.example/img/lighthouse.jpg",
        },
        "sources": {
            "title": "html:h1",
            "published": "jsonld:datePublished",
            "updated": "jsonld:dateModified",
            "authors": "jsonld:author",
            "publisher": "jsonld:publisher",
            "url": "html:canonical",
            "tags": "jsonld:keywords",
        },
        "start": "Councillors in the harbour town voted on Tuesday evening",
        "end": "should take about eighteen months to complete.",
        "paragraphs": 6,
        "contains": ["A long campaign", '"We always said the light belonged to the town'],
        "not_contains": ["Sport", "Weather", "All rights reserved", "By Maren Holt", "dataLayer", "color: red"],
    },
    "opengraph-only.html": {
        "fields": {
            "title": "Night Trains Return to the Valley Line",
            "published": "2022-11-03T06:00:00+00:00",
            "updated": "2022-11-03T09:15:00+00:00",
            "authors": ["Petra Lindqvist"],
            "publisher": "Rail Courier",
            "url": "https://railcourier.example/stories/night-trains-valley-line",
            "description": "Sleeper services resume after a twelve-year gap.",
            "tags": ["rail", "transport"],
            "image": "https://railcourier.example/media/sleeper.jpg",
        },
        "sources": {
            "title": "html:h1",
            "published": "meta:article:published_time",
            "authors": "meta:author",
            "publisher": "meta:og:site_name",
            "url": "meta:og:url",
            "tags": "meta:article:tag",
        },
        "start": "Sleeper trains will run again on the valley line",
        "end": "planned for the second week of December.",
        "paragraphs": 4,
        "contains": [],
        "not_contains": ["Most read", "Timetable changes for the spring", "Subscribe", "Rail Courier"],
    },
    "time-element.html": {
        "fields": {
            "title": "Library Extends Opening Hours for Exam Season",
            "published": "2021-04-19T14:00:00-05:00",
            "authors": [],
            "publisher": None,
            "url": None,
        },
        "sources": {"title": "html:h1", "published": "html:time"},
        "start": "The central library will stay open until midnight",
        "end": "if enough people use them.",
        "paragraphs": 3,
        "contains": [],
        "not_contains": ["Posted", "April 19, 2021", "comments", "Great news for my daughter"],
    },
    "no-markup-hints.html": {
        "fields": {
            "title": "Gardeners count record number of bees",
            "published": None,
            "authors": [],
            "publisher": None,
        },
        "sources": {"title": "html:title"},
        "start": "Volunteers who spent the weekend counting insects",
        "end": "plans a separate survey in August.",
        "paragraphs": 4,
        "contains": [],
        "not_contains": ["home", "Older posts", "Archive"],
    },
    "byline-element.html": {
        "fields": {
            "title": "El mercado central reabre tras dos años de obras",
            "authors": ["Lucía Vega", "Tomás Ortiz"],
            "publisher": "Diario del Sur",
            "language": "es",
        },
        "sources": {"title": "html:h1", "authors": "html:rel_author", "publisher": "meta:og:site_name"},
        "start": "El mercado central de la ciudad volvió a abrir sus puertas",
        "end": "durante casi todo el día.",
        "paragraphs": 3,
        "contains": [],
        "not_contains": ["Por Lucía", "Tomás Ortiz"],
    },
    "boilerplate-blocks.html": {
        "fields": {
            "title": "City Council Approves New Cycle Lanes",
            "published": "2024-02-08",
            "publisher": "Metro Daily",
        },
        "sources": {"title": "html:h1", "published": "meta:article:published_time"},
        "start": "The city council approved a network of protected cycle lanes",
        "end": "most of the work will be done at night.",
        "paragraphs": 4,
        "contains": ["loading bays to be kept"],
        "not_contains": [
            "cookies",
            "Accept all",
            "Share on",
            "Photo: Metro Daily",
            "ADVERTISEMENT",
            "Bus fares to rise",
            "briefing in your inbox",
            "Sign up",
            "About time!",
            "Where am I supposed to park",
            "Press Lane",
        ],
    },
    "cp1252-meta-charset.html": {
        "fields": {
            "title": "Café Owners Celebrate \u201cBest Summer\u201d in Years",
            "published": "2017-08-30",
            "authors": ["Renée Dubois"],
        },
        "sources": {"title": "html:h1", "published": "meta:date", "authors": "meta:author"},
        "start": "Owners of the lakeside cafés say this was their \u201cbest summer\u201d",
        "end": "for the town\u2019s naïve hopes.",
        "paragraphs": 3,
        "contains": ["crêperie", "almost a third \u2013 enough"],
        "not_contains": ["\u00c3", "\ufffd"],
        "encoding": "cp1252",
    },
    "mojibake-inside.html": {
        "fields": {
            "title": "Le café du port fête ses cent ans",
            "published": "2018-05-22T09:00:00+02:00",
            "publisher": "Journal de l\u2019Estuaire",
            "language": "fr",
        },
        "sources": {"title": "html:h1"},
        "start": "Le café du port a célébré samedi son centième anniversaire",
        "end": "autour du comptoir.",
        "paragraphs": 3,
        "contains": ["l\u2019occasion", "n\u2019a jamais fermé", "pêcheur"],
        "not_contains": ["Ã", "â€"],
        "fixes": ["fix_mojibake"],
    },
    "itemprop-body.html": {
        "fields": {
            "title": "Neue Fähre verbindet die Inseln",
            "published": "2020-09-01T07:45:00+02:00",
            "authors": ["Jonas Brandt"],
            "url": "https://nordsee-bote.example/2020/09/01/neue-faehre",
            "language": "de",
        },
        "sources": {"published": "itemprop:datePublished", "authors": "itemprop:author", "url": "html:canonical"},
        "start": "Seit Dienstag fährt eine neue Fähre",
        "end": "vom Wasserstand im Hafen.",
        # the <br> inside the second paragraph is a line break; the pipeline's contract makes it a paragraph
        "paragraphs": 4,
        "contains": ["mehrmals verschieben.\n\nDie erste Fahrt"],
        "not_contains": ["Weitere Nachrichten", "Wetter für morgen", "Jonas Brandt"],
    },
    "jsonld-body-only.html": {
        "fields": {
            "title": "Observatory Spots Comet Over the Ridge",
            "published": "2019-12-02",
            "authors": ["Noor Haddad"],
        },
        "sources": {"title": "jsonld:headline", "published": "jsonld:datePublished", "authors": "jsonld:author"},
        "start": "Astronomers at the ridge observatory photographed a faint comet",
        "end": "if the sky is clear.",
        "paragraphs": 3,
        "contains": [],
        "not_contains": ["Loading"],
    },
}


@pytest.fixture(scope="module")
def articles() -> dict[str, Any]:
    return {name: clean_article((DATA / name).read_bytes(), path=str(DATA / name)) for name in GOLDEN}


def test_every_fixture_page_has_a_golden_entry() -> None:
    assert sorted(p.name for p in DATA.glob("*.html")) == sorted(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_metadata_fields(name: str, articles: dict[str, Any]) -> None:
    a = articles[name].to_dict()
    for field, expected in GOLDEN[name]["fields"].items():
        assert a[field] == expected, f"{name}: {field}"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_metadata_sources(name: str, articles: dict[str, Any]) -> None:
    sources = dict(articles[name].field_sources)
    for field, source in GOLDEN[name]["sources"].items():
        assert sources.get(field) == source, f"{name}: {field} came from {sources.get(field)}"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_body_shape_and_snippets(name: str, articles: dict[str, Any]) -> None:
    g = GOLDEN[name]
    a = articles[name]
    assert a.source.format == "html"
    assert a.body.startswith(g["start"]), a.body[:120]
    assert a.body.endswith(g["end"]), a.body[-120:]
    assert a.stats.paragraphs == g["paragraphs"]
    for snippet in g["contains"]:
        assert snippet in a.body, snippet
    for snippet in g["not_contains"]:
        assert snippet not in a.body, snippet
    if "encoding" in g:
        assert a.source.encoding == g["encoding"]
    for fix in g.get("fixes", ()):
        assert fix in [f.name for f in a.fixes]


def test_cp1252_page_is_decoded_with_its_declared_charset_not_a_guess(articles: dict[str, Any]) -> None:
    a = articles["cp1252-meta-charset.html"]
    assert a.source.encoding == "cp1252"
    assert not [w for w in a.warnings if w.code in ("encoding_guessed", "declared_charset_wrong")]
