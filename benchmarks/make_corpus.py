#!/usr/bin/env python3
"""Generate a synthetic, damaged article corpus with a gold file.

Usage::

    python benchmarks/make_corpus.py N OUT_DIR [--seed S] [--only text|html|jsonl]

writes ``OUT_DIR/raw/`` (the inputs, in subfolders of 1,000) and ``OUT_DIR/gold.jsonl`` (one
line per article: where it is — ``path`` relative to ``raw/`` and the 1-based JSONL ``record`` —
and the expected ``body``, ``title``, ``published``, ``authors``, ``publisher``, ``dateline``,
``language``, plus the ``damage`` applied). Point ``ingest run`` at ``OUT_DIR/raw``, never at
``OUT_DIR`` (the gold file is JSONL and would be read as input).

Everything is generated: a small hand-written lexicon per language (function words, common
nouns and verbs), invented names and places, sentence templates. No real article text is used.
Output depends only on ``N``, ``--seed`` and ``--only`` (not on ``--jobs``): article ``i`` draws
from its own ``random.Random`` seeded with ``(seed, i)``, and articles are made in self-contained
blocks of 1,000 (one subfolder each), so the first 1,000 articles of any two corpora with the
same seed and N >= 1,000 are the same.

Damage covers what ingest repairs: full mojibake (UTF-8 read as cp1252), the lossy ``,†Name``
form, ``â€`` with a lost third byte, ``Â `` from a NBSP, stray mid-sentence line breaks, hard
wraps with hyphenation, scraper ``date YYYY-MM-DD Title`` headers, publisher lines, bylines,
date lines, datelines, agency trailers and copyright lines, Advertisement / Read more / Share
lines, zero-width characters and soft hyphens, CRLF line endings and HTML entities.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", the codec real mojibake comes from

FILES_PER_DIR = 1000
SENTENCE_POOL = 3000  # distinct sentences per language; articles are drawn from the pool

# ---- lexicon: hand-written word lists, no copied text -------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    code: str
    subjects: tuple[str, ...]  # noun phrases with their article, usable as sentence subjects
    objects: tuple[str, ...]
    verbs: tuple[str, ...]
    times: tuple[str, ...]
    preps: tuple[str, ...]
    joiners: tuple[str, ...]
    adjs: tuple[str, ...]
    said: str  # quote attribution: "{quote}{close} {name} said." etc., see _quote_sentence
    quote_open: str
    quote_close: str
    according: str
    syllables: tuple[str, ...]  # for invented names
    templates: tuple[str, ...] = field(default=())


def _t(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split("|") if x.strip())


EN = Lexicon(
    code="en",
    subjects=_t(
        "the government|the minister|the city council|the company|the regional court|the committee|"
        "the agency|the opposition|the central bank|the mayor|the board|the union|the ministry|"
        "the administration|the local authority|the health service|the electoral commission|"
        "the parliament|the prosecutor|the research institute|the transport authority|"
        "the investigators|the representatives|the organisers|the residents|the farmers"
    ),
    objects=_t(
        "the budget|a new plan|the proposal|the report|the agreement|the investigation|the project|"
        "the infrastructure programme|the new regulations|the election results|the contract|"
        "the reconstruction of the bridge|a temporary ban|the negotiations|the hospital expansion|"
        "the school reform|the pension system|the railway line|the harbour renovation|the water supply|"
        "the responsibility for the delays|the environmental assessment|the housing programme"
    ),
    verbs=_t(
        "announced|approved|rejected|postponed|reviewed|criticised|supported|proposed|described|"
        "confirmed|discussed|expanded|reduced|signed|blocked|launched|welcomed|examined|questioned|"
        "defended|suspended|finalised|challenged|endorsed"
    ),
    times=_t(
        "on Monday|on Tuesday|on Wednesday|on Thursday|on Friday|last week|this year|in March|"
        "earlier this month|after months of talks|late on Sunday|in the spring|since August"
    ),
    preps=_t(
        "in the northern province|near the border|across the region|for the third time|with little debate|"
        "after a long meeting|before the holidays|despite strong objections|during a press conference|"
        "under pressure from the opposition|in the capital|at a closed session"
    ),
    joiners=_t(", and|, but|, while|, although|, because|, even though"),
    adjs=_t(
        "independent|significant|unexpected|controversial|temporary|comprehensive|difficult|"
        "international|considerable|unprecedented|remarkable|necessary"
    ),
    said="said",
    quote_open="\u201c",
    quote_close="\u201d",
    according="According to",
    syllables=_t("ka|ren|mol|vi|dar|lo|sen|tra|bel|mi|nor|ta|vas|el|ri|gon|ul|fe|ast|ber|sha|wen|dor|li"),
)
DE = Lexicon(
    code="de",
    subjects=_t(
        "die Regierung|der Minister|der Stadtrat|das Unternehmen|das Landgericht|der Ausschuss|"
        "die Behörde|die Opposition|die Zentralbank|der Bürgermeister|der Vorstand|die Gewerkschaft|"
        "das Ministerium|die Verwaltung|die Staatsanwaltschaft|die Bevölkerung|die Landesregierung"
    ),
    objects=_t(
        "den Haushalt|einen neuen Plan|den Vorschlag|den Bericht|die Vereinbarung|die Untersuchung|"
        "das Projekt|die neuen Vorschriften|den Vertrag|die Sanierung der Brücke|ein vorübergehendes Verbot|"
        "die Verhandlungen|den Ausbau des Krankenhauses|die Schulreform|die Rentenreform|die Bahnstrecke|"
        "die Verantwortung für die Verzögerungen|die Wasserversorgung|das Wohnungsbauprogramm"
    ),
    verbs=_t(
        "angekündigt|genehmigt|abgelehnt|verschoben|geprüft|kritisiert|unterstützt|vorgeschlagen|"
        "beschrieben|bestätigt|diskutiert|erweitert|reduziert|unterzeichnet|blockiert|verteidigt|begrüßt"
    ),
    times=_t(
        "am Montag|am Dienstag|am Mittwoch|am Donnerstag|am Freitag|in der vergangenen Woche|"
        "in diesem Jahr|im März|nach monatelangen Gesprächen|seit August|im Frühjahr"
    ),
    preps=_t(
        "in der nördlichen Provinz|nahe der Grenze|in der ganzen Region|zum dritten Mal|ohne große Debatte|"
        "nach einer langen Sitzung|vor den Feiertagen|trotz heftiger Einwände|während einer Pressekonferenz|"
        "in der Hauptstadt|in einer geschlossenen Sitzung"
    ),
    joiners=_t(", und|, aber|, während|, obwohl|, weil|, doch"),
    adjs=_t("unabhängig|erheblich|unerwartet|umstritten|vorübergehend|umfassend|schwierig|notwendig"),
    said="sagte",
    quote_open="\u201e",
    quote_close="\u201c",
    according="Nach Angaben von",
    syllables=_t("han|ste|mar|kus|bri|gel|wol|fen|ries|ber|lin|tho|ma|sch|ul|rich|an|ke|dor|te"),
)
FR = Lexicon(
    code="fr",
    subjects=_t(
        "le gouvernement|le ministre|le conseil municipal|l\u2019entreprise|le tribunal régional|la commission|"
        "l\u2019agence|l\u2019opposition|la banque centrale|le maire|le conseil d\u2019administration|le syndicat|"
        "le ministère|l\u2019administration|le parquet|les habitants|les agriculteurs|les représentants"
    ),
    objects=_t(
        "le budget|un nouveau plan|la proposition|le rapport|l\u2019accord|l\u2019enquête|le projet|"
        "les nouvelles règles|le contrat|la reconstruction du pont|une interdiction temporaire|"
        "les négociations|l\u2019agrandissement de l\u2019hôpital|la réforme scolaire|la réforme des retraites|"
        "la ligne ferroviaire|la responsabilité des retards|l\u2019approvisionnement en eau"
    ),
    verbs=_t(
        "a annoncé|a approuvé|a rejeté|a reporté|a examiné|a critiqué|a soutenu|a proposé|a décrit|"
        "a confirmé|a discuté|a élargi|a réduit|a signé|a bloqué|a défendu|a suspendu|a salué"
    ),
    times=_t(
        "lundi|mardi|mercredi|jeudi|vendredi|la semaine dernière|cette année|en mars|"
        "après des mois de discussions|depuis août|au printemps"
    ),
    preps=_t(
        "dans la province du nord|près de la frontière|dans toute la région|pour la troisième fois|"
        "sans grand débat|après une longue réunion|avant les vacances|malgré de fortes objections|"
        "lors d\u2019une conférence de presse|dans la capitale|à huis clos"
    ),
    joiners=_t(", et|, mais|, alors que|, bien que|, parce que|, même si"),
    adjs=_t("indépendant|important|inattendu|controversé|temporaire|difficile|nécessaire|considérable"),
    said="a déclaré",
    quote_open="\u00ab ",
    quote_close=" \u00bb",
    according="Selon",
    syllables=_t("jean|ma|rie|lu|cien|ber|nard|cla|ire|du|mont|fa|bre|ro|ger|li|se|po|tel|an"),
)
ES = Lexicon(
    code="es",
    subjects=_t(
        "el gobierno|el ministro|el ayuntamiento|la empresa|el tribunal regional|la comisión|la agencia|"
        "la oposición|el banco central|el alcalde|el consejo|el sindicato|el ministerio|la administración|"
        "la fiscalía|los vecinos|los agricultores|los representantes"
    ),
    objects=_t(
        "el presupuesto|un nuevo plan|la propuesta|el informe|el acuerdo|la investigación|el proyecto|"
        "las nuevas normas|el contrato|la reconstrucción del puente|una prohibición temporal|"
        "las negociaciones|la ampliación del hospital|la reforma educativa|la reforma de las pensiones|"
        "la línea ferroviaria|la responsabilidad por los retrasos|el suministro de agua"
    ),
    verbs=_t(
        "anunció|aprobó|rechazó|aplazó|revisó|criticó|apoyó|propuso|describió|confirmó|discutió|"
        "amplió|redujo|firmó|bloqueó|defendió|suspendió|celebró"
    ),
    times=_t(
        "el lunes|el martes|el miércoles|el jueves|el viernes|la semana pasada|este año|en marzo|"
        "tras meses de conversaciones|desde agosto|en primavera"
    ),
    preps=_t(
        "en la provincia del norte|cerca de la frontera|en toda la región|por tercera vez|sin mucho debate|"
        "tras una larga reunión|antes de las vacaciones|a pesar de fuertes objeciones|"
        "durante una rueda de prensa|en la capital|a puerta cerrada"
    ),
    joiners=_t(", y|, pero|, mientras|, aunque|, porque|, incluso si"),
    adjs=_t("independiente|importante|inesperado|polémico|temporal|difícil|necesario|considerable"),
    said="dijo",
    quote_open="\u00ab",
    quote_close="\u00bb",
    according="Según",
    syllables=_t("jo|sé|ma|ría|car|los|lu|cía|fer|nan|do|ro|dri|go|pa|blo|san|tia|gu|el"),
)
RU = Lexicon(
    code="ru",
    subjects=_t(
        "правительство|министр|городской совет|компания|областной суд|комиссия|агентство|оппозиция|"
        "центральный банк|мэр|совет директоров|профсоюз|министерство|администрация|прокуратура|"
        "жители|фермеры|представители"
    ),
    objects=_t(
        "бюджет|новый план|предложение|доклад|соглашение|расследование|проект|новые правила|договор|"
        "реконструкцию моста|временный запрет|переговоры|расширение больницы|школьную реформу|"
        "пенсионную реформу|железнодорожную линию|ответственность за задержки|водоснабжение"
    ),
    verbs=_t(
        "объявил|одобрил|отклонил|отложил|рассмотрел|раскритиковал|поддержал|предложил|описал|"
        "подтвердил|обсудил|расширил|сократил|подписал|заблокировал|защитил|приостановил"
    ),
    times=_t(
        "в понедельник|во вторник|в среду|в четверг|в пятницу|на прошлой неделе|в этом году|в марте|"
        "после нескольких месяцев переговоров|с августа|весной"
    ),
    preps=_t(
        "в северной провинции|у границы|по всему региону|в третий раз|без долгих обсуждений|"
        "после долгого заседания|перед праздниками|несмотря на возражения|во время пресс-конференции|"
        "в столице|на закрытом заседании"
    ),
    joiners=_t(", и|, но|, хотя|, потому что|, а также|, однако"),
    adjs=_t("независимый|значительный|неожиданный|спорный|временный|сложный|необходимый"),
    said="сказал",
    quote_open="\u00ab",
    quote_close="\u00bb",
    according="По словам",
    syllables=_t("ан|дрей|ни|ко|лай|ва|си|лий|оль|га|ми|ха|ил|ко|ва|пет|ров|ле|на|сер"),
)
LEXICA = {lex.code: lex for lex in (EN, DE, FR, ES, RU)}
# A realistic mix for an English-language tool that also meets foreign sources.
LANG_WEIGHTS = (("en", 70), ("de", 8), ("fr", 8), ("es", 7), ("ru", 7))

# Publishers: (name as printed, agency tag for a dateline or None). Invented names use the
# suffixes real mastheads use; real agency names appear because dumps carry them.
REAL_PUBLISHERS = (("Reuters", "Reuters"), ("Bloomberg", None), ("AFP", "AFP"), ("Associated Press", None))
MASTHEAD_SUFFIXES = ("Herald", "Gazette", "Daily News", "Tribune", "Observer", "Chronicle", "Courier")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
COUNTRIES = ("Belarus", "Norway", "Portugal", "Chile", "Kenya", "Canada", "Poland", "Austria")


# ---- text generation ------------------------------------------------------------------------------


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _name(rng: random.Random, lex: Lexicon) -> str:
    def word() -> str:
        return _cap("".join(rng.choice(lex.syllables) for _ in range(rng.randint(2, 3))))

    return f"{word()} {word()}"


def _clause(rng: random.Random, lex: Lexicon) -> str:
    subj, verb, obj = rng.choice(lex.subjects), rng.choice(lex.verbs), rng.choice(lex.objects)
    when, where = rng.choice(lex.times), rng.choice(lex.preps)
    if lex.code == "de":
        return f"{subj} hat {when} {obj} {where} {verb}"
    if lex.code == "en" and rng.random() < 0.3:
        # Possessives put apostrophes (U+2019) in the text: the lossy "â€" damage needs them.
        obj = f"the {rng.choice(('council', 'ministry', 'company', 'region'))}\u2019s {obj.split(' ', 1)[-1]}"
    return f"{subj} {verb} {obj} {where} {when}"


def _sentence(rng: random.Random, lex: Lexicon) -> str:
    r = rng.random()
    if r < 0.18:
        quote = _cap(_clause(rng, lex))
        if lex.code == "en":
            return f"{lex.quote_open}{quote},{lex.quote_close} {_name(rng, lex)} {lex.said}."
        if lex.code == "ru":
            return f"{lex.quote_open}{quote}{lex.quote_close}, \u2014 {lex.said} {_name(rng, lex)}."
        return f"{lex.quote_open}{quote}{lex.quote_close}, {lex.said} {_name(rng, lex)}."
    if r < 0.3:
        return f"{lex.according} {_name(rng, lex)}, {_clause(rng, lex)}."
    s = _cap(_clause(rng, lex))
    if rng.random() < 0.4:
        s += f"{rng.choice(lex.joiners)} {_clause(rng, lex)}"
    if rng.random() < 0.15:
        s += f" ({rng.choice(lex.adjs)}, {rng.randint(2, 98)})"
    return s + "."


def _title(rng: random.Random, lex: Lexicon) -> str:
    """A headline: subject, verb, object — no final punctuation, as headlines are printed."""
    subj, verb, obj = rng.choice(lex.subjects), rng.choice(lex.verbs), rng.choice(lex.objects)
    if lex.code == "de":
        return _cap(f"{subj} hat {obj} {verb}")
    return _cap(f"{subj} {verb} {obj}")


@dataclass(frozen=True)
class Pools:
    sentences: dict[str, tuple[str, ...]]


def build_pools(seed: int) -> Pools:
    """A fixed pool of generated sentences per language (building per word would be too slow)."""
    out = {}
    for code, lex in LEXICA.items():
        rng = random.Random(f"pool:{seed}:{code}")
        out[code] = tuple(_sentence(rng, lex) for _ in range(SENTENCE_POOL))
    return Pools(out)


# ---- damage ---------------------------------------------------------------------------------------

_ZERO_WIDTH = ("\u200b", "\u00ad", "\u2060", "\ufeff")


def _mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252: ``’`` → ``â€™``, ``é`` → ``Ã©``."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def _lossy_dagger(text: str) -> str:
    """``,” Name`` → ``,†Name``: the third byte of ``”`` was lost and took the space with it."""
    return text.replace(",\u201d ", ",\u2020")


def _lossy_euro(text: str, rng: random.Random) -> str:
    """``’`` → ``â€`` (third byte lost) in some places."""
    parts = text.split("\u2019")
    out = [parts[0]]
    for p in parts[1:]:
        out.append(("\u00e2\u20ac" if rng.random() < 0.7 else "\u2019") + p)
    return "".join(out)


def _nbsp_remnant(text: str, rng: random.Random, n: int) -> str:
    """A NBSP whose lead byte survived as ``Â`` and whose own byte became a plain space."""
    for _ in range(n):
        i = text.find(" ", rng.randrange(len(text)))
        if i <= 0 or not text[i - 1].isalnum():
            continue
        text = text[:i] + "\u00c2 " + text[i + 1 :]
    return text


def _zero_width(text: str, rng: random.Random, n: int) -> str:
    """Zero-width spaces and soft hyphens inside words (copy-paste from web pages)."""
    for _ in range(n):
        i = rng.randrange(1, len(text))
        if text[i - 1].isalpha() and text[i].isalpha():
            text = text[:i] + rng.choice(_ZERO_WIDTH) + text[i:]
    return text


def _stray_breaks(para: str, rng: random.Random) -> str:
    """One line break inside a sentence (after a word, never after sentence punctuation)."""
    for _ in range(4):
        i = para.find(" ", rng.randrange(len(para)))
        if i > 20 and para[i - 1].isalpha() and i < len(para) - 20 and para[i + 1].islower():
            return para[:i] + "\n" + para[i + 1 :]
    return para


_VOWELS = frozenset("aeiouyäöüéèêáíóúàâîô")
_DIGRAPHS = frozenset(("ch", "sh", "th", "ck", "ph", "qu", "gn"))


def _hyphen_point(word: str) -> int:
    """Where a typesetter would split ``word`` (between two consonants, else before a consonant
    that starts a syllable), keeping 3+ letters on each side; 0 when there is no such point."""
    n = len(word)
    order = sorted(range(3, n - 2), key=lambda j: abs(j - n // 2))
    for j in order:  # "inves-tigation", "objec-tions"
        a, b = word[j - 1], word[j]
        if (
            a not in _VOWELS
            and b not in _VOWELS
            and word[j - 1 : j + 1] not in _DIGRAPHS
            and a != b
            and word[j - 2] in _VOWELS
        ):
            return j
    for j in order:  # V-CV split: "depo-sit", "mi-nister"
        if word[j - 1] in _VOWELS and word[j] not in _VOWELS and word[j + 1] in _VOWELS:
            return j
    return 0


def _hard_wrap(para: str, width: int, hyphenate: bool) -> str:
    """Fill lines up to ``width``; long words that do not fit may be split with a hyphen."""
    lines: list[str] = []
    cur = ""
    for word in para.split(" "):
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            j = _hyphen_point(word) if hyphenate and len(word) >= 9 and word.isalpha() and word.islower() else 0
            if j and len(cur) + 1 + j + 1 <= width:
                lines.append(f"{cur} {word[:j]}-")
                cur = word[j:]
            else:
                lines.append(cur)
                cur = word
    lines.append(cur)
    return "\n".join(lines)


# ---- one article ----------------------------------------------------------------------------------


@dataclass
class Spec:
    """The clean truth of one article before any damage or packaging."""

    lang: str
    paragraphs: list[str]
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    dateline: str | None = None
    damage: list[str] = field(default_factory=list)


def _pick_lang(rng: random.Random) -> str:
    r = rng.randrange(100)
    for code, w in LANG_WEIGHTS:
        if r < w:
            return code
        r -= w
    return "en"


def _target_size(rng: random.Random) -> int:
    """Bytes of body: log-uniform 1-20 KB, with one article in 200 around 200 KB."""
    if rng.random() < 0.005:
        return rng.randint(180_000, 220_000)
    return int(1000 * 20 ** rng.random())


def _publisher(rng: random.Random) -> tuple[str, str | None]:
    if rng.random() < 0.5:
        return rng.choice(REAL_PUBLISHERS)
    place = _cap("".join(rng.choice(EN.syllables) for _ in range(3)))
    return f"The {place} {rng.choice(MASTHEAD_SUFFIXES)}", None


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)


def make_spec(rng: random.Random, pools: Pools) -> Spec:
    lang = _pick_lang(rng)
    lex = LEXICA[lang]
    pool = pools.sentences[lang]
    size = _target_size(rng)
    paras: list[str] = []
    total = 0
    while total < size:
        p = " ".join(rng.choices(pool, k=rng.randint(2, 6)))
        paras.append(p)
        total += len(p.encode("utf-8")) + 2
    spec = Spec(lang=lang, paragraphs=paras)
    if rng.random() < 0.8:
        spec.title = _title(rng, lex)
    return spec


def _date_line(rng: random.Random, y: int, m: int, d: int) -> str:
    forms = (
        lambda: f"Published: {MONTHS_EN[m - 1]} {d}, {y}",
        lambda: f"Published {d} {MONTHS_EN[m - 1]} {y}",
        lambda: f"{MONTHS_EN[m - 1]} {d}, {y}",
        lambda: f"{d:02d} {MONTHS_EN[m - 1][:3]} {y} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} GMT",
        lambda: f"Posted on {y}-{m:02d}-{d:02d}",
    )
    return rng.choice(forms)()


def _junk_line(rng: random.Random, lex: Lexicon) -> str:
    return rng.choice(
        (
            "Advertisement",
            "ADVERTISEMENT",
            f"Read more: {_title(rng, lex)}",
            "Share this article",
            "Story continues below advertisement",
            f"Related: {_title(rng, lex)}",
        )
    )


def _dateline(rng: random.Random, agency: str | None) -> str:
    city = "".join(rng.choice(EN.syllables) for _ in range(rng.randint(2, 3))).upper()
    country = rng.choice(COUNTRIES)
    if agency:
        return f"{city}, {country} ({agency})"
    return f"{city}, {country}" if rng.random() < 0.5 else city


def render_text(spec: Spec, rng: random.Random) -> str:
    """A plain-text dump of ``spec`` with header/trailer artifacts and damage; fills the gold metadata."""
    lex = LEXICA[spec.lang]
    damage = spec.damage
    head: list[str] = []
    tail: list[str] = []
    publisher, agency = _publisher(rng)
    y, m, d = _date(rng)
    header = rng.random()
    title = spec.title
    spec.title = None
    if header < 0.2 and title:
        head.append(f" date {y}-{m:02d}-{d:02d} {title}")
        spec.title, spec.published = title, f"{y}-{m:02d}-{d:02d}"
        damage.append("date_header")
    elif header < 0.55:
        if rng.random() < 0.6:
            head.append(publisher)
            spec.publisher = publisher
            damage.append("publisher_line")
        if title:
            head.append(title)
            spec.title = title
        if rng.random() < 0.6:
            names = [_name(rng, lex) for _ in range(rng.choice((1, 1, 2)))]
            head.append("By " + " and ".join(names))
            spec.authors = names
            damage.append("byline")
        if rng.random() < 0.6:
            head.append(_date_line(rng, y, m, d))
            spec.published = f"{y}-{m:02d}-{d:02d}"
            damage.append("date_line")
    elif header < 0.7 and title:
        head.append(title)
        spec.title = title
    paras = list(spec.paragraphs)
    if rng.random() < 0.25:
        use_agency = agency if spec.publisher in (None, agency) and agency else None
        dl = _dateline(rng, use_agency)
        if use_agency:
            spec.publisher = use_agency
        spec.dateline = dl
        paras[0] = f"{dl} \u2014 {paras[0]}"
        damage.append("dateline")
    if rng.random() < 0.2 and len(paras) > 2:
        for _ in range(rng.randint(1, 3)):
            paras.insert(rng.randrange(1, len(paras)), _junk_line(rng, lex))
        damage.append("junk_lines")
    t = rng.random()
    if t < 0.15:
        names = [_name(rng, lex) for _ in range(rng.choice((1, 2)))]
        tail.append(f"(Reporting by {' and '.join(names)}; Editing by {_name(rng, lex)})")
        if not spec.authors:
            spec.authors = names
        damage.append("trailer")
    elif t < 0.25:
        tail.append(f"\u00a9 {y} {spec.publisher or publisher}. All rights reserved.")
        if spec.publisher is None:
            spec.publisher = publisher
        damage.append("copyright")

    # Line structure: blank-line paragraphs, single-newline paragraphs, or hard-wrapped.
    layout = rng.random()
    if layout < 0.25:
        width = rng.randint(60, 78)
        hyph = rng.random() < 0.7
        paras = [_hard_wrap(p, width, hyph) for p in paras]
        sep = "\n\n"
        damage.append("hard_wrap_hyphenated" if hyph else "hard_wrap")
    else:
        sep = "\n" if layout < 0.55 else "\n\n"
        if rng.random() < 0.3:
            paras = [_stray_breaks(p, rng) if len(p) > 80 and rng.random() < 0.3 else p for p in paras]
            damage.append("stray_breaks")
        if sep == "\n":
            damage.append("single_newline_paragraphs")
    text = (
        "\n".join(head) + ("\n\n" if head else "") + sep.join(paras) + ("\n\n" + "\n".join(tail) if tail else "") + "\n"
    )
    return _char_damage(text, rng, damage)


def _char_damage(text: str, rng: random.Random, damage: list[str]) -> str:
    """Encoding- and character-level damage, in the order it happens in real pipelines."""
    r = rng.random()
    if r < 0.12:
        text = _mojibake(text)
        damage.append("mojibake")
    else:
        if r < 0.22 and ",\u201d " in text:
            text = _lossy_dagger(text)
            damage.append("lossy_dagger")
        if rng.random() < 0.08 and "\u2019" in text:
            text = _lossy_euro(text, rng)
            damage.append("lossy_euro")
        if rng.random() < 0.08:
            text = _nbsp_remnant(text, rng, rng.randint(1, 4))
            damage.append("nbsp_remnant")
    if rng.random() < 0.1:
        text = _zero_width(text, rng, rng.randint(1, 6))
        damage.append("zero_width")
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
        damage.append("crlf")
    return text


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_html(spec: Spec, rng: random.Random) -> str:
    """A saved news page: metadata in meta tags / JSON-LD, the body in <article>, chrome around it."""
    lex = LEXICA[spec.lang]
    publisher, _ = _publisher(rng)
    y, m, d = _date(rng)
    iso = f"{y}-{m:02d}-{d:02d}"
    names = [_name(rng, lex) for _ in range(rng.choice((1, 1, 2)))]
    spec.publisher, spec.published, spec.authors = publisher, iso, names
    title = spec.title or _title(rng, lex)
    spec.title = title
    stamp = f"{iso}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+00:00"
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{spec.lang}">',
        '<head><meta charset="utf-8">',
        f"<title>{_esc(title)} | {_esc(publisher)}</title>",
        f'<meta property="og:title" content="{_esc(title)}">',
        f'<meta property="og:site_name" content="{_esc(publisher)}">',
    ]
    if rng.random() < 0.5:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": stamp,
            "author": [{"@type": "Person", "name": n} for n in names],
            "publisher": {"@type": "Organization", "name": publisher},
        }
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    else:
        head.append(f'<meta property="article:published_time" content="{stamp}">')
        head.append(f'<meta name="author" content="{_esc(" and ".join(names))}">')
    head.append('<link rel="stylesheet" href="/static/site.css"><script>window.dataLayer=[];</script></head>')
    nav = "".join(
        f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("World", "Business", "Sport", "Culture", "Opinion")
    )
    body = [
        (
            '<body><header class="site-header"><a class="logo"'
            f' href="/">{_esc(publisher)}</a><nav><ul>{nav}</ul></nav></header>'
        ),
        "<main><article>",
        f"<h1>{_esc(title)}</h1>",
        f'<div class="byline">By {" and ".join(_esc(n) for n in names)}</div>',
        f'<time datetime="{stamp}">{MONTHS_EN[m - 1]} {d}, {y}</time>',
    ]
    entities = rng.random() < 0.3
    if entities:
        spec.damage.append("html_entities")
    for i, p in enumerate(spec.paragraphs):
        html_p = _esc(p)
        if entities:
            html_p = html_p.replace("\u2019", "&rsquo;").replace("\u201c", "&ldquo;").replace("\u201d", "&rdquo;")
        body.append(f"<p>{html_p}</p>")
        if i == 1 and rng.random() < 0.5:
            body.append('<div class="ad-slot"><span>Advertisement</span></div>')
            spec.damage.append("ad_slot")
    body.append("</article>")
    related = "".join(f'<li><a href="/story/{k}">{_esc(_title(rng, lex))}</a></li>' for k in range(4))
    body.append(f'<aside class="related"><h2>Read more</h2><ul>{related}</ul></aside></main>')
    body.append(
        f"<footer><p>\u00a9 {y} {_esc(publisher)}. All rights reserved.</p><a"
        ' href="/privacy">Privacy</a></footer></body></html>'
    )
    text = "\n".join(head + body) + "\n"
    if rng.random() < 0.1:
        text = _zero_width(text.replace("<p>", "<p>\u200b", 2), rng, 0)
        spec.damage.append("zero_width")
    return text


_JSON_BODY_KEYS = ("text", "content", "body", "article_body")
_JSON_DATE_KEYS = ("date", "published", "published_at", "datePublished")


def render_record(spec: Spec, rng: random.Random, index: int) -> dict[str, object]:
    """A scraper record: metadata in fields, the body as damaged text (no header artifacts)."""
    lex = LEXICA[spec.lang]
    publisher, _ = _publisher(rng)
    y, m, d = _date(rng)
    rec: dict[str, object] = {"url": f"https://news.example.org/{y}/{m:02d}/{d:02d}/story-{index}"}
    if spec.title:
        rec["title"] = spec.title
    date_key = rng.choice(_JSON_DATE_KEYS)
    rec[date_key] = (
        f"{y}-{m:02d}-{d:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        if rng.random() < 0.5
        else f"{y}-{m:02d}-{d:02d}"
    )
    spec.published = f"{y}-{m:02d}-{d:02d}"
    if rng.random() < 0.7:
        names = [_name(rng, lex) for _ in range(rng.choice((1, 2)))]
        rec["author" if len(names) == 1 else "authors"] = names[0] if len(names) == 1 else names
        spec.authors = names
    if rng.random() < 0.7:
        rec["source" if rng.random() < 0.5 else "publisher"] = publisher
        spec.publisher = publisher
    sep = "\n" if rng.random() < 0.4 else "\n\n"
    paras = [_stray_breaks(p, rng) if rng.random() < 0.1 and len(p) > 80 else p for p in spec.paragraphs]
    rec[rng.choice(_JSON_BODY_KEYS)] = _char_damage(sep.join(paras), rng, spec.damage)
    return rec


# ---- corpus ---------------------------------------------------------------------------------------


def _format_of(rng: random.Random, only: str | None) -> str:
    if only:
        return only
    # A JSONL file holds ~11 records: 0.75 % of files gives ~7 % of articles.
    r = rng.random()
    return "text" if r < 0.914 else "html" if r < 0.9925 else "jsonl"


def _gold(spec: Spec, path: str, record: int | None, fmt: str) -> dict[str, object]:
    return {
        "path": path,
        "record": record,
        "format": fmt,
        "language": spec.lang,
        "title": spec.title,
        "published": spec.published,
        "authors": spec.authors,
        "publisher": spec.publisher,
        "dateline": spec.dateline,
        "body": "\n\n".join(spec.paragraphs),
        "damage": spec.damage,
    }


def _block(args: tuple[int, int, int, str | None, str]) -> tuple[list[str], dict[str, int]]:
    """Generate articles ``[start, stop)`` into ``raw/<start // 1000>/``; return their gold lines.

    A block is self-contained (a JSONL file never crosses a block's end), so the corpus does not
    depend on how many processes generate it.
    """
    start, stop, seed, only, raw_dir = args
    raw = Path(raw_dir)
    pools = _pools(seed)
    counts = {"text": 0, "html": 0, "jsonl": 0, "files": 0, "bytes": 0}
    gold: list[str] = []
    rel_dir = f"{start // FILES_PER_DIR:03d}"
    (raw / rel_dir).mkdir(parents=True, exist_ok=True)

    def write(rel: str, content: str) -> None:
        data = content.encode("utf-8")
        with open(raw / rel, "wb") as f:
            f.write(data)
        counts["files"] += 1
        counts["bytes"] += len(data)

    i = start
    while i < stop:
        rng = random.Random(f"article:{seed}:{i}")
        fmt = _format_of(rng, only)
        if fmt == "jsonl":
            k = min(stop - i, rng.randint(2, 20))
            rel = f"{rel_dir}/{i:07d}.jsonl"
            lines = []
            for rec_no in range(1, k + 1):
                rrng = random.Random(f"record:{seed}:{i}:{rec_no}")
                spec = make_spec(rrng, pools)
                rec = render_record(spec, rrng, i + rec_no)
                lines.append(json.dumps(rec, ensure_ascii=rrng.random() < 0.3))
                gold.append(json.dumps(_gold(spec, rel, rec_no, "jsonl"), ensure_ascii=False))
            write(rel, "\n".join(lines) + "\n")
            counts["jsonl"] += k
            i += k
            continue
        spec = make_spec(rng, pools)
        if fmt == "html":
            rel = f"{rel_dir}/{i:07d}.html"
            content = render_html(spec, rng)
        else:
            rel = f"{rel_dir}/{i:07d}.txt"
            content = render_text(spec, rng)
        write(rel, content)
        gold.append(json.dumps(_gold(spec, rel, None, fmt), ensure_ascii=False))
        counts[fmt] += 1
        i += 1
    return gold, counts


_POOLS: dict[int, Pools] = {}


def _pools(seed: int) -> Pools:
    # Per-process memo: building the pools costs ~0.1 s and every block of a run needs the same ones.
    if seed not in _POOLS:
        _POOLS[seed] = build_pools(seed)
    return _POOLS[seed]


def generate(n: int, out_dir: Path, *, seed: int = 0, only: str | None = None, jobs: int = 1) -> dict[str, int]:
    """Write ``n`` articles under ``out_dir/raw`` and their gold to ``out_dir/gold.jsonl``.

    Returns counts per format (articles), files and bytes written. ``jobs`` changes only speed.
    """
    raw = out_dir / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    blocks = [(a, min(n, a + FILES_PER_DIR), seed, only, str(raw)) for a in range(0, n, FILES_PER_DIR)]
    counts = {"text": 0, "html": 0, "jsonl": 0, "files": 0, "bytes": 0}
    with open(out_dir / "gold.jsonl", "w", encoding="utf-8", newline="\n") as gold:
        if jobs > 1 and len(blocks) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.imap(_block, blocks)  # imap keeps block order: the gold file is stable
                for lines, c in results:
                    gold.write("\n".join(lines) + "\n")
                    for k, v in c.items():
                        counts[k] += v
        else:
            for blk in blocks:
                lines, c = _block(blk)
                gold.write("\n".join(lines) + "\n")
                for k, v in c.items():
                    counts[k] += v
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles (JSONL records count one each)")
    ap.add_argument("out_dir", type=Path, help="writes OUT_DIR/raw/ and OUT_DIR/gold.jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=("text", "html", "jsonl"), help="one format only (e.g. text for throughput runs)")
    ap.add_argument("--jobs", type=int, default=1, help="processes to generate with (output does not depend on it)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    if (args.out_dir / "raw").exists() and any((args.out_dir / "raw").iterdir()):
        ap.error(f"{args.out_dir / 'raw'} is not empty; choose a fresh OUT_DIR")
    t0 = time.perf_counter()
    counts = generate(args.n, args.out_dir, seed=args.seed, only=args.only, jobs=args.jobs)
    dt = time.perf_counter() - t0
    print(
        f"{args.n} articles ({counts['text']} text, {counts['html']} html, {counts['jsonl']} jsonl records) in"
        f" {counts['files']} files, {counts['bytes'] / 1e6:.1f} MB, {dt:.1f} s -> {args.out_dir}/raw,"
        f" {args.out_dir}/gold.jsonl",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
