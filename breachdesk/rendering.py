"""Markdown to safe HTML: the one place text written by people becomes markup.

Playbooks, findings and drafts are Markdown typed by staff, the DPO or the IT contractor.
Python-Markdown passes raw HTML through, so its output is always cleaned by nh3 (the
ammonia sanitiser) with a narrow allowlist: no scripts, no event handlers, no frames, no
images, and links only to http, https and mailto.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
        "h2", "h3", "h4", "h5", "h6", "a",
    }
)  # fmt: skip
# rel is set by nh3 itself (link_rel), so it must not be in the allowlist too.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to HTML that is safe to put in a page, whatever the text held."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 - nh3 has just removed everything not allowlisted
