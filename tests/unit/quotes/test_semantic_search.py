"""The search's semantic side: vectors stored at write time, the fusion, the spelling correction,
related quotes, published quotes only, and the fallback to the lexical index when no model runs.

Most tests use the deterministic stand-in embedder (tests/conftest.py); those marked by the
`real_model` fixture run multilingual-e5-small itself."""

from __future__ import annotations

import csv
import logging
import random
import sqlite3
import string
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from insights import store
from insights.domain import PUBLISHED, REFUSED
from insights.filters import Filters
from insights.language import embedding, spelling, text
from insights.quotes import evaluation, search, semantic
from tests.unit.quotes.corpus import PUBLISHED_IDS, QUOTES, build_corpus

EVAL_SET = Path(__file__).resolve().parents[2] / "data" / "search_eval"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = store.connect(tmp_path / "search.sqlite")
    build_corpus(connection)
    yield connection
    connection.close()


def ids(hits) -> list[str]:
    return [hit.quote_id for hit in hits]


def vector_ids(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT quote_id FROM quote_vectors")}


# --- vectors at write time --------------------------------------------------------------------


def test_published_quotes_get_a_vector_when_written_and_others_do_not(conn):
    assert vector_ids(conn) == PUBLISHED_IDS
    model = embedding.HashEmbedder().name
    docids, matrix = store.published_vectors(conn, model)
    assert len(docids) == len(PUBLISHED_IDS) and matrix.shape == (len(PUBLISHED_IDS), embedding.DIMENSIONS)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)


def test_publishing_embeds_and_editing_the_text_embeds_again(conn):
    store.set_quote_status(conn, "q08", PUBLISHED)  # was proposed
    assert "q08" in vector_ids(conn)
    before = conn.execute("SELECT vector FROM quote_vectors WHERE quote_id = 'q08'").fetchone()[0]
    store.update_quote(
        conn,
        "q08",
        text="Une tout autre phrase sur les influenceurs.",
        speaker_id="sp2",
        intervention_id="i2016",
        themes=["strategie"],
        status=PUBLISHED,
    )
    after = conn.execute("SELECT vector FROM quote_vectors WHERE quote_id = 'q08'").fetchone()[0]
    assert after != before
    expected = embedding.HashEmbedder().passages(["Une tout autre phrase sur les influenceurs."])[0]
    assert np.allclose(np.frombuffer(after, dtype=np.float32), expected)


def test_quotes_published_before_the_model_was_there_are_embedded_at_the_next_write(conn):
    conn.execute("DELETE FROM quote_vectors")
    assert store.stale_quote_vectors(conn, embedding.HashEmbedder().name)
    store.set_quote_status(conn, "q08", PUBLISHED)
    assert vector_ids(conn) == PUBLISHED_IDS | {"q08"}


def test_a_refused_quote_leaves_the_semantic_side_and_related_quotes(conn):
    store.set_quote_status(conn, "q01", REFUSED)
    for query in ("Face à un troll, ne répondez jamais sur le coup.", "troll"):
        assert "q01" not in ids(search.search_quotes(conn, Filters(query=query), 50))
    for quote_id in PUBLISHED_IDS - {"q01"}:
        assert "q01" not in ids(search.related_quotes(conn, quote_id))
    assert search.related_quotes(conn, "q01") == []
    assert search.related_quotes(conn, "q09") == []  # refused from the start


# --- the fusion -------------------------------------------------------------------------------


def test_reciprocal_rank_fusion_adds_weight_over_k_plus_rank():
    scores = semantic.reciprocal_rank_fusion([([1, 2, 3], 1.0), ([3, 4], 2.0)], k=5)
    assert scores[1] == pytest.approx(1 / 6)
    assert scores[3] == pytest.approx(1 / 8 + 2 / 6)
    assert scores[4] == pytest.approx(2 / 7)


def test_fusion_lets_a_quote_both_sides_agree_on_win_and_keeps_exact_words_ahead():
    fusion = search.Fusion(k=5, lexical_weight=1.0, semantic_weight=1.0, exact_bonus=0.5)
    lexical = [(10, 3.4), (11, 1.2), (12, 1.1)]  # 10 has every word as typed
    near = [(12, 0.9), (20, 0.88)]
    fused = [docid for docid, _ in search.fuse(lexical, near, fusion)]
    assert fused[0] == 10  # exact words still win
    assert fused.index(12) < fused.index(11)  # found by both sides
    assert set(fused) == {10, 11, 12, 20}  # a semantic-only quote is added
    no_bonus = [
        d for d, _ in search.fuse(lexical, near, search.Fusion(k=5, exact_bonus=0.0, semantic_weight=3.0))
    ]
    assert no_bonus[0] == 12


def test_semantic_hits_below_the_threshold_are_left_out(conn):
    everything = search.semantic_hits(conn, Filters(query="troll"), search.Fusion(min_similarity=-1.0))
    assert len(everything) == len(PUBLISHED_IDS)
    assert search.semantic_hits(conn, Filters(query="troll"), search.Fusion(min_similarity=1.01)) == []


def test_quotes_near_every_question_are_discounted_and_the_floor_reads_the_plain_cosine(conn, monkeypatch):
    model = embedding.HashEmbedder().name
    everything = search.Fusion(min_similarity=-1.0, semantic_pool=100, hub_weight=0.0)
    plain = search.semantic_hits(conn, Filters(query="troll sur la page"), everything)
    nearest = plain[0][0]
    index = semantic.vector_index(conn, model)
    hub = index.matrix[int(np.searchsorted(index.docids, nearest))]
    # The nearest quote is made the hub: the centroid of what students write is its own vector.
    monkeypatch.setattr(semantic, "query_centroid", lambda name: hub if name == model else None)
    semantic.clear_cache()
    discounted = search.semantic_hits(
        conn, Filters(query="troll sur la page"), search.Fusion(min_similarity=-1.0, semantic_pool=100)
    )
    assert discounted[0][0] != nearest
    assert dict(discounted) == pytest.approx(dict(plain))  # the same quotes, with their cosines
    floor = plain[2][1]
    kept = search.semantic_hits(
        conn, Filters(query="troll sur la page"), search.Fusion(min_similarity=floor, semantic_pool=100)
    )
    assert {docid for docid, _ in kept} == {docid for docid, similarity in plain if similarity >= floor}
    semantic.clear_cache()


def test_an_exact_phrase_or_a_wordless_query_has_no_semantic_side(conn):
    loose = search.Fusion(min_similarity=-1.0)
    assert search.semantic_hits(conn, Filters(query='"bad buzz"'), loose) == []
    assert search.semantic_hits(conn, Filters(query="comment est-ce que"), loose) == []
    assert ids(search.search_quotes(conn, Filters(query='"bad buzz"'), fusion=loose)) == ["q04"]


def test_the_count_includes_the_quotes_only_the_semantic_side_brings(conn):
    loose = search.Fusion(min_similarity=-1.0, semantic_pool=100)
    lexical = search.count_quotes(conn, Filters(query="troll"), search.LEXICAL_ONLY)
    fused = search.count_quotes(conn, Filters(query="troll"), loose)
    assert lexical < fused == len(PUBLISHED_IDS)
    hits = search.search_quotes(conn, Filters(query="troll"), 50, loose)
    assert len(hits) == fused and set(ids(hits)) == PUBLISHED_IDS
    counts = search.theme_counts(conn, Filters(query="troll", themes=("veille",)), loose)
    assert counts["veille"] == sum(1 for q in QUOTES if q[5] == PUBLISHED and "veille" in q[4])


def test_filters_apply_to_the_semantic_side(conn):
    loose = search.Fusion(min_similarity=-1.0, semantic_pool=100)
    hits = search.search_quotes(conn, Filters(query="troll", themes=("parcours",)), 50, loose)
    assert ids(hits) == ["q10"]


def test_the_question_words_of_a_long_question_are_dropped_on_the_lexical_side():
    compiled = search.compile_query("Comment je fais si un troll s'acharne sur notre page ?")
    assert [unit.label for unit in compiled.units] == ["troll", "acharne", "page"]
    assert search.compile_query("comment faire").units  # nothing else: kept


def test_short_queries_are_read_with_their_synonym_groups_names():
    assert search.semantic_text("community guidelines") == "community guidelines (modération)"
    long = "un journaliste m'appelle pour avoir notre réaction avant que la direction ait parlé"
    assert search.semantic_text(long) == long


# --- spelling -----------------------------------------------------------------------------------


def test_the_speller_corrects_unknown_words_only():
    speller = spelling.Speller({"moderation": 10, "influenceur": 3, "page": 40}, dictionary=True)
    assert speller.correct_word("moderasion") == "moderation"
    assert speller.correct_word("inflenceur") == "influenceur"
    assert speller.correct_word("moderation") is None  # known
    assert speller.correct_word("banque") is None  # a French word, even if no quote uses it
    assert speller.correct_word("brand") is None  # an English word
    assert speller.correct_word("pag") is None  # too short to judge
    assert speller.correct_word("xqzwvtpl") is None  # nothing close


def test_a_corrected_query_keeps_the_rest_as_typed_and_leaves_phrases_alone():
    speller = spelling.Speller({"moderation": 10}, dictionary=False)
    corrected = spelling.correct_query("Charte de modérasion !", speller, {"moderation": "modération"})
    assert corrected is not None
    assert corrected.corrected == "Charte de modération !"
    assert corrected.words == (("modérasion", "modération"),)
    assert spelling.correct_query('"modérasion"', speller) is None
    assert spelling.correct_query("modération", speller) is None


def _typo(word: str, edits: int, rng: random.Random) -> str:
    """`word` with `edits` random edits (a letter inserted, replaced, dropped, or two swapped)."""
    for _ in range(edits):
        i, kind = rng.randrange(len(word)), rng.choice("irdt")
        letter = rng.choice(string.ascii_lowercase.replace(word[i], ""))
        if kind == "t" and len(word) > 1:
            i = min(i, len(word) - 2)
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            word = word[:i] + {"i": letter + word[i], "r": letter, "d": ""}.get(kind, letter) + word[i + 1 :]
    return word


def _corrected_back(speller: spelling.Speller, typed: str, meant: str) -> bool:
    """Whether the search would find `meant` from `typed`: corrected into a word of its stem, or
    left as typed while the index matches it by its stem."""
    corrected = speller.correct_word(typed)
    return text.stem(corrected if corrected else typed) == text.stem(meant)


@pytest.mark.parametrize(
    ("edits", "shortest", "floor"), [(1, spelling.MIN_LENGTH, 0.9), (2, spelling.TWO_EDITS_FROM, 0.9)]
)
def test_typos_of_the_demo_s_words_are_corrected_back(demo_conn, edits, shortest, floor):
    speller = search._speller(demo_conn)
    rng = random.Random(17)
    words = sorted(w for w in store.index_vocabulary(demo_conn) if len(w) >= shortest and w.isalpha())
    typos = [
        (typed, word)
        for word in words
        if len(typed := _typo(word, edits, rng)) >= shortest and not speller.knows(typed)
    ]
    assert len(typos) > 200
    right = sum(_corrected_back(speller, typed, word) for typed, word in typos)
    assert right / len(typos) >= floor, (right, len(typos))


def test_words_students_type_that_no_dictionary_holds_are_seldom_changed(demo_conn):
    speller = search._speller(demo_conn)
    lines = (EVAL_SET / "real_words.txt").read_text(encoding="utf-8").splitlines()
    words = [word for line in lines if not line.startswith("#") for word in line.split()]
    changed = {word: fixed for word in words if (fixed := speller.correct_word(text.fold(word)))}
    # Before two edits were kept for long words, 23 of the 237 were changed ("resto" into "reste",
    # "emojis" into "mois", "galérer" into "gérer", "influenceurs" into "influenceur"...); 4 before
    # the synonyms table knew "reposter", "instagrammeur" and the like.
    assert len(words) == 237
    assert len(changed) <= 2, changed
    assert "emojis" not in changed and "galérer" not in changed and "influenceurs" not in changed


def test_the_wall_corrects_against_the_published_quotes_words_with_their_accents(conn):
    correction = search.spelling_correction(conn, "diplome autodidacet")
    assert correction is not None and correction.corrected == "diplome autodidacte"
    assert search.spelling_correction(conn, "innovasion").corrected == "innovation"
    assert search.spelling_correction(conn, "troll") is None
    assert search.spelling_correction(conn, "") is None
    # A word only a refused quote holds is no correction target.
    store.write_quotes(conn, [])
    assert search.spelling_correction(conn, "trolls") is None


# --- no model: lexical only ---------------------------------------------------------------------


def test_without_a_model_the_search_is_the_lexical_one(conn):
    with embedding.use_embedder(None):
        for query in ("troll", "un souci avec les haters", "diplôme", "zzz"):
            assert search.search_quotes(conn, Filters(query=query), 20) == search.search_quotes(
                conn, Filters(query=query), 20, search.LEXICAL_ONLY
            )
            assert search.count_quotes(conn, Filters(query=query)) == search.count_quotes(
                conn, Filters(query=query), search.LEXICAL_ONLY
            )
        assert search.related_quotes(conn, "q01") == []
        store.set_quote_status(conn, "q08", PUBLISHED)  # a write with no model still works
    assert "q08" not in vector_ids(conn)


def test_a_model_that_fails_to_load_logs_a_warning_and_means_lexical_only(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("bibliothèque introuvable")

    monkeypatch.setattr(embedding, "E5Embedder", broken)
    monkeypatch.setattr(embedding, "_loaded", embedding._UNSET)
    monkeypatch.setattr(embedding, "_override", embedding._UNSET)
    monkeypatch.delenv(embedding.EMBEDDER_ENV, raising=False)
    with caplog.at_level(logging.WARNING, logger="insights.language.embedding"):
        assert embedding.default_embedder() is None
    assert "recherche par mots seulement" in caplog.text


def test_the_environment_can_turn_the_model_off(monkeypatch):
    monkeypatch.setattr(embedding, "_loaded", embedding._UNSET)
    monkeypatch.setattr(embedding, "_override", embedding._UNSET)
    monkeypatch.setenv(embedding.EMBEDDER_ENV, "off")
    assert embedding.default_embedder() is None


# --- the real model -----------------------------------------------------------------------------


def test_the_real_model_embeds_french_offline_into_normalised_vectors(real_model):
    vectors = real_model.passages(["Un troll cherche un public.", "Le diplôme ouvre la porte."])
    query = real_model.query("que faire face à un troll")
    assert vectors.shape == (2, embedding.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ query > vectors[1] @ query


def test_the_vector_cache_holds_what_the_model_computes(e5_embedder):
    cached = embedding._vector_cache()
    assert cached, "the demo quotes' vectors ship with the package"
    text = "Un troll cherche un public. Si vous lui répondez à chaud, vous lui en offrez un."
    fresh = embedding.E5Embedder(use_cache=False).passages([text])[0]
    assert np.allclose(cached[embedding.text_key(text)], fresh, atol=2e-3)


def test_the_shipped_query_centroid_is_the_models_mean_of_the_demos_takeaways(real_model):
    with (store.DEMO_DIR / "responses.csv").open(encoding="utf-8", newline="") as handle:
        takeaways = [row["takeaway"].strip() for row in csv.DictReader(handle)]
    unique = list(dict.fromkeys(t for t in takeaways if t))
    fresh = np.mean([real_model.query(t) for t in unique], axis=0)
    shipped = embedding.query_centroid(embedding.E5_MODEL_NAME)
    assert shipped is not None and np.allclose(shipped, fresh, atol=2e-3)
    assert embedding.query_centroid(embedding.HashEmbedder().name) is None


def test_hostile_queries_with_the_real_model_are_answered(conn, real_model):
    store.refresh_quote_vectors(conn, real_model)
    for query in ("x" * 10_000, "<script>alert(1)</script>", "\x00🙂", "troll " * 500, '" OR 1=1 --'):
        hits = search.search_quotes(conn, Filters(query=query), 20)
        assert set(ids(hits)) <= PUBLISHED_IDS
        search.count_quotes(conn, Filters(query=query))
        search.theme_counts(conn, Filters(query=query))
        search.spelling_correction(conn, query)


def test_the_judged_set_keeps_its_measured_figures_with_the_real_model(real_model):
    result = evaluation.evaluate(EVAL_SET)
    lexical = {s.kind: s for s in result.lexical}
    fused = {s.kind: s for s in result.fused}
    assert result.model == embedding.E5_MODEL_NAME
    assert fused["typo"].recall_at_3 >= 0.95
    assert fused["english"].recall_at_3 >= 0.85
    # Goals 0.7 and 0.9, missed on the queries written blind (0.596 over 57 and 0.798 over 129): see
    # tests/data/search_eval/README.md. The floors let one query go (machines' floats differ);
    # without the new synonym groups the first falls to 0.544, without the hub discount the second
    # to 0.729.
    assert fused["other_words"].recall_at_3 >= 0.57
    assert fused["long"].recall_at_3 >= 0.78
    assert fused["lexical"].recall_at_3 >= lexical["lexical"].recall_at_3
    assert fused["lexical"].mrr >= lexical["lexical"].mrr
    for kind in ("other_words", "long", "typo", "english"):
        assert fused[kind].recall_at_3 > lexical[kind].recall_at_3
