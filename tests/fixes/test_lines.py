"""Line structure: hyphenated words across breaks, stray breaks, hard wraps, real breaks kept."""

from __future__ import annotations

import textwrap

import pytest

from ingest.fixes.lines import join_broken_lines, join_hyphenated_words

PARAS = [
    (
        "The regional council approved the new budget for the harbour on Tuesday after a long debate "
        "that ran well into the evening, and the mayor said the vote settled a dispute of many years."
    ),
    (
        "Opposition members said the plan left too little money for schools and promised to bring the "
        "question back before the council in the spring, when the first figures are due to be published."
    ),
    (
        "The harbour authority welcomed the decision. Work on the northern pier is expected to start in "
        "June and to last about eighteen months, according to a statement issued after the meeting."
    ),
    (
        "Residents who spoke at the meeting asked for the ferry timetable to be kept during the works, "
        "and the council agreed to publish a plan for temporary moorings before the end of the month."
    ),
]


def wrap(paras: list[str], width: int, sep: str) -> str:
    return sep.join(textwrap.fill(p, width) for p in paras)


def unwrap(text: str) -> str:
    text, _ = join_hyphenated_words(text)
    return join_broken_lines(text)[0]


# ---- hyphenation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(
            "the consti-\ntution was", "the\nconstitution was", id="split word rejoined and moved to the next line"
        ),
        pytest.param("the two-\nday congress", "the\ntwo-day congress", id="two-day keeps its hyphen (known compound)"),
        pytest.param("a self-\nmade man", "a\nself-made man", id="self-made keeps its hyphen"),
        pytest.param("the Minsk-\nbased center", "the\nMinsk-based center", id="X-based keeps its hyphen"),
        pytest.param(
            "a long-\nterm plan. A long-term view.",
            "a\nlong-term plan. A long-term view.",
            id="compound used elsewhere keeps its hyphen",
        ),
        pytest.param(
            "the counter-\nweight. The counterweight fell.",
            "the\ncounterweight. The counterweight fell.",
            id="unbroken word used elsewhere drops the hyphen",
        ),
        pytest.param("(recon-\nstruction)", "(reconstruction)", id="token with a bracket at a line start"),
        pytest.param("Sonnen-\nschein", "Sonnenschein", id="whole line was the first half"),
        pytest.param(
            "\u043f\u0440\u0430\u0432\u0438-\n\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e",
            "\u043f\u0440\u0430\u0432\u0438\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e",
            id="Cyrillic split word",
        ),
        pytest.param("the pre-\nvious year", "the\nprevious year", id="prefix-looking split pre-vious is one word"),
    ],
)
def test_join_hyphenated_words_changes(raw: str, want: str) -> None:
    out, n = join_hyphenated_words(raw)
    assert out == want
    assert n == 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("pro-\nRussian groups", id="capitalised second half: a compound with a name"),
        pytest.param("the score was 3-\n2 at half time", id="digits across the break"),
        pytest.param("He paused -\nthen went on", id="spaced dash at a line end"),
        pytest.param("well-known and state-run", id="hyphens inside a line"),
        pytest.param("list:\n- one\n- two", id="list dashes"),
    ],
)
def test_join_hyphenated_words_keeps(text: str) -> None:
    assert join_hyphenated_words(text) == (text, 0)


# ---- stray breaks (one paragraph per line, seed 000) --------------------------------------------

SEED_SHAPE = (
    "Lukashenko has faced mass protests since August, pushing the authorities to seek support from Russia, which sees"
    " Belarus as a critical buffer against the North Atlantic Treaty\nOrganisation.\n\u201cThe congress is necessary"
    " for two reasons,\u201d Pavel Usov, director of the Center for Political Analysis and\nPrognosis, said by"
    " phone.\nThe EU has hit local officials with sanctions over the crackdown on protesters since the vote in August."
)


def test_stray_breaks_in_one_line_paragraphs_are_joined() -> None:
    out, n = join_broken_lines(SEED_SHAPE)
    paras = out.split("\n\n")
    assert len(paras) == 3
    assert "North Atlantic Treaty Organisation." in paras[0]
    assert "Political Analysis and Prognosis, said by phone." in paras[1]
    assert n == 2


def test_single_newline_paragraphs_are_kept_apart() -> None:
    text = "\n".join(PARAS)
    assert join_broken_lines(text)[0] == "\n\n".join(PARAS)


# ---- hard wraps -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 66, 72, 80])
def test_hard_wrap_with_blank_line_paragraphs_is_unwrapped(width: int) -> None:
    assert unwrap(wrap(PARAS, width, "\n\n")) == "\n\n".join(PARAS)


@pytest.mark.parametrize("width", [60, 70, 78])
def test_hard_wrap_with_single_newline_paragraphs_keeps_short_last_lines_as_ends(width: int) -> None:
    # A paragraph whose last line is short (the next paragraph's first word would have fitted)
    # ends there; the test paragraphs all end on a short line at these widths.
    text = wrap(PARAS, width, "\n")
    lines = text.split("\n")
    assert all(len(a) + 1 + len(b.split()[0]) <= width for a, b in zip(lines, lines[1:]) if a.endswith("."))
    assert unwrap(text) == "\n\n".join(PARAS)


def test_hard_wrap_with_hyphenated_words_is_unwrapped() -> None:
    text = (
        "The committee examined the proposal for the reconstruction of the\n"
        "old bridge on Tuesday and asked the ministry for a detailed inves-\n"
        "tigation of the costs before the end of the year, the chairman said\n"
        "after a meeting that lasted most of the afternoon in the capital.\n\n"
        "The ministry said it would answer within a month and that the two-\n"
        "day hearing planned for the spring would go ahead as announced by\n"
        "the government in a statement published on its website on Monday.\n"
    )
    out = unwrap(text)
    assert out.split("\n\n") == [
        (
            "The committee examined the proposal for the reconstruction of the old bridge on Tuesday and asked "
            "the ministry for a detailed investigation of the costs before the end of the year, the chairman said "
            "after a meeting that lasted most of the afternoon in the capital."
        ),
        (
            "The ministry said it would answer within a month and that the two-day hearing planned for the spring "
            "would go ahead as announced by the government in a statement published on its website on Monday."
        ),
    ]


def test_hard_wrap_keeps_a_heading_line() -> None:
    text = "Budget approved\n" + textwrap.fill(PARAS[0], 64) + "\n\n" + textwrap.fill(PARAS[1], 64)
    out = unwrap(text)
    assert out.split("\n\n") == ["Budget approved", PARAS[0], PARAS[1]]


def test_hard_wrap_of_cyrillic_text() -> None:
    para = (
        "\u0412\u043b\u0430\u0441\u0442\u0438 \u0433\u043e\u0440\u043e\u0434\u0430 \u043d\u0430\u0447\u0430\u043b\u0438"
        " \u0440\u0435\u043c\u043e\u043d\u0442 \u0441\u0442\u0430\u0440\u043e\u0433\u043e"
        " \u043c\u043e\u0441\u0442\u0430 "
        * 6
        + "\u0438 \u0437\u0430\u043a\u043e\u043d\u0447\u0430\u0442 \u0435\u0433\u043e"
        " \u043e\u0441\u0435\u043d\u044c\u044e."
    )
    text = textwrap.fill(para, 62) + "\n\n" + textwrap.fill(para, 62)
    assert unwrap(text) == para + "\n\n" + para


def test_hard_wrap_of_greek_text_with_accents() -> None:
    para = (
        "\u0397 \u03ba\u03c5\u03b2\u03ad\u03c1\u03bd\u03b7\u03c3\u03b7 \u03b1\u03bd\u03ad\u03b8\u03b5\u03c3\u03b5"
        " \u03c4\u03b7\u03bd \u03b5\u03c0\u03b9\u03c3\u03ba\u03b5\u03c5\u03ae \u03c4\u03b7\u03c2"
        " \u03b3\u03ad\u03c6\u03c5\u03c1\u03b1\u03c2 " * 5 + "\u03c3\u03c4\u03bf \u03bb\u03b9\u03bc\u03ac\u03bd\u03b9."
    )
    text = textwrap.fill(para, 70) + "\n\n" + textwrap.fill(para, 70)
    assert unwrap(text) == para + "\n\n" + para


def test_cjk_lines_are_joined_without_a_space() -> None:
    text = (
        "\u6771\u4eac\u90fd\u306f\u706b\u66dc\u65e5\u3001\u65b0\u3057\u3044\n"
        "\u6a4b\u306e\u5efa\u8a2d\u3092\u767a\u8868\u3057\u305f\u3002"
    )
    out, n = join_broken_lines(text)
    assert (
        out == "\u6771\u4eac\u90fd\u306f\u706b\u66dc\u65e5\u3001\u65b0\u3057\u3044"
        "\u6a4b\u306e\u5efa\u8a2d\u3092\u767a\u8868\u3057\u305f\u3002"
    )
    assert n == 1


def test_cjk_sentences_on_their_own_lines_stay_paragraphs() -> None:
    text = (
        "\u6771\u4eac\u90fd\u306f\u767a\u8868\u3057\u305f\u3002\n\u5de5\u4e8b\u306f\u6765\u5e74\u59cb\u307e\u308b\u3002"
    )
    assert join_broken_lines(text)[0] == text.replace("\n", "\n\n")


# ---- breaks that are real ---------------------------------------------------------------------

POEM = (
    "Salt on the rail and the gulls asleep,\n"
    "the harbour lights in a crooked row,\n"
    "I count the buoys that the night will keep\n"
    "and steer for the one I used to know."
)


def test_poem_lines_are_kept() -> None:
    out = join_broken_lines(POEM)[0]
    assert out.split("\n\n") == POEM.split("\n")


def test_poem_with_capitalised_lines_inside_wrapped_prose_is_kept() -> None:
    poem = (
        "The woods are lovely, dark and deep,\n"
        "But I have promises to keep,\n"
        "And miles to go before I sleep,\n"
        "And miles to go before I sleep."
    )
    text = wrap(PARAS[:2], 72, "\n\n") + "\n\n" + poem + "\n\n" + wrap(PARAS[2:], 72, "\n\n")
    out = unwrap(text).split("\n\n")
    assert out == PARAS[:2] + poem.split("\n") + PARAS[2:]


def test_list_items_are_kept() -> None:
    text = (
        "The prize comes with three things:\n- a purse of 5,000 crowns,\n- a month at the writers\u2019 house,\n-"
        " publication next spring."
    )
    assert join_broken_lines(text)[0].split("\n\n") == text.split("\n")


def test_numbered_list_is_kept() -> None:
    text = "Steps:\n1. Open the gate.\n2. Walk to the pier.\n3. Wait for the ferry."
    assert join_broken_lines(text)[0].split("\n\n") == text.split("\n")


def test_address_block_is_kept() -> None:
    text = "Write to:\nHarbour Office\n12 Quay Street\nBrekka"
    assert join_broken_lines(text)[0].split("\n\n") == text.split("\n")


def test_dash_continuing_a_wrapped_russian_quote_is_joined() -> None:
    quote = (
        "\u00ab\u0420\u0430\u0431\u043e\u0442\u044b \u043f\u0440\u043e\u0434\u043b\u044f\u0442\u0441\u044f \u0434\u043e"
        " \u043a\u043e\u043d\u0446\u0430 \u0441\u0435\u043d\u0442\u044f\u0431\u0440\u044f\u00bb,"
    )
    said = "\u2014 \u0441\u043a\u0430\u0437\u0430\u043b \u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432."
    para = " ".join([PARAS[0], quote, said, PARAS[1]])
    # The first width in 60-80 at which the wrap puts the dash at the start of a line.
    text = next(t for t in (textwrap.fill(para, w) for w in range(60, 81)) if "\n\u2014 " in t)
    assert join_broken_lines(text + "\n\n" + text)[0] == para + "\n\n" + para


def test_text_without_breaks_is_unchanged() -> None:
    assert join_broken_lines("One paragraph only.") == ("One paragraph only.", 0)


def test_output_has_one_blank_line_between_paragraphs() -> None:
    out = join_broken_lines("a.\n\n\n\nb.\nc.")[0]
    assert out == "a.\n\nb.\n\nc."


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(
            "the pro-\nRussian groups said",
            "the pro-Russian groups said",
            id="hyphen before a capitalised half stays glued",
        ),
        pytest.param("the score was 3-\n2 at half time", "the score was 3-2 at half time", id="score across a break"),
        pytest.param("He paused -\nthen went on", "He paused - then went on", id="spaced dash keeps its spaces"),
    ],
)
def test_joined_lines_keep_hyphenated_compounds_whole(raw: str, want: str) -> None:
    assert unwrap(raw) == want


def test_split_word_is_not_spaced_when_hyphen_joining_is_disabled() -> None:
    assert join_broken_lines("the consti-\ntution was amended")[0] == "the consti-tution was amended"


def test_hard_wrap_of_accented_latin_text_with_hyphenation() -> None:
    paras = [
        (
            "Le conseil municipal a approuv\u00e9 mardi le budget du port apr\u00e8s un long d\u00e9bat qui s\u2019est"
            " prolong\u00e9 jusque tard dans la soir\u00e9e, a d\u00e9clar\u00e9 le maire devant les journalistes"
            " r\u00e9unis."
        ),
        (
            "Les \u00e9lus de l\u2019opposition ont estim\u00e9 que le plan laissait trop peu d\u2019argent aux"
            " \u00e9coles et ont promis de revenir sur la question au printemps, quand les premiers chiffres seront"
            " publi\u00e9s."
        ),
    ]
    text = (
        "Le conseil municipal a approuv\u00e9 mardi le budget du port apr\u00e8s un\n"
        "long d\u00e9bat qui s\u2019est prolong\u00e9 jusque tard dans la soir\u00e9e, a d\u00e9cla-\n"
        "r\u00e9 le maire devant les journalistes r\u00e9unis.\n\n"
        "Les \u00e9lus de l\u2019opposition ont estim\u00e9 que le plan laissait trop peu\n"
        "d\u2019argent aux \u00e9coles et ont promis de revenir sur la question au\n"
        "printemps, quand les premiers chiffres seront publi\u00e9s."
    )
    assert unwrap(text) == "\n\n".join(paras)


# ---- issue 14, failure class 3: lines of one paragraph in single-newline dumps -----------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "The harbour master opened the meeting by reading the letters that residents had sent over the winter, most"
            " of them about the noise of the night ferries and the parking.\nSeveral members asked whether the budget"
            " would cover the repairs to the old pier, which has been closed since a storm damaged its wooden deck two"
            " years ago this month.\nThe ferry returns on Monday, the council said on Friday after a long meeting that"
            " ran late into the evening and ended with a vote that nobody in the harbour town had expected to"
            " see.\n\u201cWe see these changes as good signs that the\nharbour, a busy and crowded place that has"
            " grown\n40 years, will finally get the quay it needs.\u201d\nThe council met again on Friday and agreed"
            " that the work would start in the spring, when the weather allows it and the boats are out, and that the"
            " quay would be open to walkers again by the summer.",
            "The harbour master opened the meeting by reading the letters that residents had sent over the winter, most"
            " of them about the noise of the night ferries and the parking.\n\nSeveral members asked whether the budget"
            " would cover the repairs to the old pier, which has been closed since a storm damaged its wooden deck two"
            " years ago this month.\n\nThe ferry returns on Monday, the council said on Friday after a long meeting"
            " that ran late into the evening and ended with a vote that nobody in the harbour town had expected to"
            " see.\n\n\u201cWe see these changes as good signs that the harbour, a busy and crowded place that has"
            " grown 40 years, will finally get the quay it needs.\u201d\n\nThe council met again on Friday and agreed"
            " that the work would start in the spring, when the weather allows it and the boats are out, and that the"
            " quay would be open to walkers again by the summer.",
            id="short lines of one sentence after a break on 'the'",
        ),
        pytest.param(
            "He said he had recently bought both a new boat and\nnew sails for the summer.\nThe boat is blue.",
            "He said he had recently bought both a new boat and new sails for the summer.\n\nThe boat is blue.",
            id="a sentence broken after 'and'",
        ),
    ],
)
def test_single_newline_paragraph_lines_are_joined(text: str, want: str) -> None:
    assert join_broken_lines(text)[0] == want


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Roses in the harbour,\nboats along the quay,\nthe bell at evening,\nand the grey sea.",
            id="verse lines keep their breaks",
        ),
        pytest.param(
            "Palm Bay d. Rockledge 70-44\nHeritage d. Titusville 53-9\nMelbourne d. Space Coast 69-54",
            id="a list of results",
        ),
        pytest.param(
            "\u6771\u4eac\u90fd\u306e\u56f3\u66f8\u9928\n\u518d\u958b\u3057\u305f\u3002",
            id="Japanese joins without a space",
        ),
    ],
)
def test_real_line_breaks_stay(text: str) -> None:
    out = join_broken_lines(text)[0]
    assert out.replace("\n\n", "\n") == text or ("\u3002" in text and out == text.replace("\n", ""))


def test_join_lines_matches_pairwise_joining() -> None:
    from functools import reduce

    from ingest.fixes.lines import join_lines, join_pair

    for lines in (
        ["a", "b-", "c"],
        ["3-", "2", "x"],
        ["\u6771", "\u4eac", "x"],
        ["pro-", "Russian"],
        ["-", "x"],
        ["end", ""],
    ):
        assert join_lines(lines) == reduce(join_pair, lines)


def test_korean_lines_join_with_a_space_japanese_without() -> None:
    from ingest.fixes.lines import join_pair

    assert (
        join_pair("\uc77c\ubc29\uc801\uc778 \uc0ac\uc9c4", "\uacf5\uac1c\ub85c\ubd80\ud130")
        == "\uc77c\ubc29\uc801\uc778 \uc0ac\uc9c4 \uacf5\uac1c\ub85c\ubd80\ud130"
    )
    assert join_pair("\u6771\u4eac\u90fd\u306e", "\u56f3\u66f8\u9928") == "\u6771\u4eac\u90fd\u306e\u56f3\u66f8\u9928"
