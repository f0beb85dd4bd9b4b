"""A report as one self-contained HTML page (no script, no outside resource), every piece of data
text escaped with `html.escape`; the charts are inline SVG whose text is escaped as XML."""

from __future__ import annotations

import base64
from html import escape

from insights.reports.document import Document, Figure, Heading, KeyFigures, Paragraph, Quote, Table

STYLE = """
.pdp-report { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1f2328;
  max-width: 820px; margin: 0 auto; line-height: 1.45; font-size: 15px; }
.pdp-report h1 { color: #1d4e89; font-size: 1.9em; margin: 0.2em 0; }
.pdp-report h2 { color: #1d4e89; font-size: 1.35em; margin-top: 1.6em;
  border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
.pdp-report h3 { color: #1d4e89; font-size: 1.1em; margin-top: 1.2em; }
.pdp-report .subtitle { font-size: 1.2em; margin: 0; }
.pdp-report .cover p { color: #5b6770; margin: 0.1em 0; }
.pdp-report .muted { color: #5b6770; font-size: 0.9em; }
.pdp-report .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px; }
.pdp-report .figure-box { border: 1px solid #d0d7de; border-radius: 4px; padding: 8px; }
.pdp-report .figure-box .label, .pdp-report .figure-box .detail { color: #5b6770; font-size: 0.8em; }
.pdp-report .figure-box .value { font-size: 1.5em; font-weight: bold; }
.pdp-report table { border-collapse: collapse; width: 100%; font-size: 0.88em; margin: 0.6em 0; }
.pdp-report th, .pdp-report td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; }
.pdp-report th { background: #eef1f4; }
.pdp-report td.num, .pdp-report th.num { text-align: right; white-space: nowrap; }
.pdp-report caption { caption-side: bottom; color: #5b6770; font-size: 0.9em; text-align: left; }
.pdp-report .scroll { overflow-x: auto; }
.pdp-report figure { margin: 0.8em 0; }
.pdp-report figure img { display: block; width: 100%; min-width: 600px; max-width: 640px; height: auto; }
.pdp-report figcaption { color: #5b6770; font-size: 0.9em; }
.pdp-report blockquote { border-left: 3px solid #1d4e89; margin: 0.8em 0; padding: 0.2em 0.9em; }
.pdp-report blockquote footer { color: #5b6770; font-size: 0.9em; }
.pdp-report nav ol { padding-left: 1.2em; }
@media print { .pdp-report { max-width: none; } .pdp-report h2 { break-after: avoid; } }
"""


def _slug(index: int) -> str:
    return f"section-{index}"


def _block(block: object, index: int) -> str:
    if isinstance(block, Heading):
        tag = "h2" if block.level == 1 else "h3"
        anchor = f' id="{_slug(index)}"' if block.level == 1 else ""
        return f"<{tag}{anchor}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        return f'<p class="muted">{escape(block.text)}</p>' if block.muted else f"<p>{escape(block.text)}</p>"
    if isinstance(block, KeyFigures):
        boxes = "".join(
            f'<div class="figure-box"><div class="label">{escape(label)}</div>'
            f'<div class="value">{escape(value)}</div><div class="detail">{escape(detail)}</div></div>'
            for label, value, detail in block.items
        )
        return f'<div class="figures">{boxes}</div>'
    if isinstance(block, Table):
        numeric = set(block.numeric)

        def cell(tag: str, position: int, text: str) -> str:
            css = ' class="num"' if position in numeric else ""
            scope = ' scope="col"' if tag == "th" else ""
            return f"<{tag}{css}{scope}>{escape(text)}</{tag}>"

        head = "".join(cell("th", i, c) for i, c in enumerate(block.columns))
        rows = "".join(
            "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in block.rows
        )
        caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
        return _scrolling(f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    if isinstance(block, Figure):
        # An image of the SVG (written by insights.reports.svg, its text escaped there): it runs
        # nothing, and survives the sanitising of st.html where the speaker's link shows the sheet.
        data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
        caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
        image = _scrolling(f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(block.alt)}">')
        return f"<figure>{image}{caption}</figure>"
    if isinstance(block, Quote):
        return f"<blockquote><p>« {escape(block.text)} »</p><footer>— {escape(block.source)}</footer></blockquote>"
    raise TypeError(f"unknown block: {block!r}")


def _scrolling(content: str) -> str:
    """`content` in a frame that scrolls sideways when the screen is narrower than it (a phone):
    tables keep their columns readable and charts their text size (10 px in 640) instead of being
    cut at the screen's edge or shrunk. The frame takes the keyboard focus, so that it can be
    scrolled without a mouse."""
    return f'<div class="scroll" tabindex="0">{content}</div>'


def html_body(document: Document) -> str:
    """The report's content as an `<article>` with its own style (for embedding in a page)."""
    parts = [f"<style>{STYLE}</style>", '<article class="pdp-report" lang="fr">', '<header class="cover">']
    parts.append(f"<h1>{escape(document.title)}</h1>")
    if document.subtitle:
        parts.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    parts.extend(f"<p>{escape(line)}</p>" for line in document.cover_lines)
    parts.append("</header>")
    if document.outline:
        entries = [
            f'<li><a href="#{_slug(i)}">{escape(b.text)}</a></li>'
            for i, b in enumerate(document.blocks)
            if isinstance(b, Heading) and b.level == 1
        ]
        parts.append(f'<nav aria-label="Sommaire"><h2>Sommaire</h2><ol>{"".join(entries)}</ol></nav>')
    parts.extend(_block(block, i) for i, block in enumerate(document.blocks))
    parts.append("</article>")
    return "\n".join(parts)


def render_html(document: Document) -> bytes:
    """The report as a standalone HTML page, UTF-8."""
    page = (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n</head>\n<body>\n{html_body(document)}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
