"""User text inside rendered markup: Markdown on the app's pages, HTML in chart labels.

A scenario's names, sources and descriptions are whatever its author typed, and the
file may come from anyone. Streamlit renders titles, captions, messages and
``st.markdown`` as GitHub-flavoured Markdown, so an option named
``[Approve now](https://evil.example/phish)`` would become a link on the investment
case; plotly renders ``<a href>``, ``<b>`` and other tags in chart labels. Text a
user gave is escaped where it enters such markup, never earlier: the report's HTML is
escaped by Jinja2, and the tables and spreadsheets show the text as typed.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark: escaping all of
# them turns off links, images, emphasis, code, headings, lists, tables, HTML, LaTeX ($),
# Streamlit's :colour[…] and :emoji: directives, and bare-URL autolinks (https\:\/\/…).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: object) -> str:
    """``text`` as Markdown that renders exactly as typed, every punctuation escaped.

    Examples
    --------
    >>> markdown_text("[Approve now](https://evil.example)")
    '\\\\[Approve now\\\\]\\\\(https\\\\:\\\\/\\\\/evil\\\\.example\\\\)'
    """
    return _PUNCTUATION.sub(r"\\\1", str(text)).replace("\n", " ")


def label_text(text: object) -> str:
    """``text`` for a plotly label (title, legend, axis, hover): its tags shown, not rendered.

    Examples
    --------
    >>> label_text('<a href="https://evil.example">Approve</a>')
    '&lt;a href=&quot;https://evil.example&quot;&gt;Approve&lt;/a&gt;'
    """
    return html.escape(str(text))
