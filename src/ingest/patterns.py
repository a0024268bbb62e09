"""Line patterns shared by the artifact fixes (which remove lines) and the metadata extractors
(which read what those lines said). Kept in one place so the two can never disagree."""

from __future__ import annotations

import re

# ---- publishers -------------------------------------------------------------------------------
# Names seen alone on the first line of dumps. Matching is case-insensitive and exact.
KNOWN_PUBLISHERS = frozenset(
    name.lower()
    for name in """
Reuters|Bloomberg|Bloomberg News|Associated Press|The Associated Press|AP|AFP|Agence France-Presse|
BBC|BBC News|CNN|CNBC|NPR|PBS|ABC News|CBS News|NBC News|Fox News|Sky News|Al Jazeera|
The New York Times|New York Times|The Washington Post|Washington Post|The Wall Street Journal|
Wall Street Journal|WSJ|The Guardian|Guardian|The Times|The Sunday Times|The Telegraph|
The Independent|Financial Times|FT|The Economist|Politico|Axios|Vox|Slate|The Atlantic|
The New Yorker|Time|Newsweek|USA Today|Los Angeles Times|Chicago Tribune|The Boston Globe|
Forbes|Fortune|Business Insider|Insider|TechCrunch|The Verge|Wired|Ars Technica|Engadget|
Deutsche Welle|DW|Der Spiegel|Spiegel|Die Zeit|Frankfurter Allgemeine|Süddeutsche Zeitung|
Le Monde|Le Figaro|Libération|El País|El Mundo|La Repubblica|Corriere della Sera|
RIA Novosti|TASS|Interfax|Meduza|Kommersant|RT|Xinhua|Kyodo|Kyodo News|Yonhap|NHK|
The Hindu|Times of India|Hindustan Times|Dawn|South China Morning Post|SCMP|
The Japan Times|Straits Times|The Straits Times|Sydney Morning Herald|ABC|RFE/RL|
Radio Free Europe|Radio Free Europe/Radio Liberty|Euronews|Belta|BelTA|Ukrinform|Kyiv Independent|
The Moscow Times|Novaya Gazeta|UPI|United Press International|Voice of America|VOA|
Daily Mail|Mail Online|The Sun|Daily Mirror|Evening Standard|Metro|HuffPost|Huffington Post|
BuzzFeed News|Vice|Vice News|The Hill|Breitbart|Daily Beast|The Daily Beast|MarketWatch|
Barron's|Yahoo News|Yahoo Finance|Google News|MSN|Nikkei|Nikkei Asia|Handelsblatt|Bild|
ANSA|EFE|Europa Press|DPA|Deutsche Presse-Agentur|Press Association|PA|PA Media|Canadian Press|
The Canadian Press|CBC|CBC News|Global News|Toronto Star|The Globe and Mail|Irish Times|
The Irish Times|RTÉ|RTE|Haaretz|The Times of Israel|Jerusalem Post|Arab News|Gulf News|
""".replace("\n", "").split("|")
    if name.strip()
)

_PUBLISHER_SUFFIX_RE = re.compile(
    r"^(?:the\s+)?[\w'’&.\- ]{1,40}\s(?:news|times|post|herald|journal|tribune|gazette|telegraph|"
    r"guardian|press|agency|daily|magazine|review|wire|today|chronicle|observer|express|mail|"
    r"standard|independent|insider|report|monitor|dispatch|courier|bulletin|radio|tv|television|"
    r"network|media|zeitung|rundschau|nachrichten|tageblatt|novosti|gazeta|vedomosti|diario|"
    r"noticias|corriere|gazzetta)$",
    re.I,
)
_DOMAIN_RE = re.compile(
    r"^(?:www\.)?[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|org|net|news|info|co\.uk|ru|de|fr|by|ua|io|in|it|es|eu)$",
    re.I,
)


def is_publisher_name(line: str) -> bool:
    """A line that names a news organisation and nothing else."""
    s = line.strip().rstrip(".")
    if not s or len(s) > 60 or len(s.split()) > 6:
        return False
    if s.lower() in KNOWN_PUBLISHERS or _DOMAIN_RE.match(s):
        return True
    # "The Vifedor Gazette", "Minsk Herald": a masthead is capitalised; "the committee
    # challenged the report" merely ends in a masthead word.
    return bool(_PUBLISHER_SUFFIX_RE.match(s)) and all(
        w[:1].isupper() or w.lower() in _MASTHEAD_PARTICLES for w in s.split()
    )


_MASTHEAD_PARTICLES = frozenset("of the and & de la le du des del der die das di".split())


SECTION_LABELS = frozenset(
    """world news politics business economy markets sport sports opinion analysis technology tech
    science health culture entertainment lifestyle travel europe asia africa americas
    middle east uk us local national international breaking news exclusive comment editorial
    video live features""".split()
)

# ---- dates in header lines ---------------------------------------------------------------------
ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# " date 2021-09-28 Belarus’ Lukashenko ..." (a scraper's header: a date, then the title)
# Linear (as every pattern below that ends a line): a captured value starts and ends with a
# non-space (\S(?:.*\S)?), so no two quantifiers can share a run of blanks; ``(.+?)\s*$`` was
# quadratic on a long run of spaces inside the line.
DATE_HEADER_RE = re.compile(r"^\s*date(?:\s*:)?\s+(" + ISO_DATE + r")(?:\s+(\S(?:.*\S)?))?\s*$", re.I)
DATE_LABEL_RE = re.compile(
    r"^\s*(published|updated|posted|last updated|last modified|modified|first published|date|"
    r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|"
    r"опубликовано|обновлено|дата)"
    r"(?:\s+(?:on|at|am|le|el|il))?(?:\s*:)?\s+(\S.{2,78}\S)\s*$",
    re.I,
)
UPDATED_LABELS = (
    "updated",
    "last updated",
    "last modified",
    "modified",
    "aktualisiert",
    "mis à jour",
    "actualizado",
    "aggiornato",
    "обновлено",
)

# ---- bylines -----------------------------------------------------------------------------------
BYLINE_PREFIX_RE = re.compile(
    r"^\s*(?:by|written by|words by|story by|author|authors|von|par|por|di|door|av|af|przez|"
    r"автор|авторы|от|texto|text)(?:\s*:)?\s+(\S(?:.*\S)?)\s*$",
    re.I,
)
# A byline and a date on one line: "Posted by Jane Doe on September 28, 2021", "By Jane Doe | 28 Sep
# 2021", "By Jane Doe, September 28, 2021". What the one regex
#   ^\s*(?:(?:posted|published|written|updated)\s+)?by\s+(?P<names>.+?)\s*(?:\bon\b|\||·|•|—|–|,)\s*
#   (?P<date>[^,|·•—–]*\d[^|·•—–]*?)\s*$
# matched, found in one pass by :func:`match_byline_date`: that regex backtracked cubically on
# "by x on 1 x on 1 …" (every separator × every digit × every end).
# Linear: anchored, no quantified group can overlap the next token.
_BYLINE_DATE_PREFIX_RE = re.compile(r"^\s*(?:(?:posted|published|written|updated)\s+)?by\s+", re.I)
_BYLINE_DATE_SEPS = "|·•—–,"


def match_byline_date(line: str) -> tuple[str, str] | None:
    """(names, date) of a byline line that ends with a date, or None — in time linear in ``line``.

    The names are the shortest text after ``by`` that a separator (``on``, ``|``, ``·``, ``•``,
    ``—``, ``–``, ``,``) follows, where the rest of the line is a date: a digit before any comma,
    and none of ``|·•—–``.
    """
    m = _BYLINE_DATE_PREFIX_RE.match(line)
    if not m:
        return None
    n = len(line)
    # next_solid[i]: the first index >= i that is not whitespace (n if none).
    next_solid = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_solid[i] = next_solid[i + 1] if line[i].isspace() else i
    # date_ok[k]: line[k:] holds a digit before its first comma; none of the forbidden marks after k.
    date_ok = [False] * (n + 1)
    for i in range(n - 1, -1, -1):
        c = line[i]
        date_ok[i] = c.isdecimal() or (c != "," and date_ok[i + 1])
    last_mark = max(line.rfind(c) for c in "|·•—–")

    def is_word(i: int) -> bool:
        return 0 <= i < n and (line[i].isalnum() or line[i] == "_")

    def valid_end(e: int) -> bool:
        j = next_solid[e]
        if j >= n:
            return False
        if line[j] in _BYLINE_DATE_SEPS:
            size = 1
        elif line[j : j + 2].lower() == "on" and not is_word(j - 1) and not is_word(j + 2):
            size = 2
        else:
            return False
        k = next_solid[j + size]
        return k < n and k > last_mark and date_ok[k]

    def found(start: int, end: int) -> tuple[str, str]:
        k = next_solid[next_solid[end] + (1 if line[next_solid[end]] in _BYLINE_DATE_SEPS else 2)]
        return line[start:end], line[k:].rstrip()

    start = m.end()
    newline = line.find("\n", start)
    stop = n if newline < 0 else newline  # names are one line (``.`` stops at a newline)
    for e in range(start + 1, stop + 1):
        if valid_end(e):
            return found(start, e)
    # The regex's \s+ after "by" could give one blank back to the names.
    if start - 1 > m.start() and line[start - 1].isspace() and valid_end(start):
        by_end = start - 1
        while by_end > 0 and line[by_end - 1].isspace():
            by_end -= 1
        if start - 1 >= by_end + 1:
            return found(start - 1, start)
    return None


# Navigation breadcrumbs at the top of a scraped page: "Home > World > Europe".
BREADCRUMB_RE = re.compile(r"^[^\W\d_][\w&'’ .-]{0,30}(?:\s*[>»›]\s*[^\W\d_][\w&'’ .-]{0,30}){1,6}$")
# Linear: no leading \s* (that rescanned a run of blanks from each of its positions); the parts
# are stripped instead.
NAME_SPLIT_RE = re.compile(r"(?:,|;|\||\band\b|&|\bund\b|\bet\b|\by\b|\be\b|\bи\b|\ben\b|\boch\b)\s*", re.I)
ROLE_RE = re.compile(
    r"^(?:(?:senior|chief|staff|special|foreign|political|economics|business|science|tech|"
    r"technology|health|sports?|deputy|managing|contributing|associate)\s+)*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|analyst|"
    r"bureau chief|producer|photographer|staff)s?$",
    re.I,
)
_NAME_PARTICLES = frozenset("de da do dos das di del della van von der den la le du bin ibn al el y ter ten zu".split())


# Words that make a capitalised phrase an organisation or a role, never a person's name.
ORG_WORDS = frozenset(
    """ministry commission committee council department office agency bureau board team desk staff
    newsroom editors editorial group inc inc. ltd ltd. llc plc corp corp. corporation company gmbh
    university institute foundation association society news press media network international
    government service services reporter reporters writer writers correspondent correspondents
    contributors contributor authority""".split()
)
_BYLINE_WORDS = frozenset("by von par por di door av af przez".split())


def is_person_name(s: str) -> bool:
    """Two to five capitalised words (particles allowed): ``Jane Doe``, ``Ludwig van Beethoven``."""
    tokens = s.split()
    if not 1 < len(tokens) <= 5 or len(s) > 50:
        return False
    if (
        tokens[0].lower() in _BYLINE_WORDS
        or tokens[0].lower() == "the"
        or any(t.lower().strip(".,") in ORG_WORDS for t in tokens)
    ):
        return False
    for t in tokens:
        if t.lower() in _NAME_PARTICLES:
            continue
        head = t.lstrip("'\u2019\"(")
        if not head or not head[0].isupper() or any(ch.isdigit() for ch in head):
            return False
        if not all(ch.isalpha() or ch in ".-'\u2019" for ch in head):
            return False
    return True


def split_byline(text: str) -> tuple[list[str], str | None] | None:
    """``Jane Doe and John Roe, Reuters`` → (["Jane Doe", "John Roe"], "Reuters"); None if not a byline."""
    m = BYLINE_PREFIX_RE.match(text)
    if m:
        text = m.group(1)
    parts = [p.strip().strip(" .") for p in NAME_SPLIT_RE.split(text) if p.strip().strip(" .")]
    names: list[str] = []
    publisher: str | None = None
    for p in parts:
        if ROLE_RE.match(p):
            continue
        if is_publisher_name(p) and publisher is None:
            publisher = p
            continue
        if is_person_name(p) or (p.isupper() and is_person_name(p.title())):
            names.append(p.title() if p.isupper() else p)
            continue
        return None
    if not names:
        return None
    return names, publisher


# ---- datelines ---------------------------------------------------------------------------------
DATELINE_RE = re.compile(
    r"^(?P<dateline>(?P<place>[^\W\d_][^\W\d_.'’ -]*(?:[ .'’-]{1,2}[^\W\d_]+){0,3})"
    r"(?:,\s*[^,()\n—–]{2,30}?){0,2}?"
    r"(?:\s*\((?P<agency>[^()\n]{2,40})\))?)"
    r"\s*(?:—|–|--|-|:)\s+(?=\S)"
)


def match_dateline(line: str) -> re.Match[str] | None:
    """``MINSK, Belarus (AP) — `` or ``LONDON, Sept 28 (Reuters) - `` at the start of a paragraph."""
    m = DATELINE_RE.match(line)
    if not m:
        return None
    rest_len = len(line) - len(m.group(0))
    # With an agency the dateline is unmistakable: the story may open on a short heading
    # ("(AP) — GIRLS BASKETBALL"). Without one, the story must go on for a while.
    if rest_len < (3 if m.group("agency") else 20):
        return None
    place = m.group("place")
    letters = [c for c in place if c.isalpha()]
    if m.group("agency"):
        ok = (
            any(c.isalpha() for c in m.group("agency"))
            and len(letters) >= 2
            and place[:1].isupper()
            and (all(c.isupper() for c in letters) or len(place.split()) <= 2)
        )
    else:
        # Without an agency only an ALL-CAPS place of three or more letters counts, and the story
        # must start after it ("NATO - the alliance said" is a sentence, not a dateline).
        # Its dash is an em dash or "--": a spaced en dash after a capitalised word is the
        # site's own typography in the story's first sentence ("WASHINGTON – Two officers"),
        # kept as written.
        rest = line[m.end() : m.end() + 1]
        dash = m.group(0)[len(m.group("dateline")) :].strip()
        ok = (
            dash in ("\u2014", "--")
            and len(letters) >= 3
            and all(c.isupper() for c in letters)
            and m.group(0).rstrip()[-1] != ":"
            and not rest.islower()
        )
    return m if ok else None


# ---- trailers and boilerplate lines --------------------------------------------------------------
TRAILER_RE = re.compile(
    r"^\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|reported|translated|research|"
    r"graphics|production|fact[- ]checking)\s+by\b[^()]{2,400}\)?\.?$",
    re.I,
)
# Linear: \s*(?=\S) cannot give blanks back to the bounded .{2,120} (that retried it from each blank).
CONTRIBUTED_RE = re.compile(
    r"^[—–-]?\s*(?=\S).{2,120}\bcontributed (?:reporting )?to this (?:report|story|article)\.?$", re.I
)
REPORTERS_RE = re.compile(r"(?:^|[(;]\s*)(?:(?:additional\s+)?reporting|writing)\s+by\s+([^;()]+)", re.I)
# "© 2021 Name", "Copyright 2021 Name", "(c) Name" — but not a sentence about copyright law: the
# word alone needs a year or a © after it.
COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\))|copyright\s+(?:\d{4}\b|\d{4}\s*[-–]\s*\d{4}\b)).{0,200}$"
    r"|^.{0,200}\ball rights reserved\.?$",
    re.I,
)
# Linear: anchored, and nothing follows the optional year, so the match never backtracks into it.
_COPYRIGHT_LEAD_RE = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?", re.I)
_RIGHTS = "all rights reserved"


def copyright_holder(line: str) -> str | None:
    """``© 2021 Name. All rights reserved.`` → ``Name`` (None when the line is no copyright line).

    Done with string ends, not ``(.*?)(?:[.,]?\\s*all rights reserved\\.?)?$``: that lazy group
    tried the optional tail at every position, quadratic on a long run of spaces.
    """
    m = _COPYRIGHT_LEAD_RE.match(line)
    if not m:
        return None
    rest = line[m.end() :]
    rest = rest[:-1] if rest.endswith("\n") else rest
    low = rest.lower()
    end = len(rest) - 1 if low.endswith(".") else len(rest)
    if low.endswith(_RIGHTS, 0, end):
        rest = rest[: end - len(_RIGHTS)].rstrip()
        rest = rest[:-1] if rest.endswith((".", ",")) else rest
    return None if "\n" in rest else rest


# Linear: every \s* is followed by a token it cannot match, inside the same optional group
# ("listen to article" + blanks was cubic when three \s* in a row could share one run).
BOILERPLATE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "advertisement",
        re.compile(
            r"^(?:advertisement|advertising|advert|ad|sponsored(?: content)?|paid content|"
            r"story continues below(?: advertisement)?|continue reading(?: the main story| below)?|"
            r"anzeige|werbung|publicité|publicidad|pubblicità|реклама|reklama)\s*[.:]?$",
            re.I,
        ),
    ),
    (
        "read_more",
        re.compile(
            r"^(?:read more|read also|also read|see also|related|related articles?|related stories|"
            r"related coverage|more on this(?: story)?|recommended|you may also like|"
            r"lire aussi|à lire aussi|lesen sie auch|mehr zum thema|читайте также|leia também|"
            r"lee también|leggi anche)(?:\s*(?::|>|»|\||–|—|-)\s*.{0,200}|\s*\.{0,3})$",
            re.I,
        ),
    ),
    (
        "share",
        re.compile(
            r"^(?:share(?: this)?(?: article| story| page)?|share (?:on|via) \w+(?: \w+)?|tweet|email|"
            r"listen(?: to)?(?: this)?"
            r" (?:article|story)(?:\s*(?:[(\[]\s*)?\d{1,2}(?::\d{2})?(?:\s*(?:min|mins|minutes))?(?:\s*[)\]])?)?|"
            r"e-mail|print|whatsapp|facebook|twitter|linkedin|copy link|save|comments?|"
            r"(?:share|follow)(?: us)?(?: on)? (?:facebook|twitter|x|instagram|telegram)(?:,? (?:and|&|or)"
            r" \w+)?)\s*[.!]?$",
            re.I,
        ),
    ),
    (
        "photo_credit",
        re.compile(
            r"^\(?\s*(?:photo|photograph|photos|image|picture|foto|illustration|video|graphic)"
            r"(?:\s+credits?)?\s*(?::|by|©)\s*.{1,150}$"
            r"|^\(?[^()\n]{0,120}(?:/|via\s)\s*(?:getty images|reuters|ap photo|ap|afp|epa|"
            r"shutterstock|alamy|bloomberg)[^()\n]{0,40}\)?$"
            r"|^\(\s*(?:ap|afp|reuters|epa|upi|dpa|getty images|xinhua|tass)(?:\s+photos?)?\s*/\s*[^()\n]{2,80}\)$"
            r"|^image caption\b.{0,150}$|^image (?:source|copyright)\b.{0,150}$",
            re.I,
        ),
    ),
    (
        "promo",
        re.compile(
            r"^(?:sign up (?:for|to)|subscribe (?:to|now|for)|follow us|click here|download (?:our|the) app|"
            r"get the latest|join our|get our newsletter|newsletter sign-?up|this article (?:was|is) "
            r"(?:first )?(?:published|originally published))\b.{0,160}$",
            re.I,
        ),
    ),
    ("reading_time", re.compile(r"^\d{1,3}\s*(?:-\s*)?(?:min|mins|minutes?)\.?\s+read$", re.I)),
    # "Reading time: 4 min", "Lesezeit: ca. 3 Minuten", "Tempo de leitura: 1 minuto" (linear: fixed
    # alternatives and bounded repeats only, anchored at both ends).
    (
        "reading_time",
        re.compile(
            r"^(?:estimated reading time|reading time|read time|lesezeit|tempo de leitura|temps de lecture|"
            r"tiempo de lectura|tempo di lettura|leestijd|czas czytania)\s{0,2}:?\s{0,2}(?:ca\.|approx\.|~)?\s{0,2}"
            r"\d{1,3}\s{0,2}(?:min|mins|minutes?|minuten?|minutos?|minuti|minuty)\.?$",
            re.I,
        ),
    ),
)


# ---- Date words: shared by the date parser (metadata/dates.py) and the date-line fixes.

# Month and weekday names in the languages ingest sees most, mapped to what dateutil reads.
# Russian and Polish months are listed in the genitive ("12 мая"), as dates are written.
_MONTHS = {
    "en": [],
    "de": "januar jänner februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ru_nom": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "el": "ιανουαρίου φεβρουαρίου μαρτίου απριλίου μαΐου ιουνίου ιουλίου αυγούστου σεπτεμβρίου οκτωβρίου "
    "νοεμβρίου δεκεμβρίου",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "hu": "január február március április május június július augusztus szeptember október november december",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "id": "januari februari maret april mei juni juli agustus september oktober november desember",
    # Arabic: the Egyptian/Gulf names and the Levantine/Iraqi ones ("_" joins a two-word name).
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "ar_alt": "- - - إبريل - يونية يوليه - - - - -",
    "ar_lev": "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني كانون_الأول",
}
# Written without hamza or accents as often as with them: "اكتوبر", "Μαΐου" → "μαιου".
BARE_LETTERS = str.maketrans("أإآάέήίϊΐόύϋΰώ", "اااαεηιιιουυυω")
_ENGLISH_MONTHS = "January February March April May June July August September October November December".split()


def _month_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for lang, names in _MONTHS.items():
        words = names.split() if isinstance(names, str) else []
        if lang == "de":
            words = words[:1] + words[2:]  # "jänner" (Austrian) is January too
            table["jänner"] = "January"
        for i, w in enumerate(words):
            if w != "-":
                table.setdefault(w.replace("_", " "), _ENGLISH_MONTHS[i])
                table.setdefault(w.replace("_", " ").translate(BARE_LETTERS), _ENGLISH_MONTHS[i])
    for short, month in (
        ("févr", "February"),
        ("janv", "January"),
        ("sept", "September"),
        ("déc", "December"),
        ("okt", "October"),
        ("dez", "December"),
        ("mär", "March"),
        ("avr", "April"),
        ("juil", "July"),
        ("ene", "January"),
        ("dic", "December"),
        ("ago", "August"),
    ):
        table.setdefault(short, month)
    return table


MONTH_NAMES = _month_table()  # month word → English month name (what dateutil reads)
# Every month word a date line may hold: English names and abbreviations, and the localised ones.
MONTH_WORDS = frozenset(
    [m.lower() for m in _ENGLISH_MONTHS] + [m[:3].lower() for m in _ENGLISH_MONTHS] + ["sept"] + list(MONTH_NAMES)
)
WEEKDAYS = frozenset(
    """montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend lundi mardi mercredi jeudi
    vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo lunedì martedì
    mercoledì giovedì venerdì sabato domenica segunda terça quarta quinta sexta feira
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag понедельник вторник среда среду четверг
    пятница пятницу суббота субботу воскресенье понеділок вівторок середа четвер субота неділя
    poniedziałek wtorek środa czwartek piątek sobota niedziela pondělí úterý středa čtvrtek pátek neděle
    δευτέρα τρίτη τετάρτη πέμπτη παρασκευή σάββατο κυριακή δευτερα τριτη τεταρτη πεμπτη παρασκευη σαββατο κυριακη
    pazartesi salı çarşamba perşembe cuma cumartesi pazar hétfő kedd szerda csütörtök péntek szombat vasárnap
    luni marți marţi miercuri joi vineri sâmbătă duminică senin selasa rabu kamis jumat sabtu minggu
    الأحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت""".split()
)  # the localised weekday names
# Date words that are also people's names or common words ("Mart Visser", "Cuma"): a name holding
# one is still a name.
DATE_WORDS_ALSO_NAMES = frozenset("mart ekim cuma pazar luni joi kamis rabu sabtu senin selasa minggu".split())
WEEKDAY_WORDS = WEEKDAYS | frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun".split()
)
# Words that sit between the parts of a date in those languages ("1 de mayo de 2023", "le 3 mars").
DATE_FILLER = frozenset(
    "de del le el il am um uhr den der di do da à las alle в г г. года год р. року tanggal في".split()
)
# Arabic-Indic and Persian digits → ASCII (one character for one: offsets in a text stay the same).
DIGITS_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،", "01234567890123456789,")
