"""Students' proposals and the director's moderation in the store: the next free id, one
transaction per decision, and only published quotes in the search index."""

from __future__ import annotations

import sqlite3

import pytest

from insights import store
from insights.domain import PROPOSED, PUBLISHED, REFUSED, STUDENT_PROPOSAL
from insights.filters import Filters
from insights.quotes import search


def _add_quotes(conn: sqlite3.Connection, *quote_ids: str) -> None:
    store.write_quotes(
        conn,
        [
            {
                "quote_id": quote_id,
                "text": f"Citation {quote_id} sur la veille.",
                "speaker_id": "sp01",
                "intervention_id": None,
                "themes": ["veille"],
                "source": "support",
                "status": PUBLISHED,
            }
            for quote_id in quote_ids
        ],
    )


@pytest.fixture
def empty_conn(tmp_path) -> sqlite3.Connection:
    conn = store.connect(tmp_path / "empty.sqlite")
    store.write_cohorts(conn, [{"cohort": "2015-2016", "size": 20}])
    store.write_speakers(
        conn,
        [
            {
                "speaker_id": "sp01",
                "name": "Camille Martin",
                "title": "CM",
                "organisation": "Ville",
                "org_type": "collectivité",
                "sector": "",
                "networks": "",
                "years_experience": None,
                "education": "",
                "bio": "",
            }
        ],
    )
    yield conn
    conn.close()


# --- the next free id ----------------------------------------------------------------------------


def test_the_first_quote_id_of_an_empty_base_is_q0001(empty_conn):
    assert store.next_quote_id(empty_conn) == "q0001"


def test_the_next_id_follows_the_largest_number_and_keeps_its_padding(demo_conn):
    assert store.next_quote_id(demo_conn) == "q0185"  # the demo's ids run to q0184


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["q0009", "q0010"], "q0011"),
        (["q9999"], "q10000"),
        (["q000123", "q0099"], "q000124"),  # the padding of the largest number is kept
        (["q0005", "q00005", "q12abc", "import-7", "Q0300"], "q0006"),  # only q<digits> ids count
        (["q99999999999999999999999"], "q100000000000000000000000"),  # beyond 64-bit integers
    ],
)
def test_the_next_id_is_one_more_than_the_largest_q_number(empty_conn, existing, expected):
    _add_quotes(empty_conn, *existing)
    assert store.next_quote_id(empty_conn) == expected


# --- proposing -----------------------------------------------------------------------------------


def test_a_proposal_is_stored_as_proposed_with_its_source_themes_and_a_new_id(demo_conn):
    version = store.data_version(demo_conn)
    quote_id = store.propose_quote(
        demo_conn, "Un troll affamé reste poli si on le nourrit.", "sp04", "2012-2013-S1-05", ["crise"]
    )
    assert quote_id == "q0185"
    quote = store.load_quotes(demo_conn).set_index("quote_id").loc[quote_id]
    assert (quote["status"], quote["source"], quote["themes"]) == (PROPOSED, STUDENT_PROPOSAL, ["crise"])
    assert quote["intervention_id"] == "2012-2013-S1-05"
    assert store.data_version(demo_conn) == version + 1, "one transaction, one data version"
    found = search.search_quotes(demo_conn, Filters(query="troll affamé poli"), limit=500)
    assert found, "the words match published quotes too"
    assert quote_id not in [hit.quote_id for hit in found]
    assert search.get_quote(demo_conn, quote_id) is None


def test_a_proposal_without_a_known_talk_keeps_none(demo_conn):
    quote_id = store.propose_quote(demo_conn, "Osez demander de l'aide.", "sp04", None, [])
    quote = store.load_quotes(demo_conn).set_index("quote_id").loc[quote_id]
    assert quote["intervention_id"] is None
    assert quote["themes"] == []


def test_two_proposals_get_two_ids(demo_conn):
    first = store.propose_quote(demo_conn, "Première proposition de test.", "sp04", None, [])
    second = store.propose_quote(demo_conn, "Seconde proposition de test.", "sp04", None, [])
    assert (first, second) == ("q0185", "q0186")


def test_the_same_text_for_the_same_speaker_is_refused_whatever_its_status(demo_conn):
    with pytest.raises(store.DuplicateQuoteError) as published:
        store.propose_quote(
            demo_conn,
            "Un troll cherche un public. Si vous lui répondez à chaud, vous lui en offrez un.",
            "sp13",
            None,
            [],
        )
    assert (published.value.quote_id, published.value.status) == ("q0106", PUBLISHED)
    with pytest.raises(store.DuplicateQuoteError) as refused:
        store.propose_quote(
            demo_conn, "Les journalistes font les meilleurs community managers.", "sp06", None, []
        )
    assert refused.value.status == REFUSED
    assert store.next_quote_id(demo_conn) == "q0185", "nothing was written"


def test_a_proposal_for_an_unknown_speaker_writes_nothing(demo_conn):
    version = store.data_version(demo_conn)
    with pytest.raises(sqlite3.IntegrityError):
        store.propose_quote(demo_conn, "Une citation sans auteur connu.", "sp99", None, ["crise"])
    assert store.data_version(demo_conn) == version
    assert store.next_quote_id(demo_conn) == "q0185"
    assert not demo_conn.execute("SELECT 1 FROM quote_themes WHERE quote_id = 'q0185'").fetchone()


# --- moderating ----------------------------------------------------------------------------------


def test_status_counts_count_the_quotes_of_each_status(demo_conn, empty_conn):
    assert store.quote_status_counts(demo_conn) == {PUBLISHED: 174, PROPOSED: 7, REFUSED: 3}
    assert store.quote_status_counts(empty_conn) == {}
    store.propose_quote(demo_conn, "Une proposition de plus pour compter.", "sp04", None, [])
    store.set_quote_status(demo_conn, "q0106", REFUSED)
    assert store.quote_status_counts(demo_conn) == {PUBLISHED: 173, PROPOSED: 8, REFUSED: 4}
    assert store.published_quote_count(demo_conn) == 173 == search.count_quotes(demo_conn, Filters())


def test_publishing_puts_a_proposal_in_the_search_index(demo_conn):
    store.set_quote_status(demo_conn, "q0175", PUBLISHED)  # "L'outil ne fait pas le CM."
    assert "q0175" in [
        hit.quote_id for hit in search.search_quotes(demo_conn, Filters(query="outil CM"), limit=50)
    ]
    assert search.get_quote(demo_conn, "q0175").text == "L'outil ne fait pas le CM."


def test_refusing_a_published_quote_takes_it_off_the_wall_and_reconsidering_brings_it_to_the_queue(demo_conn):
    store.set_quote_status(demo_conn, "q0106", REFUSED)
    assert search.get_quote(demo_conn, "q0106") is None
    store.set_quote_status(demo_conn, "q0106", PROPOSED)
    assert search.get_quote(demo_conn, "q0106") is None
    assert store.load_quotes(demo_conn, status=PROPOSED)["quote_id"].tolist().count("q0106") == 1


def test_changing_the_status_of_an_unknown_quote_raises(demo_conn):
    with pytest.raises(store.QuoteNotFoundError, match="q9999"):
        store.set_quote_status(demo_conn, "q9999", PUBLISHED)


def test_edit_then_publish_rewrites_text_speaker_talk_and_themes_in_one_transaction(demo_conn):
    version = store.data_version(demo_conn)
    store.update_quote(
        demo_conn,
        "q0175",
        text="L'outil ne fait pas le community manager.",
        speaker_id="sp04",
        intervention_id="2012-2013-S1-05",
        themes=["outils", "parcours"],
        status=PUBLISHED,
    )
    assert store.data_version(demo_conn) == version + 1
    hit = search.get_quote(demo_conn, "q0175", "community manager")
    assert (hit.text, hit.speaker_id, hit.intervention_id, hit.themes) == (
        "L'outil ne fait pas le community manager.",
        "sp04",
        "2012-2013-S1-05",
        ("outils", "parcours"),
    )
    assert hit.matched_terms == ("community manager",)


def test_an_edit_with_an_unknown_talk_changes_nothing(demo_conn):
    with pytest.raises(sqlite3.IntegrityError):
        store.update_quote(
            demo_conn,
            "q0175",
            text="Texte changé.",
            speaker_id="sp09",
            intervention_id="nope",
            themes=["crise"],
            status=PUBLISHED,
        )
    quote = store.load_quotes(demo_conn).set_index("quote_id").loc["q0175"]
    assert (quote["text"], quote["status"], quote["themes"]) == (
        "L'outil ne fait pas le CM.",
        PROPOSED,
        ["outils"],
    )


def test_editing_an_unknown_quote_raises(demo_conn):
    with pytest.raises(store.QuoteNotFoundError):
        store.update_quote(
            demo_conn, "q9999", text="x", speaker_id="sp04", intervention_id=None, themes=[], status=PUBLISHED
        )


# --- a flood of proposals ---------------------------------------------------------------------------

LIMITS = store.ProposalLimits(per_session=3, session_window=600, per_hour=5)


def test_a_session_is_held_to_its_share_of_proposals(demo_conn):
    for index in range(3):
        store.propose_quote(demo_conn, f"Conseil numéro {index} de la séance", "sp01", None, [],
                            session="s1", now=1000 + index, limits=LIMITS)  # fmt: skip
    with pytest.raises(store.ProposalLimitError, match="attendez un peu"):
        store.propose_quote(
            demo_conn, "Un conseil de trop", "sp01", None, [], session="s1", now=1010, limits=LIMITS
        )
    # Later, or from another session, it goes through.
    store.propose_quote(
        demo_conn, "Un conseil plus tard", "sp01", None, [], session="s1", now=1700, limits=LIMITS
    )
    store.propose_quote(
        demo_conn, "Un conseil d'ailleurs", "sp01", None, [], session="s2", now=1710, limits=LIMITS
    )


def test_everyone_together_is_held_to_an_hourly_total(demo_conn):
    for index in range(5):
        store.propose_quote(demo_conn, f"Conseil {index} d'une session neuve", "sp01", None, [],
                            session=f"script-{index}", now=1000 + index, limits=LIMITS)  # fmt: skip
    before = store.quote_status_counts(demo_conn)[PROPOSED]
    with pytest.raises(store.ProposalLimitError, match="Réessayez un peu plus tard"):
        store.propose_quote(
            demo_conn, "Encore une", "sp01", None, [], session="script-9", now=1100, limits=LIMITS
        )
    assert store.quote_status_counts(demo_conn)[PROPOSED] == before, "nothing written beyond the limit"
    assert store.proposals_last_hour(demo_conn, now=1100) == 5
    store.propose_quote(
        demo_conn, "Une heure après", "sp01", None, [], session="script-9", now=4700, limits=LIMITS
    )


def test_the_director_refuses_many_proposals_at_once(demo_conn):
    ids = [store.propose_quote(demo_conn, f"Proposition en série {i}", "sp02", None, []) for i in range(30)]
    assert store.set_quote_statuses(demo_conn, [*ids, "q9999"], REFUSED) == 30
    assert set(store.load_quotes(demo_conn, REFUSED)["quote_id"]) >= set(ids)
    assert store.set_quote_statuses(demo_conn, ids, REFUSED) == 0  # already refused
    assert store.load_audit_log(demo_conn, ["moderation"])["summary"].iloc[0] == "30 citation(s) : refusée"


def test_the_queue_is_searched_by_words_and_speaker(demo_conn):
    from insights.analytics.model import load_model
    from insights.quotes import wall

    store.propose_quote(demo_conn, "Répondre vite à un bad buzz", "sp02", None, [])
    store.propose_quote(demo_conn, "Écouter sa communauté avant tout", "sp03", None, [])
    model = load_model(demo_conn)
    items = wall.moderation_items(store.load_quotes(demo_conn, PROPOSED), model.speakers, model.interventions)
    assert [i.text for i in wall.filter_moderation(items, "ecouter COMMUNAUTE")] == [
        "Écouter sa communauté avant tout"
    ]
    assert {i.speaker_id for i in wall.filter_moderation(items, speaker_id="sp02")} == {"sp02"}
    assert wall.filter_moderation(items, "bad buzz", "sp03") == []
