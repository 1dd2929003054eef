"""Editing a draft section by section, in plain words, while Markdown stays the stored form.

A draft's body is Markdown: ``## `` headings over the sections of the ICO's form or of a
letter. The DPO edits each section's words in a plain text box; the headings stay as the
template wrote them. A section left as it was keeps its stored Markdown byte for byte, so
an edit to one section never rewrites another.
"""

from __future__ import annotations

from dataclasses import dataclass

from breachdesk.domain.drafting.render import escape_inline
from breachdesk.domain.drafting.render import escape_text
from breachdesk.domain.drafting.render import plain_inline

HEADING = "## "
BULLET = "- "


@dataclass(frozen=True)
class EditableSection:
    """One section: its ``## `` heading line (None before the first) and its stored text."""

    heading_line: str | None
    markdown: str

    @property
    def title(self) -> str:
        if self.heading_line is None:
            return "Opening"
        return plain_inline(self.heading_line[len(HEADING) :].strip())

    @property
    def plain(self) -> str:
        """The section's words as a person edits them: no escapes, no emphasis marks."""
        return "\n".join(plain_inline(line) for line in self.markdown.strip().splitlines())


def split_sections(body_markdown: str) -> list[EditableSection]:
    """The body as its sections, in order; the text before the first heading comes first."""
    found: list[EditableSection] = []
    heading, lines = None, []
    for line in body_markdown.splitlines():
        if line.startswith(HEADING):
            if heading is not None or any(text.strip() for text in lines):
                found.append(EditableSection(heading, "\n".join(lines)))
            heading, lines = line, []
        else:
            lines.append(line)
    if heading is not None or any(text.strip() for text in lines):
        found.append(EditableSection(heading, "\n".join(lines)))
    return found


def markdown_from_plain(plain: str) -> str:
    """Plain words back to safe Markdown: "- " lines stay a list, everything else is text.

    Whatever else was typed (asterisks, brackets, a leading "#") shows as typed, never as
    markup or a link, as the templates do with every value.
    """
    lines = []
    for line in plain.strip().splitlines():
        text = line.strip()
        if not text:
            lines.append("")
        elif text.startswith(("- ", "* ", "• ")):
            lines.append(BULLET + escape_inline(text[2:]))
        else:
            lines.append(escape_text(text))
    return "\n".join(lines)


class SectionsChanged(ValueError):
    """The draft no longer has the sections the edit was made on."""


def edited_body(body_markdown: str, new_texts: list[str]) -> str:
    """The body with each section's words replaced by ``new_texts``, in the same order.

    Raises:
        SectionsChanged: ``new_texts`` does not match the body's sections one for one.
    """
    sections = split_sections(body_markdown)
    if len(new_texts) != len(sections):
        raise SectionsChanged("the draft's sections have changed since the page was opened")
    parts = []
    for section, text in zip(sections, new_texts, strict=True):
        if _same_words(text, section.plain):
            markdown = section.markdown
        else:
            markdown = "\n" + markdown_from_plain(text) + "\n" if text.strip() else ""
        parts.append(
            markdown if section.heading_line is None else section.heading_line + "\n" + markdown
        )
    return "\n".join(parts).strip() + "\n"


def _same_words(typed: str, stored: str) -> bool:
    # A browser sends CRLF line ends and may trim the text box: neither is an edit.
    return typed.replace("\r\n", "\n").strip() == stored.strip()
