"""The demo dataset: deterministic, shipped exactly as generated, and as rich as the issue asks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insights import domain, store
from insights.demo import generator as demo
from insights.demo.tables import FILE_NAMES, TABLE_COLUMNS

LIKERT = list(domain.LIKERT_QUESTION_IDS)
SEED_QUOTES = (
    "Le CM doit être au chevet de l'innovation Web. Et pour cela, il se doit d'être passionné",
    "Avant même de faire votre métier de Community Manager, il faut que vous compreniez la structure dans "
    "laquelle vous travaillez et sa ligne de conduite",
)
FUNDAMENTALS = {
    "transparence": "admettre lorsqu'un service ne fonctionne pas comme prévu",
    "conversation": "encourager sa communauté à participer",
    "engagement": "une sur-implication n'est que très rarement bénéfique",
    "enthousiasme": "partager des informations pertinentes",
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return demo.generate_demo()


@pytest.fixture(scope="module")
def responses(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["responses"]


@pytest.fixture(scope="module")
def interventions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["interventions"]


@pytest.fixture(scope="module")
def quotes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["quotes"]


def themes_of(cell: str) -> list[str]:
    return domain.split_list(cell)


# --- Determinism and the shipped files ---------------------------------------------------------------


def test_same_seed_gives_the_same_dataset(tables: dict[str, pd.DataFrame]) -> None:
    again = demo.generate_demo()
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, again[name])


def test_another_seed_gives_other_answers_on_the_same_content(tables: dict[str, pd.DataFrame]) -> None:
    other = demo.generate_demo(seed=1)
    assert not other["responses"].equals(tables["responses"])
    pd.testing.assert_frame_equal(other["speakers"], tables["speakers"])
    pd.testing.assert_frame_equal(other["interventions"], tables["interventions"])


def test_shipped_csv_files_are_exactly_what_the_generator_writes(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    demo.write_dataset(tables, tmp_path)
    for file_name in FILE_NAMES.values():
        shipped = demo.DEMO_DIR / file_name
        assert shipped.read_bytes() == (tmp_path / file_name).read_bytes(), (
            f"{shipped} is stale: run `python -m insights.demo`"
        )


def test_command_line_writes_the_seven_files(tmp_path: Path) -> None:
    assert demo.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILE_NAMES.values())
    assert len(FILE_NAMES) == 7 and "reviews.csv" in FILE_NAMES.values()


def test_tables_have_exactly_the_template_columns(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables) == set(TABLE_COLUMNS)
    for name, columns in TABLE_COLUMNS.items():
        assert tuple(tables[name].columns) == columns
    assert TABLE_COLUMNS["responses"][4:] == domain.QUESTION_IDS


def test_csv_files_are_utf8_with_lf_and_integer_numbers() -> None:
    for file_name in FILE_NAMES.values():
        raw = (demo.DEMO_DIR / file_name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        raw.decode("utf-8")
    text = pd.read_csv(demo.DEMO_DIR / "responses.csv", dtype=str, keep_default_na=False)
    for column in [*LIKERT, "recommend"]:
        assert text[column].str.fullmatch(r"\d*").all(), column
    assert text["submitted_at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d").all()
    steps = pd.read_csv(demo.DEMO_DIR / "career_steps.csv", dtype=str, keep_default_na=False)
    assert steps["year_to"].str.fullmatch(r"(\d{4})?").all()


# --- Cohorts, speakers, careers ----------------------------------------------------------------------


def test_five_cohorts_of_25_to_35_students(tables: dict[str, pd.DataFrame]) -> None:
    cohorts = tables["cohorts"]
    assert cohorts["cohort"].tolist() == ["2011-2012", "2012-2013", "2013-2014", "2014-2015", "2015-2016"]
    assert cohorts["size"].between(25, 35).all()


def test_speakers_are_varied(tables: dict[str, pd.DataFrame]) -> None:
    speakers = tables["speakers"]
    assert len(speakers) >= 18
    assert speakers["speaker_id"].is_unique
    assert speakers["speaker_id"].str.fullmatch(r"sp\d\d").all()
    assert set(speakers["org_type"]) <= set(domain.ORG_TYPES)
    assert speakers["org_type"].nunique() >= 6
    assert (speakers["org_type"] == "éditeur d'outil").sum() >= 3
    assert all(set(domain.split_list(cell)) <= set(domain.NETWORKS) for cell in speakers["networks"])
    assert speakers["years_experience"].between(1, 40).all()
    assert speakers["bio"].map(lambda bio: 2 <= len(re.findall(r"[.!?](\s|$)", bio)) <= 4).all()
    organisations = speakers.set_index("organisation")["org_type"]
    university = [o for o in organisations.index if o.startswith("Université")]
    postal = [o for o in organisations.index if "Postal" in o]
    assert university and organisations[university[0]] == "université / établissement public"
    assert postal and organisations[postal[0]] == "grand groupe"


def test_some_speakers_have_no_communication_degree(tables: dict[str, pd.DataFrame]) -> None:
    education = tables["speakers"]["education"].str.lower()
    for background in ("histoire", "bts", "autodidacte", "journalisme"):
        assert education.str.contains(background).any(), background


def test_career_paths_have_2_to_5_dated_steps_ending_with_the_current_job(
    tables: dict[str, pd.DataFrame],
) -> None:
    steps = tables["career_steps"]
    speakers = tables["speakers"].set_index("speaker_id")
    assert set(steps["speaker_id"]) == set(speakers.index)
    for speaker_id, path in steps.groupby("speaker_id", sort=False):
        assert 2 <= len(path) <= 5, speaker_id
        assert path["year_from"].is_monotonic_increasing
        assert path["year_to"].iloc[:-1].notna().all() and pd.isna(path["year_to"].iloc[-1])
        done = path.dropna(subset=["year_to"])
        assert (done["year_from"] <= done["year_to"]).all()
        assert path["organisation"].iloc[-1] == speakers.loc[speaker_id, "organisation"]


def test_speakers_already_worked_at_their_organisation_when_they_came(
    tables: dict[str, pd.DataFrame], interventions: pd.DataFrame
) -> None:
    steps = tables["career_steps"]
    organisation = tables["speakers"].set_index("speaker_id")["organisation"]
    for talk in interventions.itertuples():
        year = int(talk.date[:4])
        for speaker_id in domain.split_list(talk.speaker_ids):
            there = steps[
                (steps["speaker_id"] == speaker_id) & (steps["organisation"] == organisation[speaker_id])
            ]
            covers = (there["year_from"] <= year) & (there["year_to"].isna() | (there["year_to"] >= year))
            assert covers.any(), (talk.intervention_id, speaker_id)


# --- Interventions -----------------------------------------------------------------------------------


def test_interventions_cover_every_cohort_semester_format_and_theme(
    tables: dict[str, pd.DataFrame], interventions: pd.DataFrame
) -> None:
    assert len(interventions) >= 60
    assert interventions["intervention_id"].is_unique
    assert set(interventions["format"]) == set(domain.FORMATS)
    covered = {theme for cell in interventions["themes"] for theme in themes_of(cell)}
    assert covered == set(domain.THEME_IDS)
    pairs = set(zip(interventions["cohort"], interventions["semester"], strict=True))
    assert pairs == {(c, s) for c in tables["cohorts"]["cohort"] for s in domain.SEMESTERS}


def test_intervention_ids_dates_and_semesters_agree(interventions: pd.DataFrame) -> None:
    for talk in interventions.itertuples():
        assert re.fullmatch(rf"{talk.cohort}-{talk.semester}-\d\d", talk.intervention_id)
        date = pd.Timestamp(talk.date)
        assert date.strftime("%Y-%m-%d") == talk.date
        start = int(talk.cohort[:4])
        expected = (
            "S1"
            if (date.year, date.month) in {(start, 9), (start, 10), (start, 11), (start, 12), (start + 1, 1)}
            else "S2"
        )
        assert talk.semester == expected, talk.intervention_id
        assert (date.year == start and date.month >= 9) or (date.year == start + 1 and date.month <= 6)


def test_intervention_themes_tools_and_speakers(
    tables: dict[str, pd.DataFrame], interventions: pd.DataFrame
) -> None:
    speaker_ids = set(tables["speakers"]["speaker_id"])
    for talk in interventions.itertuples():
        themes = themes_of(talk.themes)
        assert 2 <= len(themes) <= 4 and len(set(themes)) == len(themes)
        assert set(themes) <= set(domain.THEME_IDS)
        assert set(domain.split_list(talk.speaker_ids)) <= speaker_ids
        if talk.format == "présentation d'outil":
            assert "outils" in themes and domain.split_list(talk.tools)
        if talk.format == "témoignage de CM":
            assert pd.isna(talk.tools)


def test_some_speakers_come_back_and_some_talks_are_given_by_two(interventions: pd.DataFrame) -> None:
    per_speaker = interventions.assign(speaker=interventions["speaker_ids"].map(domain.split_list)).explode(
        "speaker"
    )
    cohorts_per_speaker = per_speaker.groupby("speaker")["cohort"].nunique()
    assert (cohorts_per_speaker >= 3).sum() >= 5
    assert (interventions["speaker_ids"].map(lambda cell: len(domain.split_list(cell))) == 2).sum() >= 2
    assert set(per_speaker["speaker"]) == set(per_speaker["speaker"].dropna())


# --- Survey responses --------------------------------------------------------------------------------


def test_enough_responses_with_valid_values(responses: pd.DataFrame, interventions: pd.DataFrame) -> None:
    assert len(responses) >= 1500
    assert responses["response_id"].is_unique
    assert responses["response_id"].str.fullmatch(r"r\d{6}").all()
    assert set(responses["intervention_id"]) <= set(interventions["intervention_id"])
    for column in LIKERT:
        assert str(responses[column].dtype) == "Int64"
        assert responses[column].dropna().between(1, 5).all(), column
    assert str(responses["recommend"].dtype) == "Int64"
    assert responses["recommend"].dropna().between(0, 10).all()
    assert set(responses["best_part"].dropna()) == set(domain.BEST_PARTS)


def test_answers_arrive_after_the_talk(responses: pd.DataFrame, interventions: pd.DataFrame) -> None:
    talk_date = responses["intervention_id"].map(interventions.set_index("intervention_id")["date"])
    submitted = pd.to_datetime(responses["submitted_at"], format="%Y-%m-%dT%H:%M:%S")
    delay = submitted - pd.to_datetime(talk_date)
    assert (delay > pd.Timedelta(hours=8)).all() and (delay < pd.Timedelta(days=20)).all()


def test_responses_per_talk_stay_within_the_cohort_with_a_few_tiny_talks(
    tables: dict[str, pd.DataFrame], responses: pd.DataFrame, interventions: pd.DataFrame
) -> None:
    per_talk = responses.groupby("intervention_id").size()
    size = interventions.set_index("intervention_id")["cohort"].map(
        tables["cohorts"].set_index("cohort")["size"]
    )
    assert (per_talk <= size[per_talk.index]).all()
    assert (per_talk < domain.ANONYMITY_THRESHOLD).sum() >= 1
    rates = per_talk / size[per_talk.index]
    assert rates.min() < 0.5 and rates.max() > 0.9


def test_respondents_are_pseudonymous_and_stable_within_a_cohort(
    tables: dict[str, pd.DataFrame], responses: pd.DataFrame, interventions: pd.DataFrame
) -> None:
    assert responses["respondent"].str.fullmatch(r"[0-9a-f]{12}").all()
    names = " ".join(tables["speakers"]["name"]).lower().split()
    assert not any(name in key for key in responses["respondent"].unique() for name in names if len(name) > 3)
    cohort = responses["intervention_id"].map(interventions.set_index("intervention_id")["cohort"])
    assert (pd.DataFrame({"r": responses["respondent"], "c": cohort}).groupby("r")["c"].nunique() == 1).all()
    assert not responses.duplicated(["intervention_id", "respondent"]).any()
    # The same students answer several talks of their year.
    assert responses.groupby("respondent").size().median() >= 5


def test_answers_move_together_and_pillars_follow_the_talk_themes(
    responses: pd.DataFrame, interventions: pd.DataFrame
) -> None:
    scores = responses[[*LIKERT, "recommend"]].astype(float)
    correlation = scores.corr()
    for question in ("usefulness", "clarity", "recommend"):
        assert correlation.loc["satisfaction", question] > 0.4
    themes = responses["intervention_id"].map(interventions.set_index("intervention_id")["themes"])
    for theme, pillar in zip(
        ("transparence", "conversation", "engagement", "enthousiasme"), list(domain.PILLARS), strict=True
    ):
        covered = themes.map(lambda cell, theme=theme: theme in themes_of(cell))
        assert scores.loc[covered, pillar].mean() > scores.loc[~covered, pillar].mean() + 0.5, pillar


def test_talk_quality_varies_with_a_few_weak_talks(responses: pd.DataFrame) -> None:
    satisfaction = responses.groupby("intervention_id")["satisfaction"].agg(["mean", "size"])
    satisfaction = satisfaction[satisfaction["size"] >= domain.ANONYMITY_THRESHOLD]["mean"]
    assert 2 <= (satisfaction < 3.0).sum() <= 8
    assert (satisfaction > 4.3).sum() >= 5


def test_best_part_depends_on_the_format(responses: pd.DataFrame, interventions: pd.DataFrame) -> None:
    fmt = responses["intervention_id"].map(interventions.set_index("intervention_id")["format"])
    shares = pd.crosstab(fmt, responses["best_part"], normalize="index")
    tool, testimony = shares.loc["présentation d'outil"], shares.loc["témoignage de CM"]
    assert tool["échange"] + tool["conseils"] > 0.6
    assert testimony["parcours"] > 2 * tool["parcours"]
    assert testimony["gestion de crise"] > 2 * tool["gestion de crise"]


def test_free_texts_are_varied_french_and_searchable(responses: pd.DataFrame) -> None:
    takeaways = responses["takeaway"].dropna()
    improvements = responses["improve"].dropna()
    assert 0.4 < len(takeaways) / len(responses) < 0.8
    assert 0.25 < len(improvements) / len(responses) < 0.6
    assert takeaways.nunique() / len(takeaways) > 0.4
    assert takeaways.value_counts().iloc[0] <= 20
    everything = " ".join(takeaways).lower()
    for word in ("troll", "bad buzz", "ligne éditoriale", "veille", "diplôme", "planification", "modération"):
        assert word in everything, word


# --- Publication and review --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reviews(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["reviews"]


@pytest.fixture(scope="module")
def free_texts(responses: pd.DataFrame, interventions: pd.DataFrame) -> pd.DataFrame:
    """Every non-empty free-text answer, with its talk's cohort, semester and results state."""
    long = responses.melt(
        id_vars=["response_id", "intervention_id"],
        value_vars=["takeaway", "improve"],
        var_name="question_id",
        value_name="answer",
    ).dropna(subset=["answer"])
    long = long[long["answer"].str.strip() != ""]
    talks = interventions.set_index("intervention_id")[["cohort", "semester", "results"]]
    return long.join(talks, on="intervention_id")


def test_the_oldest_cohorts_are_published_and_the_latest_still_in_review(interventions: pd.DataFrame) -> None:
    assert set(interventions["results"]) <= set(domain.RESULT_STATES)
    latest = interventions["cohort"].max()
    older = interventions[interventions["cohort"] != latest]
    assert (older["results"] == domain.PUBLISHED_RESULTS).all()
    current = interventions[interventions["cohort"] == latest].set_index("semester")["results"]
    assert (current.loc["S1"] == domain.REVIEWED).all()
    assert (current.loc["S2"] == domain.COLLECTING).all()
    assert older["cohort"].nunique() == 4


def test_reviews_are_about_existing_free_text_answers(
    reviews: pd.DataFrame, free_texts: pd.DataFrame
) -> None:
    assert tuple(reviews.columns) == ("response_id", "question_id", "status", "text")
    assert not reviews.duplicated(["response_id", "question_id"]).any()
    assert reviews[["response_id", "question_id"]].equals(
        reviews[["response_id", "question_id"]].sort_values(["response_id", "question_id"])
    )
    assert set(reviews["status"]) == set(domain.REVIEW_STATUSES)
    answers = free_texts.set_index(["response_id", "question_id"])["answer"]
    keys = list(zip(reviews["response_id"], reviews["question_id"], strict=True))
    assert all(key in answers.index for key in keys)
    edited = reviews.dropna(subset=["text"])
    assert 1 <= len(edited) <= 20 and (edited["status"] == domain.PUBLIC).all()
    for row in edited.itertuples():
        original = answers[row.response_id, row.question_id]
        assert row.text != original and row.text[1:] in original, (row.text, original)


def test_most_answers_of_published_talks_are_reviewed_mostly_public(
    reviews: pd.DataFrame, free_texts: pd.DataFrame
) -> None:
    decided = free_texts.merge(reviews, on=["response_id", "question_id"], how="left")
    published = decided[decided["results"] == domain.PUBLISHED_RESULTS]
    assert 0.85 <= published["status"].notna().mean() <= 0.95
    shares = published["status"].value_counts(normalize=True)
    assert shares[domain.PUBLIC] > 0.75
    assert 0.05 <= shares[domain.PRIVATE] <= 0.2
    assert 0.01 <= shares[domain.REMOVED] <= 0.08
    # Criticism is kept for the speaker more often than advice.
    private = published[published["status"] == domain.PRIVATE]["question_id"].value_counts()
    assert private["improve"] > private["takeaway"]


def test_about_a_third_of_the_latest_cohort_s_answers_are_reviewed(
    reviews: pd.DataFrame, free_texts: pd.DataFrame, interventions: pd.DataFrame
) -> None:
    decided = free_texts.merge(reviews, on=["response_id", "question_id"], how="left")
    latest = decided[decided["cohort"] == interventions["cohort"].max()]
    assert 0.25 <= latest["status"].notna().mean() <= 0.42
    by_semester = latest.groupby("semester")["status"].apply(lambda s: s.notna().mean())
    assert by_semester["S1"] > by_semester["S2"] > 0


def test_the_demo_database_waits_for_the_review_of_the_rest(demo_conn) -> None:
    publication = store.load_publication(demo_conn)
    assert publication["state"].value_counts().to_dict() == {
        domain.PUBLISHED_RESULTS: 53,
        domain.REVIEWED: 8,
        domain.COLLECTING: 8,
    }
    shipped = pd.read_csv(demo.DEMO_DIR / "reviews.csv", dtype=str, keep_default_na=False)
    counts = store.review_counts(demo_conn)
    assert counts["answers"].sum() - counts["pending"].sum() == len(shipped)
    assert counts["public"].sum() == (shipped["status"] == domain.PUBLIC).sum()
    assert store.load_reviews(demo_conn)["edited"].notna().sum() == (shipped["text"] != "").sum()


# --- Quotes ------------------------------------------------------------------------------------------


def test_quote_counts_by_status(quotes: pd.DataFrame) -> None:
    status = quotes["status"].value_counts()
    assert status[domain.PUBLISHED] >= 160
    assert 5 <= status[domain.PROPOSED] <= 8
    assert 2 <= status[domain.REFUSED] <= 3
    assert quotes["quote_id"].tolist() == [f"q{i:04d}" for i in range(1, len(quotes) + 1)]


def test_quotes_are_distinct_and_well_tagged(quotes: pd.DataFrame) -> None:
    assert quotes["text"].is_unique
    assert not quotes["text"].str.contains("[«»]").any()
    assert (quotes["text"].str.strip() == quotes["text"]).all()
    assert set(quotes["source"]) <= set(domain.QUOTE_SOURCES)
    assert set(quotes["status"]) <= set(domain.QUOTE_STATUSES)
    for cell in quotes["themes"]:
        themes = themes_of(cell)
        assert 1 <= len(themes) <= 3 and set(themes) <= set(domain.THEME_IDS)
    published = quotes[quotes["status"] == domain.PUBLISHED]
    assert {t for cell in published["themes"] for t in themes_of(cell)} == set(domain.THEME_IDS)


def test_quotes_belong_to_a_talk_of_their_speaker(
    tables: dict[str, pd.DataFrame], quotes: pd.DataFrame, interventions: pd.DataFrame
) -> None:
    assert set(quotes["speaker_id"]) <= set(tables["speakers"]["speaker_id"])
    speakers_of = interventions.set_index("intervention_id")["speaker_ids"].map(domain.split_list)
    known = quotes.dropna(subset=["intervention_id"])
    assert 1 <= len(quotes) - len(known) <= 10
    for quote in known.itertuples():
        assert quote.speaker_id in speakers_of[quote.intervention_id], quote.quote_id


def test_seed_quotes_and_the_four_fundamentals_are_published(quotes: pd.DataFrame) -> None:
    published = quotes[quotes["status"] == domain.PUBLISHED]
    for text in SEED_QUOTES:
        assert (published["text"] == text).sum() == 1, text
    for theme, phrase in FUNDAMENTALS.items():
        holders = published[published["text"].str.contains(phrase, regex=False)]
        assert len(holders) == 1 and theme in themes_of(holders["themes"].iloc[0]), theme


# --- Scaled generation -------------------------------------------------------------------------------


def test_generate_responses_returns_exactly_n_valid_rows(tables: dict[str, pd.DataFrame]) -> None:
    generated = demo.generate_responses(tables["interventions"], tables["cohorts"], n=20_000, seed=5)
    assert len(generated) == 20_000
    assert tuple(generated.columns) == TABLE_COLUMNS["responses"]
    assert generated["response_id"].is_unique
    assert set(generated["intervention_id"]) <= set(tables["interventions"]["intervention_id"])
    for column in LIKERT:
        assert generated[column].dropna().between(1, 5).all()
    assert generated["recommend"].dropna().between(0, 10).all()
    assert set(generated["best_part"].dropna()) <= set(domain.BEST_PARTS)
    assert generated["respondent"].str.fullmatch(r"[0-9a-f]{12}").all()
    assert not generated.duplicated(["intervention_id", "respondent"]).any()


def test_generate_responses_of_nothing_is_an_empty_table(tables: dict[str, pd.DataFrame]) -> None:
    generated = demo.generate_responses(tables["interventions"], tables["cohorts"], n=0, seed=5)
    assert generated.empty and tuple(generated.columns) == TABLE_COLUMNS["responses"]


def test_generate_quotes_returns_n_attributed_quotes(tables: dict[str, pd.DataFrame]) -> None:
    generated = demo.generate_quotes(3_000, tables["speakers"], tables["interventions"], seed=5)
    assert len(generated) == 3_000
    assert tuple(generated.columns) == TABLE_COLUMNS["quotes"]
    assert generated["quote_id"].is_unique
    assert set(generated["status"]) == set(domain.QUOTE_STATUSES)
    speakers_of = tables["interventions"].set_index("intervention_id")["speaker_ids"].map(domain.split_list)
    known = generated.dropna(subset=["intervention_id"])
    assert all(
        s in speakers_of[i] for s, i in zip(known["speaker_id"], known["intervention_id"], strict=True)
    )
    assert all(set(themes_of(cell)) <= set(domain.THEME_IDS) for cell in generated["themes"])
    assert generated["text"].str.contains("troll").any()


def test_generate_scaled_keeps_answers_within_cohort_sizes() -> None:
    scaled = demo.generate_scaled(responses=30_000, quotes=500, seed=3)
    assert len(scaled["responses"]) == 30_000 and len(scaled["quotes"]) == 500
    assert scaled["reviews"].empty and tuple(scaled["reviews"].columns) == TABLE_COLUMNS["reviews"]
    talks = scaled["interventions"]
    published = talks["results"] == domain.PUBLISHED_RESULTS
    assert (published == (talks["cohort"] != talks["cohort"].max())).all()
    assert scaled["cohorts"]["cohort"].iloc[0] == "2000-2001" and len(scaled["cohorts"]) == 16
    assert set(scaled["interventions"]["cohort"]) == set(scaled["cohorts"]["cohort"])
    per_talk = scaled["responses"].groupby("intervention_id").size()
    cohort_of = scaled["interventions"].set_index("intervention_id")["cohort"]
    size = cohort_of[per_talk.index].map(scaled["cohorts"].set_index("cohort")["size"])
    assert (per_talk <= size).all()
    assert np.isin(scaled["quotes"]["speaker_id"], scaled["speakers"]["speaker_id"]).all()
