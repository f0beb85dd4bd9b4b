"""A notebook's page content and exports (`insights.reports.notebook`): grouped by theme, notes
kept, data text escaped, unavailable quotes counted."""

from __future__ import annotations

import csv
import io

from insights import reports, store
from insights.domain import PROPOSED, PUBLISHED
from insights.reports import notebook


def _notebook(conn, n=3):
    code = store.create_notebook(conn, session="s", now=1_800_000_000.0)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT quote_id FROM quotes WHERE status = ? ORDER BY quote_id LIMIT ?", (PUBLISHED, n)
        )
    ]
    for quote_id in ids:
        store.save_quote(conn, code, quote_id)
    return code, ids


def test_grouped_by_theme_with_notes_and_the_unavailable_count(demo_conn):
    code, ids = _notebook(demo_conn, 4)
    store.set_note(demo_conn, code, ids[0], "Mon <b>avis</b> [lien](javascript:alert(1))")
    store.set_quote_status(demo_conn, ids[3], PROPOSED)
    contents = store.load_notebook(demo_conn, code)
    saved = notebook.saved_quotes(demo_conn, contents)
    assert [item.hit.quote_id for item in saved] == ids[:3] and contents.unavailable == 1
    groups = notebook.by_theme(saved)
    assert sorted(q.hit.quote_id for _, items in groups for q in items) == sorted(ids[:3])
    for theme, items in groups:
        assert all(notebook.theme_of(item.hit) == theme for item in items)

    markdown = notebook.notebook_markdown(saved, contents.unavailable)
    assert "1 conseil n'est plus disponible." in markdown
    assert "\\<b\\>" in markdown and "<b>" not in markdown and "](javascript" not in markdown
    for _, items in groups:
        assert items[0].hit.speaker.split()[0] in markdown

    rows = list(csv.reader(io.StringIO(notebook.notebook_csv(saved).decode("utf-8-sig"))))
    assert rows[0] == notebook.CSV_COLUMNS and len(rows) == 4
    noted = next(row for row in rows[1:] if row[-1] == ids[0])
    assert noted[7].startswith("Mon <b>avis</b>")

    document = notebook.notebook_document(saved, contents.unavailable)
    html = reports.render(document, "html").decode("utf-8")
    assert "Mon &lt;b&gt;avis&lt;/b&gt;" in html and "<b>avis" not in html and "plus disponible" in html
    assert reports.render(document, "pdf").startswith(b"%PDF-")


def test_unavailable_text():
    assert notebook.unavailable_text(0) == ""
    assert notebook.unavailable_text(1) == "1 conseil n'est plus disponible"
    assert notebook.unavailable_text(3) == "3 conseils ne sont plus disponibles"
