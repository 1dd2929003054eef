"""A small template renderer for drafts: ``{{ name }}`` placeholders, values always escaped.

No Jinja here: a template is Markdown a DPO may edit, and what people typed into a report
(a summary, a contact's name) must never turn into markup, links or placeholders.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from collections.abc import Sequence

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# A placeholder alone on its line; when it fills with nothing, the line goes too.
_PLACEHOLDER_LINE = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\n", re.M)
LEADING_COMMENT = re.compile(r"\A\s*<!--.*?-->\s*", re.S)
SUBJECT_LINE = re.compile(r"^# (.+)$", re.M)

# Characters that start markup anywhere on a line: links, code, emphasis, placeholders.
_INLINE = re.compile(r"[`*\[\]{}]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Characters that start a block only at the start of a line: headings, lists, quotes, rules.
_LINE_START = re.compile(r"^(#|[-+]|\d+[.)]|=|\||~)")
_ENTITIES = {"=": "&#61;", "|": "&#124;", "~": "&#126;"}
#: Control characters that are not white space (white space is folded, not dropped).
INVISIBLE_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_BACKSLASH_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_BOLD = re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*")
_ITALIC = re.compile(r"(?<![\\*])\*(?![\s*])(.+?)(?<![\\\s])\*")


class TemplateError(ValueError):
    """A template names a placeholder nothing fills, or leaves braces behind."""


class Md(str):
    """Markdown the drafting code built from escaped parts: inserted as it is."""


Value = str | Sequence[str] | None


def escape_text(text: str) -> str:
    """Escape user text so that Markdown and HTML show it as the words typed, nothing more.

    Invisible control characters are dropped: nobody reads them in a letter, and Markdown
    keeps two of them (STX, ETX) as its own markers, so a typed one could bring markup back.
    """
    text = INVISIBLE_CONTROLS.sub("", text)
    text = text.replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    return "\n".join(_escape_line_start(line.strip()) for line in text.strip().splitlines())


def escape_inline(text: str) -> str:
    """Escape user text for use inside one line: a bullet, a heading, a greeting."""
    return escape_text(" ".join(INVISIBLE_CONTROLS.sub("", text).split()))


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(1)
    if marker in _ENTITIES:
        return _ENTITIES[marker] + line[1:]
    if marker[0].isdigit():
        return marker[:-1] + "\\" + line[len(marker) - 1 :]
    return "\\" + line


def bullets(items: Sequence[str]) -> Md:
    """Render user-provided items as a Markdown bullet list, each item escaped."""
    return Md("\n".join(f"- {escape_inline(item)}" for item in items))


def render(template: str, values: Mapping[str, Value | Md], unknown: str) -> str:
    """Fill every placeholder in ``template``; None becomes the ``unknown`` marker.

    Raises:
        TemplateError: a placeholder has no value, or "{{"/"}}" would be left in the output.
    """
    text = LEADING_COMMENT.sub("", template, count=1)

    def drop_if_empty(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return "" if isinstance(value, Md) and not value else match.group(0)

    text = _PLACEHOLDER_LINE.sub(drop_if_empty, text)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise TemplateError(f"unknown placeholder '{name}' in the template")
        return _as_markdown(values[name], unknown)

    out = PLACEHOLDER.sub(fill, text)
    for braces in ("{{", "}}"):
        if braces in out:
            where = out[max(0, out.index(braces) - 30) : out.index(braces) + 30]
            raise TemplateError(f"malformed placeholder left in the template near: {where!r}")
    return out


def _as_markdown(value: Value | Md, unknown: str) -> str:
    if value is None:
        return unknown
    if isinstance(value, Md):
        return value
    if isinstance(value, str):
        return escape_text(value)
    return bullets(value) if value else unknown


def split_subject(rendered: str) -> tuple[str, str]:
    """Take the first ``# `` line as the plain-text subject; return (subject, rest)."""
    match = SUBJECT_LINE.search(rendered)
    if match is None:
        raise TemplateError("the template needs a first line '# ...' giving the subject")
    body = rendered[: match.start()] + rendered[match.end() :]
    return plain_inline(match.group(1).strip()), body.strip() + "\n"


def plain_inline(markdown: str) -> str:
    """Turn one line of our Markdown into plain text: no emphasis, no escapes, no entities."""
    text = _BOLD.sub(r"\1", markdown)
    text = _ITALIC.sub(r"\1", text)
    return html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", text))


def plain_text(markdown: str) -> str:
    """Turn a draft's Markdown into readable plain text with no markup left."""
    lines: list[str] = []
    for line in markdown.splitlines():
        heading = re.match(r"^#{1,6} (.*)$", line)
        if heading:
            title = plain_inline(heading.group(1).strip())
            lines += [title, "-" * len(title)]
        else:
            lines.append(plain_inline(line.rstrip()))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
