"""Notices to processors and partners, to controllers (Art. 33(2)), and the staff summary."""

from __future__ import annotations

from breachdesk.domain.drafting import phrases as words
from breachdesk.domain.drafting.common import contact_values
from breachdesk.domain.drafting.common import data_words
from breachdesk.domain.drafting.common import make_draft
from breachdesk.domain.drafting.common import org_values
from breachdesk.domain.drafting.model import ContactDetails
from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.model import DraftContext
from breachdesk.domain.drafting.model import DraftKind
from breachdesk.domain.drafting.render import Md
from breachdesk.domain.drafting.render import Value
from breachdesk.domain.drafting.render import render

#: Contact kinds that handle our data and are told of a breach touching it.
PARTNER_KINDS = frozenset({"processor", "partner"})


def shared_values(ctx: DraftContext) -> dict[str, Value | Md]:
    """What every notice to another organisation or to staff may say about the breach."""
    consequences = ctx.likely_consequences or words.ico_consequences(ctx.data_categories)
    return {
        **org_values(ctx),
        **contact_values(ctx),
        "summary": ctx.summary,
        "assets": "; ".join(ctx.assets) or None,
        "aware_at": words.when(ctx.aware_at),
        "occurred_at": words.when(ctx.occurred_at),
        "ico_deadline": words.when(ctx.ico_deadline),
        "data_categories": data_words(ctx) or None,
        "people_groups": ctx.people_groups or None,
        "subjects_count": words.about(ctx.subjects_count, ctx.subjects_count_estimated),
        "records_count": words.about(ctx.records_count),
        "exfiltration": words.phrase(words.EXFILTRATION_ICO, ctx.exfiltration),
        "likely_consequences": consequences or None,
        "measures_taken": ctx.measures_taken or None,
        "measures_proposed": ctx.measures_proposed or None,
        "ongoing": ctx.ongoing,
    }


def draft_processor_notices(ctx: DraftContext, template: str) -> tuple[Draft, ...]:
    """Draft one notice per processor or partner contact: what happened and what we need."""
    return tuple(
        _processor_notice(ctx, template, contact)
        for contact in ctx.contacts
        if contact.kind in PARTNER_KINDS
    )


def _processor_notice(ctx: DraftContext, template: str, contact: ContactDetails) -> Draft:
    values = shared_values(ctx) | {
        "contact_name": contact.name,
        "contact_service": contact.service,
        "contact_kind": "processor" if contact.kind == "processor" else "partner",
    }
    rendered = render(template, values, words.TO_FOLLOW_SHORT)
    title = f"Notice to {contact.name} ({contact.service})"
    return make_draft(DraftKind.PROCESSOR, title, rendered, words.TO_FOLLOW_SHORT, contact.name)


def draft_controller_notices(ctx: DraftContext, template: str) -> tuple[Draft, ...]:
    """Draft one notice per controller whose data we hold (UK GDPR Art. 33(2))."""
    return tuple(_controller_notice(ctx, template, name) for name in ctx.controllers)


def _controller_notice(ctx: DraftContext, template: str, controller: str) -> Draft:
    values = shared_values(ctx) | {
        "controller_name": controller,
        "told_at": words.when(ctx.reported_at),
        "telling_people": _people_plan(ctx),
    }
    rendered = render(template, values, words.TO_FOLLOW_SHORT)
    title = f"Notice to controller: {controller}"
    return make_draft(DraftKind.CONTROLLER, title, rendered, words.TO_FOLLOW_SHORT, controller)


def _people_plan(ctx: DraftContext) -> str:
    # Art. 34 is the controller's duty: the processor offers its view, the controller decides.
    view = {
        "high": "We think the risk to the people is high, so they are likely to need telling.",
        "risk": "We think there is a risk to the people, but not a high one.",
        "unlikely": "We think a risk to the people is unlikely.",
    }.get(ctx.risk or "", "Our view of the risk to the people is to follow.")
    return (
        f"{view} Deciding whether to tell them is yours (UK GDPR Art. 34). We will not contact "
        "them unless you ask us to, and we will help with anything you need."
    )


def draft_staff_summary(ctx: DraftContext, template: str) -> Draft:
    """Draft the internal summary for staff: what happened, what to do and not to do."""
    rendered = render(template, shared_values(ctx), words.TO_FOLLOW_SHORT)
    return make_draft(DraftKind.STAFF, "Summary for staff", rendered, words.TO_FOLLOW_SHORT)
