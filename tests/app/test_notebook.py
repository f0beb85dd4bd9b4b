"""Mon carnet with AppTest: a student saves quotes from the wall in one click, finds them in the
notebook page grouped by theme, removes one, writes a note, and reopens the notebook by its link
in a new session; an invalid link is a clear message."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from insights import store
from insights.domain import PROPOSED
from insights.formatting import escape_markdown, quoted

ROOT = Path(__file__).resolve().parents[2]
WALL = str(ROOT / "pages" / "quotes.py")
NOTEBOOK = str(ROOT / "pages" / "carnet.py")


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def click(at: AppTest, _clicked: object) -> AppTest:
    return run(at)


def new_session(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    return run(at)


def card_ids(at: AppTest, action: str) -> list[str]:
    return [b.key.rsplit("_", 1)[1] for b in at.button if b.key and b.key.startswith(f"wall_{action}_")]


def test_saving_and_removing_from_the_wall_and_the_notebook(app_db):
    at = new_session(WALL)
    first, second, third = card_ids(at, "save")[:3]
    assert at.button(key=f"wall_save_{first}").label == "Enregistrer"
    click(at, at.button(key=f"wall_save_{first}").click())
    click(at, at.button(key=f"wall_save_{second}").click())
    assert at.button(key=f"wall_save_{first}").label == "Retirer"
    assert at.button(key=f"wall_save_{third}").label == "Enregistrer"
    code = at.session_state["_notebook_code"]
    conn = store.connect(app_db)
    assert store.load_notebook(conn, code).quote_ids == [first, second]

    # Removing on the wall is the same one click.
    click(at, at.button(key=f"wall_save_{second}").click())
    assert at.button(key=f"wall_save_{second}").label == "Enregistrer"
    assert store.load_notebook(conn, code).quote_ids == [first]
    click(at, at.button(key=f"wall_save_{second}").click())

    # The notebook page lists both with their speakers, under their themes, with its link.
    at.switch_page(NOTEBOOK)
    run(at)
    assert at.query_params["carnet"] == [code] or at.query_params["carnet"] == code
    assert any(code in element.value for element in at.code)
    texts = [element.value for element in at.markdown]
    for quote_id in (first, second):
        hit = store.quote_records(conn, [store.docid_of(conn, quote_id)])
        text = next(iter(hit.values()))["text"]
        assert quoted(escape_markdown(text)) in texts
    assert at.subheader, "quotes are grouped under their theme"
    assert {b.key for b in at.download_button} >= {
        "notebook_md",
        "notebook_csv",
        "notebook_pdf",
        "notebook_html",
    }

    # A note, kept.
    at.text_area(key=f"note_{first}").input("À relire avant mon premier entretien.")
    run(at)
    assert store.load_notebook(conn, code).entries[0].note == "À relire avant mon premier entretien."

    # Remove from the notebook page.
    click(at, at.button(key=f"notebook_save_{second}").click())
    assert store.load_notebook(conn, code).quote_ids == [first]
    assert not any(b.key == f"notebook_save_{second}" for b in at.button)

    # A new session opens the notebook by its link; an unpublished quote is counted.
    store.set_quote_status(conn, first, PROPOSED)
    other = new_session(NOTEBOOK, carnet=code)
    assert other.session_state["_notebook_code"] == code
    assert any("1 conseil n'est plus disponible" in info.value for info in other.info)
    conn.close()


def test_an_invalid_link_says_so_and_an_empty_notebook_points_to_the_wall(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["carnet"] = "pas-un-vrai-code-de-carnet"
    at.run()
    at.switch_page(NOTEBOOK)
    at.run()
    assert not at.exception
    assert any("n'est pas valide" in error.value for error in at.error)
    assert any("Votre carnet est vide" in info.value for info in at.info)
