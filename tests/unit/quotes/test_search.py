"""The quote wall's search: synonyms, ranking, phrases, filters, the index kept in step, hostile input.

The corpus is `tests.unit.quotes.corpus`; the benchmark's naive scan is tested in
`tests/unit/bench/test_search_bench.py`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights import store
from insights.domain import PUBLISHED, THEME_IDS
from insights.filters import Filters
from insights.language.synonyms import SYNONYMS_PATH, SynonymsError, expand, load_synonym_groups
from insights.quotes import search
from insights.quotes.search import (
    QuoteHit,
    compile_query,
    count_quotes,
    get_quote,
    highlight_spans,
    hits_to_json,
    random_quote,
    search_quotes,
    theme_counts,
)
from tests.unit.quotes.corpus import INTERVENTIONS, PUBLISHED_IDS, QUOTES, build_corpus, quote_record


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh database holding the small corpus (tests may change it)."""
    connection = store.connect(tmp_path / "search.sqlite")
    build_corpus(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def shared_conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The small corpus, shared by tests that only read it."""
    connection = store.connect(tmp_path_factory.mktemp("search") / "search.sqlite")
    build_corpus(connection)
    yield connection
    connection.close()


def ids(hits: list[QuoteHit]) -> list[str]:
    return [hit.quote_id for hit in hits]


# --- synonyms ---------------------------------------------------------------------------------


def alternatives_of(query: str) -> list[frozenset[str]]:
    return [unit.alternatives for unit in expand(query)]


def test_synonym_table_loads_and_is_large_enough() -> None:
    groups = load_synonym_groups()
    assert len(groups) >= 15
    assert all(group.theme in (*THEME_IDS, "") for group in groups)


@pytest.mark.parametrize(
    "query", ["troll", "trolls", "haters", "commentaires haineux", "Commentaire haineux"]
)
def test_troll_haters_and_hateful_comments_are_one_group(query: str) -> None:
    [alternatives] = alternatives_of(query)
    assert {"troll", "haters", "commentaires haineux", "harcelement", "internaute agressif"} <= alternatives


@pytest.mark.parametrize("query", ["bad buzz", "polémique", "crise", "Bad Buzz"])
def test_bad_buzz_controversy_and_crisis_are_one_group(query: str) -> None:
    [alternatives] = alternatives_of(query)
    assert {"bad buzz", "polemique", "crise", "scandale"} <= alternatives


def test_expand_matches_multiword_expressions_in_the_query() -> None:
    units = expand("un client très en colère après un bad buzz")
    assert [unit.expression for unit in units] == ["client tres en colere", "bad buzz"]
    assert "plainte" in units[0].alternatives


def test_expand_drops_function_words_and_keeps_unknown_words() -> None:
    units = expand("je n'ai pas de diplôme en com")
    assert [unit.expression for unit in units] == ["diplome", "com"]
    assert "autodidacte" in units[0].alternatives
    assert expand("un mot inconnu")[1].alternatives == frozenset({"inconnu"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("DM", "message prive"),
        ("MP", "message prive"),
        ("inbox", "message prive"),
        ("asso", "association"),
        ("ChatGPT", "intelligence artificielle"),
        ("IA", "intelligence artificielle"),
        ("modos", "moderation"),
        ("modo", "moderation"),
        ("reposter", "partage"),
        ("retweet", "partage"),
        ("emojis", "le ton"),
        ("tiktokeuse", "influenceur"),
        ("sponso", "influenceur"),
        ("bashing", "troll"),
        ("story", "contenu"),
    ],
)
def test_the_abbreviations_names_and_franglais_students_write_are_mapped(typed: str, meant: str) -> None:
    [alternatives] = alternatives_of(typed)
    assert meant in alternatives


def test_abbreviations_find_the_advice_and_not_words_their_stems_look_like(conn: sqlite3.Connection) -> None:
    store.write_quotes(
        conn,
        [
            quote_record(
                "dm",
                "Passez la conversation en message privé après une réponse publique.",
                "sp1",
                "i2015",
                [],
                PUBLISHED,
            ),
            quote_record(
                "gens", "Les gens partagent l'espoir bien plus que la pitié.", "sp1", "i2015", [], PUBLISHED
            ),
            quote_record(
                "asso",
                "Dans une association, la communauté, ce sont les bénévoles.",
                "sp1",
                "i2015",
                [],
                PUBLISHED,
            ),
        ],
    )
    lexical = search.LEXICAL_ONLY
    assert ids(search_quotes(conn, Filters(query="DM"), fusion=lexical)) == ["dm"]
    assert ids(search_quotes(conn, Filters(query="asso"), fusion=lexical)) == ["asso"]
    # Stemmed, "GenAI" would read "gen", the stem of "gens": such expressions stay out of the table.
    for query in ("IA", "ChatGPT", "chatbot"):
        assert "gens" not in ids(search_quotes(conn, Filters(query=query), fusion=lexical))


def test_a_malformed_synonyms_table_is_named_in_the_error(tmp_path: Path) -> None:
    table = tmp_path / "synonyms.csv"
    table.write_text("group,theme,expressions\ntrolls,inconnu,troll;haters\n", encoding="utf-8")
    with pytest.raises(SynonymsError, match="ligne 2"):
        load_synonym_groups(table)
    assert SYNONYMS_PATH.is_file()


def test_an_expression_read_as_one_lone_word_is_refused(tmp_path: Path) -> None:
    # Compared by its content words, "à mon compte" would be "compte": every account a freelancer.
    table = tmp_path / "synonyms.csv"
    table.write_text(
        "group,theme,expressions\ndiplôme,parcours,diplôme;sans diplôme\nfreelance,parcours,freelance;à mon compte\n",
        encoding="utf-8",
    )
    with pytest.raises(SynonymsError, match="ligne 3 : « à mon compte » se lit comme le seul mot « compte »"):
        load_synonym_groups(table)
    table.write_text("group,theme,expressions\ndiplôme,parcours,diplôme;sans diplôme\n", encoding="utf-8")
    assert load_synonym_groups(table)[0].expressions == ("diplôme", "sans diplôme")


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("compte Instagram", [(), ()]),  # not "à mon compte" (freelance)
        ("1 post par jour", [(), ("contenu",), ()]),  # not "n+1" (the boss)
        ("communication interne", [("communication",), ()]),  # not "communes" (town halls)
        ("mon chef", [("direction",)]),
    ],
)
def test_everyday_words_do_not_bring_another_group(query: str, groups: list[tuple[str, ...]]) -> None:
    assert [unit.groups for unit in expand(query)] == groups


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("reseaux", "q07"),
        ("RÉSEAUX", "q07"),
        ("trolls", "q01"),
        ("troll", "q02"),
        ("passionnée", "q06"),
        ("l'innovation", "q06"),
        ("innovation", "q06"),
        ("l’Innovation", "q06"),
        ("diplômé", "q10"),
        ("autodidactes", "q10"),
    ],
)
def test_words_match_whatever_their_accents_case_plural_or_elision(
    shared_conn: sqlite3.Connection, query: str, expected: str
) -> None:
    assert expected in ids(search_quotes(shared_conn, Filters(query=query)))


def test_synonyms_find_quotes_without_the_word_typed(shared_conn: sqlite3.Connection) -> None:
    hits = search_quotes(shared_conn, Filters(query="troll"))
    assert set(ids(hits)[:2]) == {"q01", "q02"} and ids(hits)[2] == "q03"  # haters: a synonym, after
    assert [int(hit.score) for hit in hits] == [3, 3, 2]
    assert "q04" in ids(search_quotes(shared_conn, Filters(query="polémique")))


def test_quoted_phrase_matches_only_the_exact_sequence(shared_conn: sqlite3.Connection) -> None:
    assert ids(search_quotes(shared_conn, Filters(query='"bad buzz"'))) == ["q04"]
    assert ids(search_quotes(shared_conn, Filters(query="«bad buzz»"))) == ["q04"]
    assert ids(search_quotes(shared_conn, Filters(query='"buzz bad"'))) == []
    # Unquoted, a known expression is a phrase too, broadened by its synonyms (crise…).
    assert ids(search_quotes(shared_conn, Filters(query="bad buzz")))[0] == "q04"
    assert "q05" not in ids(search_quotes(shared_conn, Filters(query="bad buzz")))


def test_quote_matching_every_word_ranks_above_quotes_matching_some(shared_conn: sqlite3.Connection) -> None:
    hits = search_quotes(shared_conn, Filters(query="troll page"))
    assert ids(hits)[0] == "q02"
    assert hits[0].score > hits[1].score
    # The lexical ranking alone scores by tier: every word as typed (3), then fewer.
    lexical = search_quotes(shared_conn, Filters(query="troll page"), fusion=search.LEXICAL_ONLY)
    assert ids(lexical)[0] == "q02"
    assert int(lexical[0].score) == 3 and int(lexical[1].score) < 3


def test_quotes_holding_more_of_a_long_question_s_words_come_first(conn: sqlite3.Connection) -> None:
    # A student's long question: no quote holds every word; the one answering it holds two of
    # them, by synonyms only (ChatGPT → intelligence artificielle, posts → contenu), the others
    # one word each, as typed, in shorter quotes.
    store.write_quotes(
        conn,
        [
            quote_record(
                "ia",
                "Une intelligence artificielle propose un premier jet de contenu ; relisez tout avant de publier.",
                "sp1",
                "i2015",
                [],
                PUBLISHED,
            ),
            quote_record("marque", "La marque avant tout.", "sp1", "i2015", [], PUBLISHED),
            quote_record("laisser", "Laissez passer l'orage.", "sp1", "i2016", [], PUBLISHED),
            quote_record(
                "deux",
                "Écrire pour une marque, c'est écrire pour ses lecteurs.",
                "sp1",
                "i2015",
                [],
                PUBLISHED,
            ),
        ],
    )
    query = "Est-ce que je peux laisser ChatGPT écrire les posts de la marque ?"
    hits = search_quotes(conn, Filters(query=query), fusion=search.LEXICAL_ONLY)
    # Two words each ("deux" first: its words as typed weigh by bm25), then one word each.
    assert ids(hits)[:2] == ["deux", "ia"]
    assert set(ids(hits)[2:4]) == {"marque", "laisser"}
    assert all(int(hit.score) == 1 for hit in hits)


@pytest.mark.parametrize(
    "query",
    [
        "trolls page",
        "Est-ce que je peux répondre aux haters sur notre page ?",
        "l'innovation du CM passionnée, même en autodidactes",
        '"bad buzz" commentaires haineux',
        "jour chevet diplôme",
    ],
)
def test_the_words_a_quote_holds_are_those_the_index_matches(
    shared_conn: sqlite3.Connection, query: str
) -> None:
    docids = [docid for (docid,) in shared_conn.execute("SELECT rowid FROM quotes_fts")]
    columns = store.indexed_columns(shared_conn, docids)
    found = 0
    for unit in compile_query(query).units:
        matched = store.matching_among(shared_conn, unit.fts(synonyms=True), docids)
        held = {docid for docid, texts in columns.items() if unit.held_by(search.indexed_tokens(*texts))}
        assert held == matched, unit.label
        found += len(matched)
    assert found  # the corpus holds some of the query's words


def test_rare_word_outranks_common_word(shared_conn: sqlite3.Connection) -> None:
    # "jour" is in q05 and q07, "chevet" only in q06.
    assert ids(search_quotes(shared_conn, Filters(query="jour chevet"))) == ["q06", "q07", "q05"]


def test_browsing_order_is_talk_date_then_latest_added(shared_conn: sqlite3.Connection) -> None:
    assert ids(search_quotes(shared_conn, Filters())) == [
        "q10",
        "q04",
        "q02",
        "q07",
        "q05",
        "q03",
        "q01",
        "q06",
    ]


def test_equal_relevance_goes_to_the_most_recent_talk(conn: sqlite3.Connection) -> None:
    same = "Un troll reste un troll."
    store.write_quotes(
        conn,
        [
            quote_record("old", same, "sp1", "i2015", ["crise"], PUBLISHED),
            quote_record("new", same, "sp2", "i2016", ["crise"], PUBLISHED),
            quote_record("none", same, "sp2", None, ["crise"], PUBLISHED),
        ],
    )
    assert ids(search_quotes(conn, Filters(query="troll")))[:3] == ["new", "old", "none"]


def test_empty_or_wordless_query_lists_published_quotes_by_date(shared_conn: sqlite3.Connection) -> None:
    for query in ["", "   ", "*", "?!", "«»"]:
        hits = search_quotes(shared_conn, Filters(query=query))
        assert set(ids(hits)) == PUBLISHED_IDS
        assert ids(hits)[-1] == "q06"  # no talk: last


def test_query_of_function_words_only_is_searched_as_a_phrase(shared_conn: sqlite3.Connection) -> None:
    assert ids(search_quotes(shared_conn, Filters(query="de l'"))) == ids(
        search_quotes(shared_conn, Filters(query='"de l"'))
    )
    assert "q06" in ids(search_quotes(shared_conn, Filters(query="au")))


def test_limit(shared_conn: sqlite3.Connection) -> None:
    assert len(search_quotes(shared_conn, Filters(), limit=3)) == 3
    assert len(search_quotes(shared_conn, Filters(query="troll"), limit=2)) == 2
    assert search_quotes(shared_conn, Filters(query="troll"), limit=0) == []
    assert search_quotes(shared_conn, Filters(), limit=0) == []


# --- what a hit carries -------------------------------------------------------------------------


def test_hit_carries_speaker_talk_themes_and_matched_words(shared_conn: sqlite3.Connection) -> None:
    [hit, *_] = search_quotes(shared_conn, Filters(query="trolls page"))
    assert hit == QuoteHit(
        quote_id="q02",
        text=QUOTES[1][1],
        speaker_id="sp2",
        speaker="Julien Petit",
        title="Community manager",
        organisation="Ville de Rezé",
        org_type="collectivité",
        intervention_id="i2016",
        intervention_title="Talk i2016",
        date="2016-11-24",
        cohort="2016-2017",
        themes=("crise",),
        score=hit.score,
        matched_terms=("trolls", "page"),
    )
    [no_talk] = search_quotes(shared_conn, Filters(query="chevet"))
    assert (no_talk.intervention_id, no_talk.date, no_talk.cohort) == (None, None, None)


def test_hits_to_json_has_the_cli_fields(shared_conn: sqlite3.Connection) -> None:
    records = hits_to_json(search_quotes(shared_conn, Filters(query="troll")))
    json.dumps(records)
    assert {"quote_id", "text", "speaker", "organisation", "themes", "score"} <= set(records[0])
    assert isinstance(records[0]["themes"], list) and isinstance(records[0]["score"], float)


@pytest.mark.parametrize(
    ("text", "query", "highlighted"),
    [
        ("Les Trolls, on les ignore.", "troll", ["Trolls"]),
        ("Les réseaux sociaux", "reseaux", ["réseaux"]),
        ("Un troll, puis des haters.", "trolls", ["troll", "haters"]),
        ("Un client en colère appelle.", "clients en colère", ["client en colère"]),
        ("Un bad buzz, un buzz bad.", '"bad buzz"', ["bad buzz"]),
        ("L’innovation d’abord", "innovation", ["innovation"]),
        ("Œuvre", "oeuvre", ["Œuvre"]),
        ("Rien à voir.", "troll", []),
        ("<script>alert(1)</script>", "<script>", ["script", "script"]),
    ],
)
def test_highlight_spans_index_the_original_text(text: str, query: str, highlighted: list[str]) -> None:
    spans = highlight_spans(text, query)
    assert [text[a:b] for a, b in spans] == highlighted
    assert spans == sorted(spans)


# --- filters and counts -----------------------------------------------------------------------


def test_themes_filter_keeps_quotes_having_any_of_them(shared_conn: sqlite3.Connection) -> None:
    assert set(ids(search_quotes(shared_conn, Filters(themes=("veille", "parcours"))))) == {
        "q06",
        "q07",
        "q10",
    }
    assert ids(search_quotes(shared_conn, Filters(query="troll", themes=("conversation",)))) == ["q03"]
    assert ids(search_quotes(shared_conn, Filters(query="troll", themes=("parcours",)))) == []


def test_speaker_org_type_and_cohort_filters(shared_conn: sqlite3.Connection) -> None:
    assert set(ids(search_quotes(shared_conn, Filters(query="troll", speaker_ids=("sp1",))))) == {
        "q01",
        "q03",
    }
    assert set(ids(search_quotes(shared_conn, Filters(org_types=("collectivité",))))) == {
        "q02",
        "q04",
        "q06",
        "q10",
    }
    assert set(ids(search_quotes(shared_conn, Filters(cohorts=("2016-2017",))))) == {"q02", "q04", "q10"}
    both = Filters(query="troll", cohorts=("2016-2017",), org_types=("agence",))
    assert ids(search_quotes(shared_conn, both)) == []


def test_semester_filter_keeps_quotes_of_talks_of_that_semester(shared_conn: sqlite3.Connection) -> None:
    # Every talk of the corpus is in S1; q06 has no known talk, so no semester keeps it.
    assert set(ids(search_quotes(shared_conn, Filters(semesters=("S1",))))) == PUBLISHED_IDS - {"q06"}
    assert search_quotes(shared_conn, Filters(semesters=("S2",))) == []
    assert count_quotes(shared_conn, Filters(query="troll", semesters=("S2",))) == 0


def test_theme_counts_and_count_quotes_describe_the_whole_result(shared_conn: sqlite3.Connection) -> None:
    counts = theme_counts(shared_conn, Filters(query="troll"))
    assert set(counts) == set(THEME_IDS)
    assert counts["crise"] == 3 and counts["conversation"] == 1 and counts["veille"] == 0
    assert theme_counts(shared_conn, Filters())["veille"] == 2
    assert theme_counts(shared_conn, Filters(speaker_ids=("sp1",)))["crise"] == 2
    assert theme_counts(shared_conn, Filters(cohorts=("2016-2017",)))["crise"] == 2
    assert count_quotes(shared_conn, Filters(query="troll")) == 3
    assert count_quotes(shared_conn, Filters()) == len(PUBLISHED_IDS)
    assert count_quotes(shared_conn, Filters(themes=("veille",))) == 2
    assert count_quotes(shared_conn, Filters(query="troll", speaker_ids=("sp1",))) == 2


def test_theme_counts_ignore_the_theme_filter(shared_conn: sqlite3.Connection) -> None:
    # Each chip's count is what choosing that theme would show, whichever themes are chosen.
    for query in ("", "troll"):
        chosen = Filters(query=query, themes=("parcours",))
        assert theme_counts(shared_conn, chosen) == theme_counts(shared_conn, Filters(query=query))
        for theme in THEME_IDS:
            assert theme_counts(shared_conn, chosen)[theme] == count_quotes(
                shared_conn, Filters(query=query, themes=(theme,))
            )


def test_random_quote_is_published_reproducible_and_filtered(shared_conn: sqlite3.Connection) -> None:
    drawn = {random_quote(shared_conn, Filters(), rng_seed=seed).quote_id for seed in range(40)}
    assert drawn <= PUBLISHED_IDS and len(drawn) > 3
    assert random_quote(shared_conn, Filters(), rng_seed=7) == random_quote(
        shared_conn, Filters(), rng_seed=7
    )
    assert random_quote(shared_conn, Filters(themes=("parcours",)), rng_seed=1).quote_id == "q10"
    assert random_quote(shared_conn, Filters(themes=("outils",))) is None
    in_cohort = {
        random_quote(shared_conn, Filters(cohorts=("2016-2017",)), rng_seed=seed).quote_id
        for seed in range(20)
    }
    assert in_cohort == {"q02", "q04", "q10"}


def test_random_quote_draws_whatever_the_query(shared_conn: sqlite3.Connection) -> None:
    # The wall draws among a text search's results itself; the query plays no part here.
    for seed in range(5):
        assert random_quote(shared_conn, Filters(query="zzzqqq"), rng_seed=seed) == random_quote(
            shared_conn, Filters(), rng_seed=seed
        )


def test_get_quote_returns_a_published_quote_with_the_words_matching_the_query(
    shared_conn: sqlite3.Connection,
) -> None:
    hit = get_quote(shared_conn, "q02", "troll page")
    assert (hit.quote_id, hit.speaker, hit.date) == ("q02", "Julien Petit", "2016-11-24")
    assert hit.matched_terms == ("trolls", "page")
    assert get_quote(shared_conn, "q02").matched_terms == ()
    assert get_quote(shared_conn, "q08") is None  # proposed
    assert get_quote(shared_conn, "q09") is None  # refused
    assert get_quote(shared_conn, "nope") is None


# --- only published quotes, and the index kept in step ------------------------------------------


def test_unpublished_quotes_never_appear_even_when_they_match_best(shared_conn: sqlite3.Connection) -> None:
    for query in ["troll page", "Un troll sur notre page ? Ne supprimez rien", '"troll troll troll"', ""]:
        assert not {"q08", "q09"} & set(ids(search_quotes(shared_conn, Filters(query=query), limit=100)))
    assert count_quotes(shared_conn, Filters(query="supprimez")) == 0


def test_publishing_and_unpublishing_update_the_index(conn: sqlite3.Connection) -> None:
    store.set_quote_status(conn, "q08", PUBLISHED)
    assert ids(search_quotes(conn, Filters(query="supprimez"))) == ["q08"]
    store.set_quote_status(conn, "q08", "refusée")
    assert ids(search_quotes(conn, Filters(query="supprimez"))) == []


def test_changed_text_is_searched_by_its_new_words_only(conn: sqlite3.Connection) -> None:
    store.write_quotes(
        conn, [quote_record("q01", "Face à un provocateur, attendez.", "sp1", "i2015", ["crise"], PUBLISHED)]
    )
    assert "q01" not in ids(search_quotes(conn, Filters(query="troll")))
    assert ids(search_quotes(conn, Filters(query="provocateurs"))) == ["q01"]


def test_deleted_quote_leaves_the_index(conn: sqlite3.Connection) -> None:
    with store.transaction(conn):
        conn.execute("DELETE FROM quotes WHERE quote_id = 'q02'")
    assert "q02" not in ids(search_quotes(conn, Filters(query="troll")))
    assert conn.execute("SELECT COUNT(*) FROM quotes_fts").fetchone()[0] == len(PUBLISHED_IDS) - 1


def test_new_quote_is_searchable_at_once(conn: sqlite3.Connection) -> None:
    store.write_quotes(
        conn, [quote_record("q11", "Le cyberharcèlement se signale.", "sp2", "i2016", ["crise"], PUBLISHED)]
    )
    assert ids(search_quotes(conn, Filters(query="cyberharcèlement")))[0] == "q11"
    assert "q11" in ids(search_quotes(conn, Filters(query="troll")))  # a synonym


def test_talk_date_change_reorders_its_quotes(conn: sqlite3.Connection) -> None:
    assert ids(search_quotes(conn, Filters()))[:3] == ["q10", "q04", "q02"]
    store.write_interventions(
        conn,
        [
            {
                **INTERVENTIONS[0],
                "date": "2017-01-05",
                "semester": "S1",
                "title": "Talk i2015",
                "format": "atelier",
                "tools": "",
                "themes": [],
            }
        ],
    )
    assert ids(search_quotes(conn, Filters()))[:4] == ["q07", "q05", "q03", "q01"]
    assert ids(search_quotes(conn, Filters(query="troll")))[0] == "q01"
    assert conn.execute("SELECT COUNT(*) FROM quotes_fts").fetchone()[0] == len(PUBLISHED_IDS)


def test_moving_a_quote_to_another_talk_moves_it_in_date_order(conn: sqlite3.Connection) -> None:
    store.write_quotes(conn, [quote_record(*QUOTES[5][:3], "i2016", ["veille"], PUBLISHED)])
    assert ids(search_quotes(conn, Filters()))[:4] == ["q06", "q10", "q04", "q02"]


def test_migration_indexes_quotes_written_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(store.MIGRATIONS[0] + "PRAGMA user_version = 1;")
    old.execute("INSERT INTO speakers (speaker_id, name, org_type) VALUES ('sp1', 'Camille', 'agence')")
    old.executemany(
        "INSERT INTO quotes (quote_id, text, speaker_id, status) VALUES (?, ?, 'sp1', ?)",
        [("a", "Un troll passe.", PUBLISHED), ("b", "Un troll caché.", "proposée")],
    )
    old.commit()
    old.close()
    upgraded = store.connect(path)
    assert ids(search_quotes(upgraded, Filters(query="trolls"))) == ["a"]
    upgraded.close()


def test_rebuild_search_index_gives_the_same_results(conn: sqlite3.Connection) -> None:
    before = [(hit.quote_id, hit.score) for hit in search_quotes(conn, Filters(query="troll page"))]
    assert store.rebuild_search_index(conn) == len(PUBLISHED_IDS)
    assert [(hit.quote_id, hit.score) for hit in search_quotes(conn, Filters(query="troll page"))] == before


# --- hostile queries --------------------------------------------------------------------------

HOSTILE_QUERIES = [
    '"',
    "'",
    '""',
    "*",
    "troll*",
    "NEAR(",
    "NEAR(troll page)",
    "a OR b",
    "troll AND NOT page",
    "-x",
    "-troll",
    "); DROP TABLE quotes;--",
    "'; DELETE FROM quotes WHERE '1'='1",
    "<script>alert('x')</script>",
    "^",
    "^troll",
    ":",
    "stems:troll",
    'words : "troll"',
    "{stems words}: troll",
    "(troll",
    "troll)",
    "[troll]",
    "troll + page",
    "",
    "   \t\n",
    "🙂🔥",
    "\x00",
    "troll " * 2000,
    "x" * 10_000,
    "é" * 10_000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:20]))
def test_hostile_queries_neither_raise_nor_leak(shared_conn: sqlite3.Connection, query: str) -> None:
    hits = search_quotes(shared_conn, Filters(query=query), limit=50)
    assert set(ids(hits)) <= PUBLISHED_IDS
    theme_counts(shared_conn, Filters(query=query))
    count_quotes(shared_conn, Filters(query=query))
    highlight_spans("Un troll sur notre page.", query)
    assert shared_conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == len(QUOTES)


def test_operators_typed_by_the_user_are_words(shared_conn: sqlite3.Connection) -> None:
    assert ids(search_quotes(shared_conn, Filters(query="troll OR page"))) == ids(
        search_quotes(shared_conn, Filters(query="troll page"))
    )
    assert ids(search_quotes(shared_conn, Filters(query="NOT troll"))) == ids(
        search_quotes(shared_conn, Filters(query="troll"))
    )
    assert ids(search_quotes(shared_conn, Filters(query="troll*"))) == ids(
        search_quotes(shared_conn, Filters(query="troll"))
    )


def test_match_text_quotes_every_word() -> None:
    compiled = compile_query('troll" OR stems:x NEAR(')
    for unit in compiled.units:
        assert unit.literal.fts().count('"') == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_any_text_query_returns_published_quotes_only(shared_conn: sqlite3.Connection, query: str) -> None:
    hits = search_quotes(shared_conn, Filters(query=query), limit=20)
    assert len(hits) <= 20
    assert set(ids(hits)) <= PUBLISHED_IDS
    for hit in hits:
        for start, end in highlight_spans(hit.text, query):
            assert 0 <= start < end <= len(hit.text)


# --- many matches ------------------------------------------------------------------------------


def test_a_large_limit_returns_every_match(conn: sqlite3.Connection) -> None:
    store.write_quotes(
        conn,
        [
            quote_record(f"bulk{i:03d}", f"Un troll numéro {i}.", "sp1", "i2015", ["crise"], PUBLISHED)
            for i in range(600)
        ],
    )
    hits = search_quotes(conn, Filters(query="troll"), limit=5000)  # more ids than one SQL statement binds
    assert len(hits) == count_quotes(conn, Filters(query="troll")) == 603
    assert len(search_quotes(conn, Filters(), limit=5000)) == len(PUBLISHED_IDS) + 600


def test_broad_queries_rank_the_most_recent_matches_then_list_the_rest(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lexical ranking's window (the semantic side, fused in, is tested on its own).
    lexical = search.LEXICAL_ONLY
    store.write_quotes(conn, [quote_record("short", "Troll !", "sp1", None, ["crise"], PUBLISHED)])
    assert ids(search_quotes(conn, Filters(query="troll"), fusion=lexical))[0] == "short"  # the best bm25
    monkeypatch.setattr(search, "RANKING_WINDOW", 2)
    hits = search_quotes(conn, Filters(query="troll"), fusion=lexical)
    # Only the two most recent matches (q02, q01) are ranked; older ones follow, by date.
    assert set(ids(hits)[:2]) == {"q01", "q02"} and ids(hits)[2:] == ["q03", "short"]
    assert count_quotes(conn, Filters(query="troll"), fusion=lexical) == 4
