"""Notices to the people affected (UK GDPR Art. 34), in plain English a patient can follow.

Art. 34(2): clear and plain language, the nature of the breach, the contact point, the likely
consequences and the measures taken; the ICO also asks that people are told what they can do.
"""

from __future__ import annotations

from dataclasses import replace

from breachdesk.domain.drafting import phrases as words
from breachdesk.domain.drafting.common import contact_values
from breachdesk.domain.drafting.common import make_draft
from breachdesk.domain.drafting.common import org_values
from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.model import DraftContext
from breachdesk.domain.drafting.model import DraftKind
from breachdesk.domain.drafting.render import Md
from breachdesk.domain.drafting.render import Value
from breachdesk.domain.drafting.render import bullets
from breachdesk.domain.drafting.render import escape_text
from breachdesk.domain.drafting.render import render
from breachdesk.domain.vocabulary import DataCategory

#: What was done, when steps are done but none is yet written for the people.
ACTED = (
    "We acted as soon as we knew, to stop the problem and limit its effects, and we are "
    "looking into how it happened."
)
#: The line a letter keeps for the person's name and address until it is merged.
ADDRESS_SLOT = "*(Name and address of the person)*"

CHANNELS = {"letter": DraftKind.PEOPLE_LETTER, "email": DraftKind.PEOPLE_EMAIL}
TITLES = {
    DraftKind.PEOPLE_LETTER: "Letter to the people affected",
    DraftKind.PEOPLE_EMAIL: "Email to the people affected",
    DraftKind.PUBLIC_NOTICE: "Public notice",
}


def draft_people_notice(ctx: DraftContext, template: str, channel: str = "letter") -> Draft:
    """Draft the letter or email telling each person affected (UK GDPR Art. 34(1))."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be 'letter' or 'email', not {channel!r}")
    return _draft(ctx, template, CHANNELS[channel])


def draft_public_notice(ctx: DraftContext, template: str) -> Draft:
    """Draft a public notice, for when telling each person is disproportionate (Art. 34(3)(c))."""
    return _draft(ctx, template, DraftKind.PUBLIC_NOTICE)


def _draft(ctx: DraftContext, template: str, kind: DraftKind) -> Draft:
    values = {**org_values(ctx), **contact_values(ctx), **people_values(own_people(ctx))}
    rendered = render(template, values, words.TO_FOLLOW_SHORT)
    return make_draft(kind, TITLES[kind], rendered, words.TO_FOLLOW_SHORT)


def own_people(ctx: DraftContext) -> DraftContext:
    """The context a notice to people may use: only the people whose data is our own.

    Where we hold data for others, telling those people is the controllers' decision (UK
    GDPR Art. 34 is the controller's duty); our notice covers our own data and people.
    """
    if ctx.own_people_groups is None:
        return ctx
    return replace(
        ctx,
        people_groups=ctx.own_people_groups,
        data_categories=ctx.own_data_categories or (),
        controllers=(),
    )


def people_values(ctx: DraftContext) -> dict[str, Value | Md]:
    """The values a notice to people may use, each in plain words."""
    return {
        "date": words.day(ctx.reported_at),
        "salutation": salutation(ctx.people_groups),
        "recipient_address": Md(ADDRESS_SLOT),
        "what_happened": Md(_what_happened(ctx)),
        "data_involved": tuple(words.PLAIN_DATA[c] for c in ctx.data_categories) or None,
        "consequences": _consequences(ctx),
        "measures": _measures(ctx),
        "advice": Md(_advice(ctx)),
    }


def salutation(groups: tuple[str, ...]) -> str:
    """Address a person by the group they belong to until their name is merged in."""
    text = " ".join(groups).lower()
    if "patient" in text:
        return "patient"
    return "customer"


def _what_happened(ctx: DraftContext) -> str:
    parts = [escape_text(ctx.people_summary or ctx.summary)]
    found = words.day(ctx.noticed_at or ctx.aware_at)
    happened = words.day(ctx.occurred_at)
    if happened is None:
        parts.append(f"We found out about it on {found}.")
    elif happened == found:
        parts.append(f"This happened on {happened}. We found out the same day.")
    else:
        parts.append(f"This happened on {happened}. We found out on {found}.")
    # Only the engine's own values are put into words here: free text is written for the ICO.
    if ctx.exfiltration in words.EXFILTRATION_PLAIN:
        parts.append(words.EXFILTRATION_PLAIN[ctx.exfiltration])
    return " ".join(parts)


def _measures(ctx: DraftContext) -> tuple[str, ...] | None:
    # The steps' own titles are instructions to staff; when the desk has written what was
    # done for the people, only that is shown, and nothing yet done reads "To follow".
    if ctx.people_measures is not None:
        if not ctx.people_measures and ctx.measures_taken:
            return (ACTED,)  # steps done, none yet written for the people: never "To follow"
        return ctx.people_measures or None
    return (ctx.measures_taken + ctx.measures_proposed) or None


def _consequences(ctx: DraftContext) -> tuple[str, ...] | None:
    # likely_consequences are written for the ICO; people need "you" and plain words.
    return ctx.people_consequences or words.plain_consequences(ctx.data_categories) or None


def _advice(ctx: DraftContext) -> str:
    """What people can do, chosen by the data involved."""
    tips = [words.PLAIN_ADVICE[c] for c in ctx.data_categories if c in words.PLAIN_ADVICE]
    if DataCategory.BASIC_IDENTITY in ctx.data_categories:
        # Never "call us" when we give no number to call.
        in_doubt = words.IN_DOUBT_CALL if ctx.org.dpo_phone else words.IN_DOUBT_EMAIL
        index = tips.index(words.PLAIN_ADVICE[DataCategory.BASIC_IDENTITY])
        tips[index] = f"{tips[index]} {in_doubt}"
    if DataCategory.HEALTH in ctx.data_categories:
        tips.append(_health_tip(ctx))
    tips.append("If you are worried or have questions, please contact us. Our details are below.")
    return bullets(tuple(dict.fromkeys(tips)))


def _health_tip(ctx: DraftContext) -> str:
    # The practice or optician decides about care; a processor should not promise it.
    if ctx.controllers:
        return (
            "You do not need to do anything about your treatment. If it is affected, the "
            "practice that treats you will contact you."
        )
    return (
        f"You do not need to do anything about your treatment or order. If it is affected, "
        f"{ctx.org.name} will contact you."
    )
