"""Editing a draft section by section in plain words: Markdown stays the stored form."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.domain.drafting import SectionsChanged
from breachdesk.domain.drafting import edited_body
from breachdesk.domain.drafting import split_sections
from breachdesk.rendering import render_markdown

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "drafts"

LETTER = """Dear customer,

We are writing about an email sent to the wrong person on 3 March \\(a mistake\\).

## What happened

An order email meant for you went to another customer &amp; was read.

## What we have done

- We asked them to delete it
- They confirmed deletion on 4 March

## Who to contact

Email dpo@sunray.example.
"""


def bodies() -> list[str]:
    """Every shipped example draft without its subject line: real sections, real escapes."""
    return [path.read_text().split("\n", 1)[1] for path in sorted(GOLDEN.glob("*.md"))]


def test_each_section_is_offered_in_plain_words_under_its_own_heading():
    sections = split_sections(LETTER)

    assert [s.title for s in sections] == [
        "Opening",
        "What happened",
        "What we have done",
        "Who to contact",
    ]
    assert "on 3 March (a mistake)." in sections[0].plain  # no backslashes to trip over
    assert "another customer & was read." in sections[1].plain
    assert sections[2].plain == "- We asked them to delete it\n- They confirmed deletion on 4 March"


@pytest.mark.parametrize("body", bodies())
def test_a_draft_saved_without_changes_is_byte_for_byte_the_same(body):
    unchanged = [section.plain for section in split_sections(body)]
    assert edited_body(body, unchanged) == body.strip() + "\n"


def test_an_edit_changes_its_own_section_and_no_other():
    sections = split_sections(LETTER)
    texts = [s.plain for s in sections]
    texts[1] = "An order email meant for you went to another customer, who deleted it."

    body = edited_body(LETTER, texts)

    assert "who deleted it." in body
    assert "another customer &amp; was read" not in body
    for kept in (sections[0], sections[2], sections[3]):
        assert kept.markdown in body
    assert [s.title for s in split_sections(body)] == [s.title for s in sections]


def test_lines_starting_with_a_dash_stay_a_list_and_typed_markup_stays_words():
    texts = [s.plain for s in split_sections(LETTER)]
    texts[2] = "- Deleted **now**\n- See [this](http://evil.example)\n# not a heading"

    html = str(render_markdown(edited_body(LETTER, texts)))

    assert "<li>Deleted **now**</li>" in html
    assert "<a " not in html
    assert "<h1>" not in html
    assert "# not a heading" in html


def test_line_ends_sent_by_a_browser_are_not_an_edit():
    texts = [s.plain.replace("\n", "\r\n") + "\r\n" for s in split_sections(LETTER)]
    assert edited_body(LETTER, texts) == LETTER


def test_an_edit_made_on_other_sections_is_refused():
    with pytest.raises(SectionsChanged):
        edited_body(LETTER, ["only one section"])


def as_kept(typed: str) -> str:
    """What a section keeps of what was typed: each line trimmed, "* " and "• " as "- "."""
    lines = []
    for line in typed.strip().splitlines():
        text = line.strip()
        if text.startswith(("- ", "* ", "\u2022 ")):
            text = "- " + " ".join(text[2:].split())
        lines.append(text)
    return "\n".join(lines).strip()


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_whatever_is_typed_comes_back_as_the_same_words(typed):
    texts = [s.plain for s in split_sections(LETTER)]
    texts[1] = typed

    edited = split_sections(edited_body(LETTER, texts))

    section = next(s for s in edited if s.title == "What happened")
    assert section.plain == as_kept(typed)
