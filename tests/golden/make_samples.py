"""Write the synthetic plain-text samples in ``raw/`` with their damage applied byte-exactly.

Every article, person, place and organisation below is invented. The samples are checked in;
this script documents how each one was damaged and rewrites them identically::

    .venv/bin/python tests/golden/make_samples.py        # rewrites raw/*.txt
    .venv/bin/python tests/golden/make_samples.py --check  # exit 1 if a checked-in sample differs

Damage helpers work on the *clean* text so each artifact is exactly the one a real pipeline
produces (UTF-8 read as cp1252, a lost 0x9D byte, an NBSP read as ``Â``, CRLF, …).
"""

from __future__ import annotations

import sys
from pathlib import Path

RAW = Path(__file__).resolve().parents[2] / "raw"


def mojibake(s: str) -> str:
    """UTF-8 bytes read as cp1252: ``’`` → ``â€™``. Bytes cp1252 lacks (0x81 0x8D 0x8F 0x90 0x9D) are lost."""
    return s.encode("utf-8").decode("cp1252", errors="ignore")


def sloppy_mojibake(s: str) -> str:
    """UTF-8 bytes read as cp1252 by a tool that keeps the bytes cp1252 lacks as C1 controls (recoverable)."""
    return "".join(
        ch if ch != "\ufffd" else chr(b)
        for ch, b in zip(s.encode("utf-8").decode("cp1252", errors="replace"), s.encode("utf-8"))
    )


# --------------------------------------------------------------------------------------------
# 1. Wire story, whole text mojibaked, the lossy remnants ftfy cannot decode, one paragraph per
#    line (seed-000 shape), lines broken mid-sentence, publisher alone on line 1, a Reuters-style
#    dateline and an agency trailer.
WIRE_VELDMARK = (
    "Reuters\nVELDMARK, Sept 28 (Reuters) - The regional council of Veldmark voted on Tuesday to close the "
    + mojibake(
        "ageing Orsk river ferry by next spring, ending a service that has carried commuters across the estuary since"
        " 1952."
    )
    + "\n"
    + mojibake(
        "Council chair Hedda Lindqvist said the ferry’s two boats were “no longer safe to run through another winter”"
        " and that a study of a fixed crossing would be published in November."
    )
    + "\nThe decision followed months of protests by residents of the island villages of Saltholm and Brek, who say the"
    " nearest crossing would then be 40 kilometres upstream at the bridge run by the North Estuary"
    " Transport\nAuthority.\n"
    # The lossy remnant: ”␠ became a lone dagger with the space eaten (the seed's `changes,†Pavel`).
    + mojibake("“We were told the ferry would stay until the bridge was built, and now the council simply")
    + "\nchanges,\u2020Ottilie Brandvold, who organised a petition signed by 3,200 people, said after the"
    " vote.\nBrandvold, a teacher at the Saltholm primary school, said the group would ask the Veldmark Centre for"
    " Transport Research and\nPlanning to review the council's figures.\n"
    # `â€` whose last byte (0x9D) was lost, followed by a space.
    + mojibake(
        "The ferry operator, Orsk Marine, said it had offered to replace both engines at its own cost. “We put the"
        " offer in writing in July,” said its managing director, Jonas Falk. “Nobody answered.”"
    )
    + "\n"
    # `Â` before a space: an NBSP read as cp1252 and the NBSP later turned into a space.
    "Single tickets will cost 4.50\u00c2 euros until the last crossing on March 31, the council\u00c2 said.\n"
    "(Reporting by Marit Solberg; Editing by Tom Ashdown)\n"
)

# --------------------------------------------------------------------------------------------
# 2. Blog post saved in cp1252 (not UTF-8) with CRLF line ends: headline alone on line 1, a
#    two-author byline, Published/Updated lines, junk lines inside and a copyright trailer.
BLOG_LANTERN = "\r\n".join(
    [
        "Lantern Festival Returns to Port Ellery After a Four-Year Pause",
        "By Marta Kellings and Idris Fenwick",
        "Published: 14 March 2023",
        "Updated: 15 March 2023 09:40",
        "",
        (
            "The lantern festival in Port Ellery will return on the first Saturday of July, four years after the last "
            "procession wound its way from the fish market to the old harbour wall."
        ),
        "",
        (
            "Organisers said on Tuesday that more than 600 paper lanterns had already been pledged by schools, choirs"
            " and the town\u2019s two rowing clubs. \u201cPeople have been asking every single summer,\u201d said"
            " festival secretary Ren\u00e9e Dallow. \u201cThis year we finally have the volunteers \u2014 and the"
            " insurance.\u201d"
        ),
        "",
        "Advertisement",
        "",
        (
            "The procession will again end at the Caf\u00e9 Anchor, where the harbour master lights the last lantern at"
            " dusk. Entry is free, but the committee is asking visitors for a \u20ac2 donation towards the cost of"
            " closing the seafront road. The cr\u00e8me br\u00fbl\u00e9e stall and the pi\u00f1ata tent from the last"
            " festival are coming back too."
        ),
        "",
        "Read more: Port Ellery\u2019s harbour wall repairs to finish in May",
        "",
        "Photo: Ilse Marr/Getty Images",
        "",
        (
            "Dallow said the committee had also booked a brass band from the neighbouring village of Coldwater Sands "
            "for the first time since 2011."
        ),
        "",
        "Share this article",
        "",
        "\u00a9 2023 Port Ellery Gazette. All rights reserved.",
        "",
    ]
)

# --------------------------------------------------------------------------------------------
# 3. A scraper dump in UTF-8 with a BOM: the ` date YYYY-MM-DD Title…` header line (seed-001
#    shape), blank-line paragraphs, an AP dateline and an AP copyright line.
SCRAPE_TRAMWAY = (
    "\ufeff"
    + " date 2022-05-17 Saltholm\u2019s tramway reopens after a year of track repairs and a row over the cost.\n"
    "\n"
    "SALTHOLM, Veldmark (AP) \u2014 Trams returned to the streets of Saltholm on Tuesday for the first time in "
    "thirteen months, after engineers replaced nearly nine kilometres of track that had been laid in the 1960s.\n"
    "\n"
    "The city transport board said the first tram left the depot at 5:12 a.m. and that all four lines would run "
    "to the normal timetable from Wednesday.\n"
    "\n"
    "The repairs cost 38 million crowns, almost twice the original estimate, and the overrun led to the "
    "resignation of the board\u2019s finance director in January.\n"
    "\n"
    "\u201cThe city waited long enough,\u201d said Agnes Mork, who drives the number 3 tram. \u201cToday nobody is "
    "talking about the money.\u201d\n"
    "\n"
    "Copyright 2022 The Associated Press. All rights reserved.\n"
)

# --------------------------------------------------------------------------------------------
# 4. Text copied out of a CMS into a .txt file: HTML entities (named, decimal, hex) and stray
#    </p><p> and <br> tags inside plain text, one entity that must be decoded exactly once
#    (``&amp;amp;`` → ``&amp;``). The file does not start with a tag, so it is read as text.
COUNCIL_BUDGET = (
    "Brekka council approves a budget for the library&rsquo;s new wing\n"
    "\n"
    "The municipal council of Brekka approved a 2.4&nbsp;million crown budget on Thursday for a new wing at the "
    "town library, ending a debate that has run since the old reading room was closed in 2019.</p><p>"
    "Councillor Petra Ahlgren, who chairs the culture &amp; education committee, said the wing would hold a "
    "children&#8217;s section, a study hall and a small exhibition space.<br>"
    "Work is due to start in September and to finish before the end of next year.</p>\n"
    "<p>The library&#x2019;s director, Stig Norum, said the building would stay open during construction. "
    "&ldquo;We will move the shelves, not close the doors,&rdquo; he said.<br /><br />"
    "The council&rsquo;s minutes list the contractor as Holm &amp;amp; S&oslash;nner. The vote was 17 to 4.\n"
)

# --------------------------------------------------------------------------------------------
# 5. A magazine feature hard-wrapped at 68 columns with words hyphenated across line ends
#    (one plain split word, one compound whose hyphen is real, evidence elsewhere), a
#    "Name, Publisher" byline and real daggers (a death mark and a footnote) that must survive.
_MAGAZINE_PARAS = [
    "The Keeper of Cape Vell",
    "Corin Valk, Kestrel Weekly Review",
    (
        "For thirty-one years the light on Cape Vell was kept by one family. The first keeper, Aurel Voss "
        "(\u2020 1901), arrived in 1868 with a wife, two goats and a contract from the harbour board that ran to "
        "nine pages of careful handwriting."
    ),
    (
        "Voss wrote everything down. His logbooks, now kept in the archive at Brekka, record each ship that passed "
        "the cape, each storm and each visit from the inspector, who came once a year for a two-day check of the "
        "lamp and the stores.\u2020"
    ),
    (
        "The logbooks also record a quarrel. In 1889 the board tried to change the keeper\u2019s contract so that "
        "it could dismiss him without notice, and Voss argued that this went against the constitution of the "
        "harbour board itself, which promised every keeper a hearing."
    ),
    (
        "He won. The board withdrew the change after a two-day meeting in the winter of 1890, and his son took "
        "over the light in 1899, a self-made engineer who had rebuilt the clockwork of the lamp himself."
    ),
    "\u2020 Figures from the harbour board\u2019s annual reports, 1868\u20131899.",
]


def hard_wrap(paragraph: str, width: int, splits: dict[str, str]) -> str:
    """Wrap at ``width`` columns; a word in ``splits`` is hyphenated across the line end as given."""
    lines: list[str] = []
    cur = ""
    for word in paragraph.split(" "):
        cand = f"{cur} {word}" if cur else word
        if len(cand) <= width:
            cur = cand
            continue
        if word in splits:
            head, tail = splits[word].split("|")
            if len(f"{cur} {head}") <= width:
                lines.append(f"{cur} {head}")
                cur = tail
                continue
        lines.append(cur)
        cur = word
    lines.append(cur)
    return "\n".join(lines)


MAGAZINE_SPLITS = {"constitution": "consti-|tution", "two-day": "two-|day", "self-made": "self-|made"}
MAGAZINE_LIGHTHOUSE = (
    "\n".join(_MAGAZINE_PARAS[:2])
    + "\n\n"
    + "\n\n".join(hard_wrap(p, 68, MAGAZINE_SPLITS) for p in _MAGAZINE_PARAS[2:])
    + "\n"
)

# --------------------------------------------------------------------------------------------
# 6. German local news: umlauts and ß, tabs, NBSP, zero-width spaces, soft hyphens, a stray
#    control character, trailing spaces, a German byline/date label, a dpa dateline, "Anzeige"
#    and "Lesen Sie auch".
LOKAL_HALDENBURG = (
    "Haldenburger Rundschau\n"
    "Neue Fähre über den Mühlsee soll im Herbst fahren\n"
    "Von Anna Brückner\n"
    "Veröffentlicht: 3. Mai 2023\n"
    "\n"
    "HALDENBURG (dpa) \u2013 Die Gemeinde Haldenburg will im Herbst eine elektrische Fähre über den Mühlsee "
    "in Betrieb nehmen.\u00a0Das hat der Gemeinderat am Dienstagabend mit großer Mehrheit beschlossen.   \n"
    "\n"
    "Bürger\u00admeisterin Jutta Kleeberg sprach von einem \u201eguten Tag für die Orte am Südufer\u201c. Die "
    "Fähre\u200b soll zwischen Seedorf und dem Strandbad\tpendeln und bis zu vierzig Fahrgäste sowie zwölf "
    "Fahrräder mitnehmen.\n"
    "\n"
    "Anzeige\n"
    "\n"
    "Die Kosten von rund 1,8\u00a0Millionen Euro teilen sich Land und Gemeinde. Der Betrieb\u0007 soll an die "
    "Stadtwerke gehen, die bereits die Busse im Landkreis fahren.\n"
    "\n"
    "Lesen Sie auch: Strandbad öffnet früher als geplant\n"
    "\n"
    "Kritik kam von der Fischereigenossenschaft, die um die Laichplätze im Schilfgürtel fürchtet. Der "
    "Anleger soll deshalb um zweihundert Meter verlegt werden.\n"
)

# --------------------------------------------------------------------------------------------
# 7. Russian news: Cyrillic text, one sentence mojibaked (UTF-8 read as cp1252), a Cyrillic
#    byline and date label, an Interfax-style dateline with an agency, "Читайте также".
_RU_MOJI = "Мост закроют для грузовиков на всё лето."
RU_ZARECHYE = (
    "Автор: Ирина Соколова\n"
    "Опубликовано: 12.05.2023\n"
    "\n"
    "ЗАРЕЧЬЕ, 12 мая (Интерфакс) \u2014 Власти Заречья начали ремонт старого моста через реку Вельку, "
    "построенного в 1958 году. Работы продлятся до конца сентября.\n"
    "\n"
    "По словам главы района Петра Лаврова, на ремонт выделено 240 миллионов рублей. "
    + sloppy_mojibake(_RU_MOJI)
    + " Легковые машины и автобусы будут ездить по одной полосе.\n"
    "\n"
    "Читайте также: В Заречье открыли новую школу\n"
    "\n"
    "Жители соседних сёл жалуются, что объезд через Нижний Брод удлинит дорогу в город почти на сорок "
    "километров.\n"
)

# --------------------------------------------------------------------------------------------
# 8. A poem and a list whose line breaks are real, between ordinary prose paragraphs.
POETRY_TIDEWATER = (
    "Tidewater Poetry Prize Goes to a Ferry Pilot\n"
    "\n"
    "The Tidewater Poetry Prize was awarded on Friday to Edda Marwick, who has piloted the Brek island ferry "
    "for twenty-two years and writes, she says, \u201cin the quiet hour between the last crossing and the "
    "first\u201d.\n"
    "\n"
    "The judges quoted the opening of her winning poem:\n"
    "\n"
    "Salt on the rail and the gulls asleep,\n"
    "the harbour lights in a crooked row,\n"
    "I count the buoys that the night will keep\n"
    "and steer for the one I used to know.\n"
    "\n"
    "The prize comes with three things:\n"
    "- a purse of 5,000 crowns,\n"
    "- a month at the writers\u2019 house on Saltholm,\n"
    "- publication of a first collection next spring.\n"
    "\n"
    "Marwick said she would keep working on the ferry. \u201cThe poems need the crossings,\u201d she said.\n"
)

# --------------------------------------------------------------------------------------------
# 9. An AP-style report with tabs and trailing spaces: headline, "By … Associated Press"
#    byline, Published/Updated lines with times and a zone, an AP photo credit, an
#    "(AP Photo/…)" caption, a "contributed to this report" trailer and a copyright line.
AP_HILLFORT = (
    "Archaeologists find a Bronze Age gate at the Hillfort of Marrow Down\n"
    "By Tomas Eklund, Associated Press\n"
    "Published: Sept. 4, 2024 10:15 AM CEST\n"
    "Updated: Sept. 5, 2024 8:02 AM CEST\n"
    "\n"
    "MARROW DOWN, Veldmark (AP) \u2014 Archaeologists digging on the hillfort of Marrow Down have found the "
    "stone footings of a gate that they say is about 3,000 years old, older than any structure found on the "
    "site before.\t\n"
    "\n"
    "(AP Photo/Lena Korr)\n"
    "\n"
    "The team from the University of Brekka uncovered two post holes and a threshold of flat stones during the "
    "last week of the summer dig.\u00a0Charcoal from one of the holes has been sent for dating.\n"
    "\n"
    "\u201cWe expected a wall,\u201d said the dig director, Liv Hammar. \u201cWe did not expect a way in.\u201d\n"
    "\n"
    "Advertisement\n"
    "\n"
    "The hillfort will be closed to walkers until the end of October while the trench is backfilled.\n"
    "\n"
    "Associated Press writer Nils Borg in Brekka contributed to this report.\n"
    "\n"
    "Copyright 2024 The Associated Press. All rights reserved.\n"
)

# --------------------------------------------------------------------------------------------
# 10. Japanese: no spaces between words, so lines broken mid-sentence must be rejoined without
#     one; a headline, a bare date line, a 【place】 dateline-like mark kept as text, full-width
#     punctuation and 「quotes」.
JA_SHIOMIURA = (
    "潮見浦に新しい市立図書館が開館\n"
    "2023年5月12日\n"
    "\n"
    "【潮見浦】潮見浦市の港地区に十二日、市立図書館の新館が開館した。旧館は\n"
    "築六十年を超え、耐震性の不足が指摘されていた。\n"
    "新館は三階建てで、約十二万冊を所蔵する。館長の宮坂澄江さんは「港で働く\n"
    "人たちが、仕事の帰りに立ち寄れる場所にしたい」と話した。\n"
    "開館を記念して、今月末まで港の歴史をたどる写真展が開かれる。\n"
)

SAMPLES: dict[str, bytes] = {
    "wire-veldmark-mojibake.txt": WIRE_VELDMARK.encode("utf-8"),
    "blog-lantern-festival-cp1252-crlf.txt": BLOG_LANTERN.encode("cp1252"),
    "scrape-saltholm-tramway-bom-date-header.txt": SCRAPE_TRAMWAY.encode("utf-8"),
    "council-brekka-library-html-remnants.txt": COUNCIL_BUDGET.encode("utf-8"),
    "magazine-cape-vell-hardwrap-daggers.txt": MAGAZINE_LIGHTHOUSE.encode("utf-8"),
    "lokal-haldenburg-faehre-de-invisibles.txt": LOKAL_HALDENBURG.encode("utf-8"),
    "news-zarechye-bridge-ru.txt": RU_ZARECHYE.encode("utf-8"),
    "culture-tidewater-poem-list.txt": POETRY_TIDEWATER.encode("utf-8"),
    "ap-marrow-down-hillfort.txt": AP_HILLFORT.encode("utf-8"),
    "news-shiomiura-library-ja.txt": JA_SHIOMIURA.encode("utf-8"),
}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    bad = 0
    for name, data in SAMPLES.items():
        path = RAW / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                print(f"differs: raw/{name}")
                bad += 1
        else:
            path.write_bytes(data)
            print(f"wrote raw/{name} ({len(data)} bytes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
