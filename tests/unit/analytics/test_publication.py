"""Who sees what: a talk's figures only once its results are published (the director always),
free-text answers only once reviewed public and as the director left them, no figure under the
anonymity threshold whoever reads, and the talks under the participation threshold marked."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from insights import store
from insights.analytics import free_text, overview, publication, speakers, survey_page, themes
from insights.analytics.cube import LOW_PARTICIPATION
from insights.analytics.model import load_model, results_shown
from insights.domain import COLLECTING, PUBLISHED_RESULTS, RESULT_STATES, REVIEWED
from insights.filters import Filters
from insights.language.answers import answer_terms
from tests.unit.survey_fixtures import make_store

EVERYONE = Filters()


@pytest.mark.parametrize(("state", "director"), list(itertools.product(RESULT_STATES, (False, True))))
def test_only_published_results_are_shown_to_students(state, director):
    assert results_shown(state, director) is (director or state == PUBLISHED_RESULTS)


@pytest.fixture
def conn():
    """The tiny survey (t1: 5 responses, t2: 7, t3: 4), t1 and t2 published, t3 collecting."""
    connection = make_store()
    store.set_result_state(connection, ["t1", "t2"], PUBLISHED_RESULTS, "test")
    yield connection
    connection.close()


def test_the_model_masks_unpublished_talks_for_students_only(conn):
    model = load_model(conn)
    assert model.states.tolist() == [PUBLISHED_RESULTS, PUBLISHED_RESULTS, COLLECTING]
    assert model.results_mask(director=False).tolist() == [True, True, False]
    assert model.results_mask(director=True).tolist() == [True, True, True]


@pytest.mark.parametrize("director", [False, True])
def test_the_enquetes_figures_of_an_unpublished_talk_appear_to_the_director_alone(conn, director):
    figures = survey_page.page_figures(conn, load_model(conn), EVERYONE, director=director)
    talks = set(figures.talks["intervention_id"]) | set(figures.nps_talks["intervention_id"])
    talks |= set(figures.response_rates["intervention_id"])
    assert ("t3" in talks) is director
    assert figures.unpublished == (0 if director else 1)
    assert figures.summary.responses == (16 if director else 12)


def test_publishing_shows_a_talk_and_unpublishing_takes_it_back(conn):
    def student_talks() -> set[str]:
        figures = survey_page.page_figures(conn, load_model(conn), EVERYONE)
        return set(figures.response_rates["intervention_id"])

    assert student_talks() == {"t1", "t2"}
    store.set_result_state(conn, ["t3"], PUBLISHED_RESULTS, "test")
    assert student_talks() == {"t1", "t2", "t3"}
    store.set_result_state(conn, ["t2"], REVIEWED, "test")
    assert student_talks() == {"t1", "t3"}


def test_the_overview_counts_the_programme_but_figures_only_published_talks(conn):
    student = overview.page_figures(conn, load_model(conn), EVERYONE, "2016-2017")
    director = overview.page_figures(conn, load_model(conn), EVERYONE, "2016-2017", director=True)
    # 2016-2017 has only t3: on the programme for everyone, its figures for the director alone.
    assert student.values["interventions"] == director.values["interventions"] == 1
    assert np.isnan(student.values["responses"]) and director.values["responses"] == 4
    assert student.unpublished == 1 and director.unpublished == 0
    assert "t3" not in set(student.ratings["intervention_id"])


def test_a_speakers_profile_shows_only_published_figures_to_students(conn):
    model = load_model(conn)
    student = speakers.profile_figures(conn, model, "sp2")  # t2 (published) and t3 (not)
    director = speakers.profile_figures(conn, model, "sp2", director=True)
    assert student.satisfaction.n == 6 and director.satisfaction.n == 10
    shown = dict(zip(student.talks["intervention_id"], student.talks["results_shown"], strict=True))
    assert shown == {"t2": True, "t3": False}
    assert student.talks.set_index("intervention_id")["satisfaction"].isna()["t3"]
    assert student.unpublished == 1


def test_the_director_may_hide_the_speakers_ratings_from_students(conn):
    store.save_publication_settings(conn, store.PublicationSettings(student_speaker_ratings=False))
    model = load_model(conn)
    student = speakers.profile_figures(conn, model, "sp1")
    assert not student.ratings_shown and student.satisfaction.n == 0
    directory = speakers.directory_figures(model, EVERYONE)
    assert directory["satisfaction"].isna().all() and not directory["results_shown"].any()
    assert speakers.profile_figures(conn, model, "sp1", director=True).satisfaction.n == 11


def test_the_themes_survey_counts_published_talks_for_students(conn):
    student = themes.page_figures(conn, load_model(conn), EVERYONE, theme="parcours")
    director = themes.page_figures(conn, load_model(conn), EVERYONE, theme="parcours", director=True)
    # "parcours" is t3's theme alone: listed for both, its usefulness for the director only.
    assert student.talks["intervention_id"].tolist() == director.talks["intervention_id"].tolist() == ["t3"]
    assert not student.talks["results_shown"].iloc[0] and director.talks["results_shown"].iloc[0]
    assert student.theme_survey["n"].eq(0).all()


@pytest.mark.parametrize(("threshold", "hidden"), [(5, {"t3"}), (6, {"t1", "t3"}), (8, {"t1", "t2", "t3"})])
@pytest.mark.parametrize("director", [False, True])
def test_the_anonymity_threshold_hides_figures_for_every_audience(threshold, hidden, director):
    connection = make_store()
    store.set_result_state(connection, ["t1", "t2", "t3"], PUBLISHED_RESULTS, "test")
    store.set_anonymity_threshold(connection, threshold)
    figures = survey_page.page_figures(connection, load_model(connection), EVERYONE, director=director)
    rates = figures.response_rates.set_index("intervention_id")
    assert set(rates.index[rates["suppressed"]]) == hidden


@pytest.mark.parametrize(
    ("share", "low"), [(0.2, set()), (0.21, {"t3"}), (0.5, {"t3"}), (0.75, {"t1", "t2", "t3"})]
)
def test_talks_under_the_participation_threshold_are_marked(share, low):
    # Responses over cohort size: t1 5/10, t2 7/10, t3 4/20; "under" is strictly below.
    connection = make_store()
    store.save_publication_settings(connection, store.PublicationSettings(participation_threshold=share))
    cube = load_model(connection).cube
    flagged = {
        t for t, f in zip(cube.column["intervention_id"], cube.column["low_participation"], strict=True) if f
    }
    assert flagged == low
    for talk, label in zip(cube.column["intervention_id"], cube.column["label"], strict=True):
        assert label.endswith(LOW_PARTICIPATION) is (talk in flagged)


def test_free_text_reaches_students_only_reviewed_public_and_as_edited(conn):
    model = load_model(conn)
    assert model.public_texts.answered.sum() == 0  # nothing reviewed yet
    queue = store.review_queue(conn, "t1")
    trolls = queue[queue["text"].str.contains("TROLLS")].iloc[0]
    store.review_answer(conn, trolls.response_id, trolls.question_id, "public", edited="Garder son calme.")
    other = queue[queue["text"].str.contains("nourrissent")].iloc[0]
    store.review_answer(conn, other.response_id, other.question_id, "private")
    model = load_model(conn)
    public = model.public_texts
    assert public.answered.sum() == 1
    # The public answer counts as shown: "calme" is there, the removed "trolls" is not.
    stems = {public.stems[i] for i in public.entry_term}
    assert answer_terms("calme")[0][0] in stems and answer_terms("trolls")[0][0] not in stems
    model_director = model.texts_for(True)
    assert model_director.answered.sum() == 9  # eight takeaways and one suggestion


def test_students_search_comments_as_shown_and_never_by_a_removed_word(conn):
    queue = store.review_queue(conn, "t1")
    trolls = queue[queue["text"].str.contains("TROLLS")].iloc[0]
    store.review_answer(conn, trolls.response_id, trolls.question_id, "public", edited="Garder son calme.")
    model = load_model(conn)
    everything = np.ones(3, dtype=bool)
    args = (conn, model.cube, model.public_texts, everything, ["takeaway"])
    shown, total = free_text.comments(*args, threshold=2, public_only=True)
    assert (total, shown["text"].tolist()) == (1, ["Garder son calme."])
    assert free_text.comments(*args, query="trolls", threshold=2, public_only=True)[1] == 0
    assert free_text.comments(*args, query="calme", threshold=2, public_only=True)[1] == 1
    director_args = (conn, model.cube, model.texts, everything, ["takeaway"])
    assert free_text.comments(*director_args, query="trolls", threshold=2)[1] == 5


def test_publication_status_and_preview_say_what_students_will_see(conn):
    store.set_result_state(conn, ["t3"], REVIEWED, "test")
    model = load_model(conn)
    status = publication.publication_status(
        model, store.load_publication(conn), store.review_counts(conn), np.ones(3, dtype=bool)
    )
    assert status["intervention_id"].tolist() == ["t3", "t2", "t1"]  # latest first
    assert status.set_index("intervention_id").at["t3", "state_label"] == "relus"
    assert status.set_index("intervention_id").at["t3", "below_threshold"]
    preview = publication.publish_preview(model, status, ["t1", "t3"])
    assert (preview.talks, preview.already_published, preview.responses) == (2, 1, 9)
    assert preview.below_threshold == 1 and preview.without_answers == []
    assert preview.pending_comments == 6  # t1's five takeaways and t3's one
