"""Pieces every draft shares: the organisation's and DPO's details, and making a Draft."""

from __future__ import annotations

from dataclasses import replace

from breachdesk.domain.drafting import phrases as words
from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.model import DraftContext
from breachdesk.domain.drafting.model import DraftKind
from breachdesk.domain.drafting.model import sections
from breachdesk.domain.drafting.render import Md
from breachdesk.domain.drafting.render import Value
from breachdesk.domain.drafting.render import escape_inline
from breachdesk.domain.drafting.render import split_subject

DEFAULT_DPO_ROLE = "Data Protection Officer"


def org_values(ctx: DraftContext) -> dict[str, Value | Md]:
    """The organisation's details, for any template."""
    org = ctx.org
    return {
        "org_name": org.name,
        "legal_name": org.legal_name,
        "org_address": org.address,
        "org_website": org.website,
        "ico_registration": org.ico_registration,
        "reference": ctx.reference,
    }


def contact_values(ctx: DraftContext) -> dict[str, Value | Md]:
    """The DPO or contact point (UK GDPR Art. 33(3)(b)), for any template."""
    org = ctx.org
    return {
        "dpo_name": org.dpo_name,
        "dpo_role": org.dpo_role or DEFAULT_DPO_ROLE,
        "dpo_email": org.dpo_email,
        "dpo_phone": org.dpo_phone,
        # The whole line, or nothing: a draft never prints "Phone: To follow" for an
        # organisation that gives no phone number (Sunray Vision's notice gives none).
        "dpo_phone_line": Md(f"- Phone: {escape_inline(org.dpo_phone)}" if org.dpo_phone else ""),
    }


def make_draft(
    kind: DraftKind, title: str, rendered: str, marker: str, recipient: str | None = None
) -> Draft:
    """Build a Draft from rendered Markdown, listing the sections with details to follow."""
    subject, body = split_subject(rendered)
    draft = Draft(kind=kind, title=title, subject=subject, body_markdown=body, recipient=recipient)
    pending = tuple(heading for heading, text in sections(draft) if marker in text)
    return replace(draft, to_follow=pending)


def data_words(ctx: DraftContext) -> tuple[str, ...]:
    """The data involved, in the ICO form's terms."""
    return tuple(dict.fromkeys(words.ICO_DATA_TERMS[c] for c in ctx.data_categories))
