"""The reports (`insights.reports`): the PDF's text holds the app's figures in French formats,
suppressed figures are absent, the students' version leaves out what students may not see, and an
empty selection, a single-talk cohort and hostile text all give a correct PDF and HTML."""

from __future__ import annotations

import csv
import io
import re
from html import escape as html_escape
from pathlib import Path

import pytest
from pypdf import PdfReader

from insights import reports, store
from insights.analytics import overview, survey_page
from insights.analytics.model import load_model
from insights.filters import Filters
from insights.formatting import format_number, format_percent, format_signed
from insights.ingest.loading import import_directory
from tests.unit.conftest import TEMPLATE_FILES

COHORT = "2015-2016"
SPACES = re.compile(r"\s+")


def pdf_text(content: bytes) -> str:
    """The PDF's text with every space and line break removed (table cells wrap anywhere)."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return SPACES.sub("", "".join(page.extract_text() for page in reader.pages))


def squeeze(text: str) -> str:
    return SPACES.sub("", text)


# --- the same figures as the app ------------------------------------------------------------------


def test_the_cohort_pdf_holds_the_app_figures_in_french_formats(demo_conn):
    model = load_model(demo_conn)
    filters = Filters(cohorts=(COHORT,))
    pdf = pdf_text(reports.render(reports.cohort_report(demo_conn, model, COHORT), "pdf"))
    assert squeeze(f"Bilan de la promotion {COHORT}") in pdf

    # The key figures, as the overview page computes them.
    summary = overview.page_figures(demo_conn, model, filters, reference=COHORT, director=True)
    assert squeeze(f"{format_number(summary.values['satisfaction'], 2)} /5") in pdf
    assert squeeze(format_signed(summary.values["nps"], 0)) in pdf
    assert squeeze(format_percent(summary.values["response_rate"])) in pdf
    assert squeeze(format_number(summary.values["responses"], 0)) in pdf

    # Every talk's mean and interval, as the Enquêtes page computes them.
    figures = survey_page.page_figures(
        demo_conn, model, filters, survey_page.PageChoices(question_id="satisfaction"), director=True
    )
    shown = figures.talks[~figures.talks["suppressed"]]
    assert len(shown) >= 10
    for talk in shown.itertuples():
        expected = (
            f"{format_number(talk.mean, 2)} /5 [{format_number(talk.low, 2)} ; {format_number(talk.high, 2)}]"
        )
        assert squeeze(expected) in pdf, talk.title
    for talk in figures.nps_talks[~figures.nps_talks["suppressed"]].itertuples():
        assert (
            squeeze(
                f"{format_signed(talk.score, 0)} [{format_signed(talk.low, 0)} ; {format_signed(talk.high, 0)}]"
            )
            in pdf
        )


def assert_tagged_pdf_ua(content: bytes) -> None:
    """A tagged PDF declaring PDF/UA-1, in French: the structure tree screen readers follow, the
    document's language, and the conformance claim in its metadata."""
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert str(catalog["/Lang"]).startswith("fr")
    metadata = catalog["/Metadata"].get_object().get_data()
    assert b"<pdfuaid:part>1</pdfuaid:part>" in metadata


def test_both_documents_are_tagged_pdf_ua_in_french(demo_conn):
    model = load_model(demo_conn)
    assert_tagged_pdf_ua(reports.render(reports.cohort_report(demo_conn, model, COHORT), "pdf"))
    assert_tagged_pdf_ua(reports.render(reports.speaker_sheet(demo_conn, model, "sp04"), "pdf"))


def test_figures_under_the_anonymity_threshold_are_absent(demo_conn):
    store.set_anonymity_threshold(demo_conn, 30)
    model = load_model(demo_conn)
    filters = Filters(cohorts=(COHORT,))
    figures = survey_page.page_figures(
        demo_conn, model, filters, survey_page.PageChoices(question_id="satisfaction"), director=True
    )
    hidden = figures.talks[figures.talks["suppressed"]]
    assert len(hidden), "the demo has talks under 30 responses"
    document = reports.cohort_report(demo_conn, model, COHORT)
    talk_table = next(
        b for b in document.blocks if isinstance(b, reports.document.Table) and "Format" in b.columns
    )
    rows = {row[1].removesuffix(" (participation faible)"): row for row in talk_table.rows}
    for talk in hidden.itertuples():
        row = rows[talk.title]
        assert row[3] == "moins de 30" and row[4] == "masqué (moins de 30 réponses)"
    nps = figures.nps_talks.set_index("intervention_id")
    for talk in figures.talks.itertuples():
        assert (rows[talk.title][5] == "–") == bool(nps.at[talk.intervention_id, "suppressed"])

    # A threshold above every count: no mean, no NPS and no response count anywhere in the PDF.
    store.set_anonymity_threshold(demo_conn, 100_000)
    model = load_model(demo_conn)
    pdf = pdf_text(reports.render(reports.cohort_report(demo_conn, model, COHORT), "pdf"))
    assert "masqué" in pdf
    assert not re.search(r"\d,\d\d/5", pdf)
    assert not re.search(r"n=\d", pdf)


def test_the_students_version_leaves_out_unpublished_talks_and_the_directors_sections(demo_conn):
    unpublished = [
        row[0]
        for row in demo_conn.execute(
            "SELECT i.intervention_id FROM interventions i JOIN talk_publication p USING (intervention_id) "
            "WHERE p.state != 'published'"
        )
    ]
    assert unpublished
    cohort = demo_conn.execute(
        "SELECT cohort FROM interventions WHERE intervention_id = ?", (unpublished[0],)
    ).fetchone()[0]
    title = demo_conn.execute(
        "SELECT title FROM interventions WHERE intervention_id = ?", (unpublished[0],)
    ).fetchone()[0]
    model = load_model(demo_conn)
    director = reports.cohort_report(demo_conn, model, cohort, director=True).text()
    students = reports.cohort_report(demo_conn, model, cohort, director=False).text()
    assert title in director and title not in students
    assert "Qui réinviter ?" in director and "Qui réinviter ?" not in students
    assert "Objectif par promotion" in director and "Objectif par promotion" not in students
    assert "résultats publiés seulement" in students


def test_an_unknown_cohort_or_speaker_is_a_french_error(demo_conn):
    model = load_model(demo_conn)
    with pytest.raises(reports.ReportError, match="Promotion inconnue"):
        reports.cohort_report(demo_conn, model, "1999-2000")
    with pytest.raises(reports.ReportError, match="inconnu"):
        reports.speaker_sheet(demo_conn, model, "nobody")


def test_an_empty_selection_gives_a_correct_document(demo_conn):
    model = load_model(demo_conn)
    nothing = Filters(semesters=("S1",), themes=("outils",), org_types=("indépendant",))
    assert not model.mask(
        Filters(cohorts=(COHORT,), semesters=("S1",), themes=("outils",), org_types=("indépendant",))
    ).any()
    document = reports.cohort_report(demo_conn, model, COHORT, nothing)
    pdf = pdf_text(reports.render(document, "pdf"))
    assert squeeze("Aucune intervention de cette promotion ne correspond") in pdf
    assert "Aucune intervention" in reports.render(document, "html").decode()


# --- a single talk, and hostile text -------------------------------------------------------------

HOSTILE = "Zoé #set $x$ ]*gras* _souligné_ @ref <script>alert(1)</script> l’été \\ fin"


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(TEMPLATE_FILES[name])))


def _write(directory: Path, name: str, rows: list[dict[str, str]]) -> None:
    with (directory / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def single_talk_conn(tmp_path: Path):
    """The tiny template dataset cut to one talk (two responses), with hostile text in the
    speaker's name, the talk's title, a comment and a quote; threshold 2."""
    directory = tmp_path / "files"
    directory.mkdir()
    for name in ("cohorts.csv", "career_steps.csv"):
        (directory / name).write_text(TEMPLATE_FILES[name], encoding="utf-8")
    speakers = _rows("speakers.csv")
    speakers[0]["name"] = HOSTILE
    _write(directory, "speakers.csv", speakers)
    talks = [t for t in _rows("interventions.csv") if t["intervention_id"] == "2015-2016-S1-01"]
    talks[0]["title"] = HOSTILE
    _write(directory, "interventions.csv", talks)
    responses = [r for r in _rows("responses.csv") if r["intervention_id"] == "2015-2016-S1-01"]
    responses[0]["takeaway"] = "Public : " + HOSTILE
    responses[1]["takeaway"] = "Jamais relu : secret"
    _write(directory, "responses.csv", responses)
    _write(directory, "reviews.csv", _rows("reviews.csv"))
    quotes = [q for q in _rows("quotes.csv") if q["quote_id"] == "q0001"]
    quotes[0]["text"] = "Citation : " + HOSTILE
    _write(directory, "quotes.csv", quotes)
    conn = store.connect(tmp_path / "single.sqlite")
    import_directory(conn, directory)
    store.set_anonymity_threshold(conn, 2)
    yield conn
    conn.close()


def test_a_single_talk_cohort_with_hostile_text_prints_it_literally(single_talk_conn):
    model = load_model(single_talk_conn)
    document = reports.cohort_report(single_talk_conn, model, COHORT)
    pdf = pdf_text(reports.render(document, "pdf"))
    assert squeeze(HOSTILE) in pdf  # the talk's title, as written
    assert squeeze("Citation : " + HOSTILE) in pdf
    assert squeeze("4,50 /5") in pdf  # answers 5 and 4
    assert_tagged_pdf_ua(reports.render(document, "pdf"))
    page = reports.render(document, "html").decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_speaker_sheet_shows_reviewed_comments_only(single_talk_conn):
    model = load_model(single_talk_conn)
    document = reports.speaker_sheet(single_talk_conn, model, "sp01")
    pdf = pdf_text(reports.render(document, "pdf"))
    assert squeeze("Retour sur votre intervention") in pdf
    assert squeeze(HOSTILE) in pdf  # the name and the title
    assert squeeze("Public : " + HOSTILE) in pdf  # reviewed public
    assert squeeze("Plus de temps d'échange, moins de diapositives") in pdf  # private, as edited
    assert "secret" not in pdf  # never reviewed
    assert squeeze("Plus de temps d'échange, moins de slides") not in pdf  # the text before editing
    page = reports.render(document, "html").decode()
    assert "<script>" not in page and "secret" not in page


def test_the_html_sheet_puts_every_table_and_chart_in_a_frame_that_scrolls_sideways(demo_conn):
    page = reports.render(reports.speaker_sheet(demo_conn, load_model(demo_conn), "sp04"), "html").decode()
    frame = '<div class="scroll" tabindex="0">'
    assert page.count("<table>") >= 3
    assert page.count(frame + "<table>") == page.count("<table>")
    assert page.count("<img ") >= 1
    assert page.count(frame + "<img ") == page.count("<img ")
    assert ".pdp-report .scroll { overflow-x: auto; }" in page


def test_the_speaker_sheet_counts_published_results_as_the_profile_shows_students(demo_conn):
    model = load_model(demo_conn)
    speaker_id = "sp07"
    from insights.analytics import speakers

    profile = speakers.profile_figures(demo_conn, model, speaker_id, director=False)
    pdf = pdf_text(reports.render(reports.speaker_sheet(demo_conn, model, speaker_id), "pdf"))
    assert squeeze(f"{format_number(profile.satisfaction.mean, 2)} /5") in pdf
    assert squeeze(format_signed(profile.recommend.score, 0)) in pdf
    for rating in profile.ratings.itertuples():
        assert (
            squeeze(
                f"{format_number(rating.mean, 2)} /5 [{format_number(rating.low, 2)} ; {format_number(rating.high, 2)}]"
            )
            in pdf
        )


def test_a_pending_or_removed_comment_never_reaches_the_speaker(demo_conn):
    model = load_model(demo_conn)
    rows = demo_conn.execute(
        "SELECT i.speaker_id, a.value_text, s.review FROM answer_search s "
        "JOIN answers a ON a.response_id = s.response_id AND a.question_id = s.question_id "
        "JOIN intervention_speakers i ON i.intervention_id = s.intervention_id "
        "JOIN talk_publication p ON p.intervention_id = s.intervention_id "
        "WHERE p.state = 'published' AND s.review IN ('pending', 'removed') AND length(a.value_text) > 25"
    ).fetchall()
    assert rows
    speaker_id = rows[0][0]
    withheld = {text.strip() for sid, text, _ in rows if sid == speaker_id}
    reviewed = {
        text.strip()
        for (text,) in demo_conn.execute(
            "SELECT a.value_text FROM answer_search s JOIN answers a "
            "ON a.response_id = s.response_id AND a.question_id = s.question_id "
            "WHERE s.review IN ('public', 'private')"
        )
    }
    document = reports.speaker_sheet(demo_conn, model, speaker_id)
    start = next(
        i
        for i, b in enumerate(document.blocks)
        if getattr(b, "text", "") == "Ce que les étudiant·es ont écrit"
    )
    cells = {
        row[0]
        for block in document.blocks[start:]
        if isinstance(block, reports.document.Table)
        for row in block.rows
    }
    assert cells, "the speaker has reviewed comments"
    edited = {
        text.strip()
        for (text,) in demo_conn.execute(
            "SELECT edited FROM answer_reviews WHERE edited IS NOT NULL AND status IN ('public', 'private')"
        )
    }
    assert cells <= reviewed | edited  # as written, or as the director edited them
    assert not (withheld - reviewed) & cells


def test_file_names_keep_safe_characters_only():
    assert reports.file_name("bilan-2015-2016", "pdf") == "bilan-2015-2016.pdf"
    assert reports.file_name("../x y", "html") == "x-y.html"


def _report_quotes(document) -> list[str]:
    return [block.text for block in document.blocks if isinstance(block, reports.document.Quote)]


def test_the_director_chooses_the_quotes_of_the_cohort_report_in_order(demo_conn):
    model = load_model(demo_conn)
    pool = reports.cohort_quotes(demo_conn, model, COHORT)
    assert len(pool) > 8
    latest = _report_quotes(reports.cohort_report(demo_conn, model, COHORT))
    assert latest == pool["text"].head(6).tolist()  # by default, the most recent

    chosen = [pool["quote_id"].iloc[8], pool["quote_id"].iloc[2]]
    document = reports.cohort_report(demo_conn, model, COHORT, quote_ids=chosen)
    assert _report_quotes(document) == [pool["text"].iloc[8], pool["text"].iloc[2]]

    other_cohort = store.load_quotes(demo_conn).query("quote_id not in @pool.quote_id")["quote_id"].iloc[0]
    with pytest.raises(reports.ReportError, match=other_cohort):
        reports.cohort_report(demo_conn, model, COHORT, quote_ids=[other_cohort])


def test_a_speakers_sheet_can_cover_some_of_their_talks_only(demo_conn):
    model = load_model(demo_conn)
    talks = model.cube.talks
    speaker_id = next(
        speaker for speaker in model.speakers["speaker_id"] if model.cube.speaker_mask(speaker).sum() >= 2
    )
    own = talks[model.cube.speaker_mask(speaker_id)]
    kept, left_out = own.iloc[0], own.iloc[1]
    html = reports.render(
        reports.speaker_sheet(demo_conn, model, speaker_id, talk_ids=[kept["intervention_id"]]), "html"
    ).decode()
    assert html_escape(kept["title"]) in html
    assert html_escape(left_out["title"]) not in html
    foreign = talks[~model.cube.speaker_mask(speaker_id)]["intervention_id"].iloc[0]
    with pytest.raises(reports.ReportError, match=foreign):
        reports.speaker_sheet(demo_conn, model, speaker_id, talk_ids=[foreign])
