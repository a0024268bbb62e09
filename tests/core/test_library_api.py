"""The library contract: ``clean_article`` / ``iter_articles``, the Article model, typed errors.

These are the promises the README's tour makes to library users; each test names one.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import ingest
from ingest import ERROR_CODES, Article, IngestError, Options, clean_article, iter_articles
from ingest import errors as errors_module

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
SCHEMA = json.loads((ROOT / "schemas" / "article.schema.json").read_text(encoding="utf-8"))
TEXT_SAMPLES = sorted(p.name for p in RAW.glob("*.txt"))
# UTF-8 read as cp1252: "â€" (’ “ ” – —), "Ã©" (Latin-1 letters), "Â " (NBSP), "Ð¿"/"Ñ€" (Cyrillic).
_CP1252_HIGH = (
    "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
MOJIBAKE_RE = re.compile(f"â€|[ÃÐÑ][{_CP1252_HIGH}]|Â[\\s\xa0]|\ufffd")
ARTICLE = (
    "Harbour Office\n"
    "By Linnea Strand\n"
    "\n"
    "The harbour office of Port Ellery said on Monday that dredging of the inner basin would start in June.\n"
    "\n"
    "The work will close two berths for a month.\n"
)


@functools.lru_cache(maxsize=1)
def all_sample_articles() -> tuple[tuple[str, Article], ...]:
    out = []
    for p in sorted(RAW.iterdir()):
        for o in iter_articles(p.read_bytes(), path=f"raw/{p.name}"):
            if o.article is not None:
                out.append((f"{p.name}#{o.record}" if o.record else p.name, o.article))
    return tuple(out)


def test_clean_article_takes_str_or_bytes_and_gives_the_same_article() -> None:
    a = clean_article(ARTICLE)
    b = clean_article(ARTICLE.encode("utf-8"))
    assert a == b
    assert a.authors == ("Linnea Strand",)
    assert a.body.startswith("The harbour office of Port Ellery")


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        clean_article(ARTICLE, "a.txt")  # type: ignore[misc]
    with pytest.raises(TypeError):
        clean_article(ARTICLE, None, Options())  # type: ignore[misc]
    assert clean_article(ARTICLE, path="a.txt", options=Options(detect_language=False)).language is None


def test_a_value_that_is_neither_str_nor_bytes_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        clean_article(12345)  # type: ignore[arg-type]


def test_the_article_is_frozen_and_picklable() -> None:
    art = clean_article(ARTICLE, path="a.txt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        art.title = "changed"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(art))
    assert again == art and again.to_json() == art.to_json()


def test_to_dict_has_the_schema_keys_in_the_schema_order() -> None:
    d = clean_article(ARTICLE).to_dict()
    assert list(d) == SCHEMA["required"]
    assert set(d) == set(SCHEMA["properties"])


def test_to_json_is_compact_utf8_and_round_trips() -> None:
    art = clean_article("Ein Satz über die Fähre, lang genug für einen Absatz eines Artikels.")
    s = art.to_json()
    assert "\n" not in s and ", " not in s.replace(art.body, "")
    assert "über" in s  # not \u-escaped
    assert json.loads(s) == art.to_dict()
    assert json.loads(art.to_json(indent=2)) == art.to_dict()


def test_the_id_is_derived_from_the_body_alone() -> None:
    a = clean_article(ARTICLE, path="one.txt")
    b = clean_article(ARTICLE.replace("Harbour Office\n", ""), path="elsewhere/two.txt")
    assert a.body == b.body and a.id == b.id
    c = clean_article(ARTICLE.replace("June", "July"))
    assert c.id != a.id
    assert re.fullmatch(r"[0-9a-f]{24}", a.id)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        ("   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "binary"),
        (b"%PDF-1.4\n" + bytes(range(256)), "binary"),
        ("... --- ...", "no_text"),
    ],
    ids=["empty bytes", "whitespace str", "png", "pdf", "punctuation only"],
)
def test_bad_input_raises_a_coded_ingest_error(data: str | bytes, code: str) -> None:
    with pytest.raises(IngestError) as info:
        clean_article(data)
    assert info.value.code == code
    assert code in ERROR_CODES
    assert info.value.to_dict() == {"code": code, "message": info.value.message}
    assert info.value.message and "\n" not in info.value.message


def test_the_size_cap_is_an_option() -> None:
    with pytest.raises(IngestError) as info:
        clean_article(ARTICLE, options=Options(max_bytes=50))
    assert info.value.code == "too_large"
    with pytest.raises(ValueError):
        Options(max_bytes=0)
    with pytest.raises(ValueError):
        Options(disabled_fixes=frozenset({"no_such_fix"}))


def test_a_multi_record_input_needs_iter_articles() -> None:
    data = (RAW / "scraper-local-news.jsonl").read_bytes()
    with pytest.raises(IngestError) as info:
        clean_article(data, path="x.jsonl")
    assert info.value.code == "multiple_records"
    outcomes = list(iter_articles(data, path="x.jsonl"))
    assert [o.record for o in outcomes] == [1, 2]
    assert all(o.article is not None and o.error is None for o in outcomes)


def test_every_error_code_belongs_to_one_documented_subclass() -> None:
    classes = [
        c
        for c in vars(errors_module).values()
        if isinstance(c, type) and issubclass(c, IngestError) and c is not IngestError
    ]
    # Codes the batch runner records without raising anything have no class (none is ever raised).
    recorded_only = {"name_too_long", "output_conflict", "worker_crashed", "internal_error"}
    assert sorted(c.code for c in classes) == sorted(set(ERROR_CODES) - recorded_only)
    src = "".join(p.read_text(encoding="utf-8") for p in Path(errors_module.__file__).parent.rglob("*.py"))
    for code in recorded_only:
        assert ERROR_CODES[code] and src.count(f'"{code}"') >= 2, code  # documented, and recorded somewhere
    for c in classes:
        assert re.fullmatch(r"[a-z][a-z_]*", c.code)
        assert " ".join((c.__doc__ or "").split()) == ERROR_CODES[c.code]  # a wrapped docstring is one sentence


def test_threads_give_the_same_articles_as_one_thread() -> None:
    inputs = [(RAW / n).read_bytes() for n in TEXT_SAMPLES] * 3
    sequential = [clean_article(d).to_json() for d in inputs]
    with ThreadPoolExecutor(max_workers=6) as pool:
        threaded = list(pool.map(lambda d: clean_article(d).to_json(), inputs))
    assert threaded == sequential


@pytest.mark.parametrize("sample", [n for n, _ in all_sample_articles()])
def test_every_sample_body_keeps_the_paragraph_contract(sample: str) -> None:
    """Paragraphs separated by exactly one blank line, no line breaks or edge spaces inside."""
    art = dict(all_sample_articles())[sample]
    body = art.body
    assert body == body.strip()
    assert "\n\n\n" not in body and "\r" not in body
    for para in body.split("\n\n"):
        assert para and "\n" not in para, f"line break inside a paragraph: {para[:80]!r}"
        assert para == para.strip() and "  " not in para, f"stray spaces: {para[:80]!r}"
    assert art.stats.paragraphs == len(body.split("\n\n"))
    assert art.stats.characters == len(body)
    assert not re.search("[\u200b\u00ad\t\ufeff\u00a0]", body), "invisible characters survived"


@pytest.mark.parametrize("sample", [n for n, _ in all_sample_articles()])
def test_no_mojibake_survives_in_any_field_of_a_sample(sample: str) -> None:
    art = dict(all_sample_articles())[sample]
    text = json.dumps(art.to_dict(), ensure_ascii=False)
    found = MOJIBAKE_RE.findall(text)
    assert not found, f"mojibake {found} left in {sample}"
    if "daggers" not in sample:
        assert "\u2020" not in text, f"a lone dagger (lossy ”) left in {sample}"


def test_fixes_and_removed_lines_explain_the_changes() -> None:
    """Every fix recorded changed something; every removed line is named with its kind."""
    for sample, art in all_sample_articles():
        for f in art.fixes:
            assert f.count > 0, f"{sample}: {f.name} recorded with count 0"
            assert f.name in ingest.FIX_NAMES
        for r in art.removed:
            assert r.kind and r.text.strip(), f"{sample}: empty removed entry"
            assert r.text not in art.body.split("\n\n"), f"{sample}: removed line {r.text!r} is still a paragraph"


def test_options_given_lists_are_frozen_and_the_options_stay_hashable() -> None:
    opts = Options(disabled_fixes=["fix_mojibake"], field_map=[["body", "story_text"]])  # type: ignore[arg-type]
    assert opts.disabled_fixes == frozenset({"fix_mojibake"})
    assert opts.field_map == (("body", "story_text"),)
    assert hash(opts) == hash(Options(disabled_fixes=frozenset({"fix_mojibake"}), field_map=(("body", "story_text"),)))
    assert "fix_mojibake" not in opts.enabled_fixes()


def test_every_skip_reason_the_code_can_give_is_documented() -> None:
    from ingest.errors import ERROR_CODES, SKIP_REASONS

    src = Path(ingest.__file__).parent
    given = set()
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        given |= set(re.findall(r'\bSkipped\(\s*[\w.]+\s*,\s*"(\w+)"', text))
        given |= set(re.findall(r'\b_NotRead\(\s*"(\w+)"', text))
    assert given, "the scan found the Skipped(...) calls"
    assert given <= set(SKIP_REASONS) | set(ERROR_CODES), given - set(SKIP_REASONS) - set(ERROR_CODES)


def test_iter_articles_and_clean_article_take_a_path_or_a_binary_file(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "raw" / "scraper-local-news.jsonl"
    by_bytes = [
        o.article.to_json() if o.article else o.error.code for o in iter_articles(sample.read_bytes(), path=str(sample))
    ]
    by_path = [o.article.to_json() if o.article else o.error.code for o in iter_articles(sample)]
    with sample.open("rb") as f:
        by_file = [o.article.to_json() if o.article else o.error.code for o in iter_articles(f)]
    assert by_path == by_bytes == by_file
    text_file = tmp_path / "story.txt"
    text_file.write_text("The council met on Tuesday and agreed to reopen the harbour bridge.\n", encoding="utf-8")
    assert clean_article(text_file).source.path == str(text_file)
    assert clean_article(text_file, path="named.txt").source.path == "named.txt"
    with pytest.raises(IngestError) as e:
        clean_article(tmp_path / "missing.txt")
    assert e.value.code == "not_found"
    with pytest.raises(IngestError) as e:
        clean_article(tmp_path)
    assert e.value.code == "not_regular"
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    with pytest.raises(IngestError) as e:
        clean_article(big, options=Options(max_bytes=100))
    assert e.value.code == "too_large"
    with text_file.open("r", encoding="utf-8") as f, pytest.raises(TypeError):
        clean_article(f)  # type: ignore[arg-type]
