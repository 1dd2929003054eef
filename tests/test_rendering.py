"""Markdown typed by people becomes HTML that can never run code in the page."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from breachdesk.rendering import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<iframe src="https://example.com"></iframe>',
    '<svg onload="alert(1)"></svg>',
    '<p onmouseover="alert(1)">hover</p>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<form action="https://example.com"><input name="password"></form>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<!-- <script>alert(1)</script> -->",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_scripts_handlers_frames_and_dangerous_links_never_come_out_live(text):
    html = str(render_markdown(text)).lower()

    for live in ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe"):
        assert live not in html
    for tag in ("<img", "<svg", "<form", "<input", "<object", "<embed", "style=", "data:"):
        assert tag not in html


def test_the_text_around_removed_markup_is_kept():
    assert str(render_markdown("Before <script>alert(1)</script> after")) == (
        "<p>Before  after</p>"
    )
    assert "hover" in render_markdown('<p onmouseover="alert(1)">hover</p>')


def test_ordinary_markdown_is_rendered():
    html = str(render_markdown("## Contain\n\n**Unplug** the *cable*, run `dir`.\n\n> quoted"))

    assert "<h2>Contain</h2>" in html
    assert "<strong>Unplug</strong> the <em>cable</em>, run <code>dir</code>." in html
    assert "<blockquote>" in html


def test_lists_are_rendered_and_a_numbered_list_stays_separate_from_a_bulleted_one():
    html = str(render_markdown("1. first\n2. second\n\n- bullet"))

    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert "<ul>\n<li>bullet</li>\n</ul>" in html


def test_links_keep_safe_addresses_and_open_without_a_referrer():
    html = str(render_markdown("[ICO](https://ico.org.uk/) and <https://example.com>"))

    assert '<a href="https://ico.org.uk/" rel="noopener noreferrer">ICO</a>' in html
    assert '<a href="https://example.com" rel="noopener noreferrer">' in html


def test_a_mailto_link_is_kept():
    assert 'href="mailto:support@sunrayvision.co.uk"' in str(
        render_markdown("[email us](mailto:support@sunrayvision.co.uk)")
    )


def test_html_in_a_code_span_is_shown_as_text():
    assert str(render_markdown("`<b>bold</b>`")) == "<p><code>&lt;b&gt;bold&lt;/b&gt;</code></p>"


def test_the_result_is_markup_that_jinja_will_not_escape_twice_and_empty_text_is_empty():
    assert isinstance(render_markdown("hello"), Markup)
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")
