"""The report to the ICO (UK GDPR Art. 33), following the sections of the ICO's breach form."""

from __future__ import annotations

from breachdesk.domain.drafting import phrases as words
from breachdesk.domain.drafting.common import contact_values
from breachdesk.domain.drafting.common import make_draft
from breachdesk.domain.drafting.common import org_values
from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.model import DraftContext
from breachdesk.domain.drafting.model import DraftKind
from breachdesk.domain.drafting.model import sections
from breachdesk.domain.drafting.render import Md
from breachdesk.domain.drafting.render import Value
from breachdesk.domain.drafting.render import bullets
from breachdesk.domain.drafting.render import escape_inline
from breachdesk.domain.drafting.render import escape_text
from breachdesk.domain.drafting.render import render
from breachdesk.domain.vocabulary import SPECIAL_CATEGORIES
from breachdesk.domain.vocabulary import DataCategory

DSPT_ROUTE = (
    "Through the NHS Data Security and Protection Toolkit (DSPT) incident reporting tool, "
    "which passes notifiable incidents to the ICO. This report gives the same content as "
    "the ICO's breach report form."
)
ICO_ROUTE = "The ICO's online personal data breach report form."


def draft_ico_report(ctx: DraftContext, template: str) -> Draft:
    """Draft the report to the ICO (or the DSP Toolkit), section by section.

    A follow-up report with ``ctx.previous`` carries the report section (with the ICO case
    reference) and only the sections whose content changed (UK GDPR Art. 33(4): phases).
    """
    draft = _render(ctx, template)
    if ctx.report_kind == "follow-up" and ctx.previous is not None:
        earlier = dict(sections(_render(ctx.previous, template)))
        kept = [
            (heading, text)
            for index, (heading, text) in enumerate(sections(draft))
            if index == 0 or earlier.get(heading) != text
        ]
        body = "\n\n".join(f"## {escape_inline(h)}\n\n{text}" for h, text in kept)
        rendered = f"# {escape_inline(draft.subject)}\n\n{body}\n"
        draft = make_draft(DraftKind.ICO, draft.title, rendered, words.TO_FOLLOW)
    return draft


def _render(ctx: DraftContext, template: str) -> Draft:
    dspt = ctx.org.reports_to == "dspt"
    title = f"{'DSPT incident report' if dspt else 'Report to the ICO'} ({ctx.report_kind})"
    values = {**org_values(ctx), **contact_values(ctx), **_report(ctx, dspt), **_facts(ctx)}
    values |= _data(ctx) | _outcome(ctx)
    return make_draft(
        DraftKind.ICO, title, render(template, values, words.TO_FOLLOW), words.TO_FOLLOW
    )


def _report(ctx: DraftContext, dspt: bool) -> dict[str, Value | Md]:
    follow_up = ctx.report_kind == "follow-up"
    case_ref: Value = ctx.ico_case_reference
    if not follow_up:
        case_ref = ctx.ico_case_reference or "None yet: this is our first report of this breach"
    route = ctx.org.report_route or (DSPT_ROUTE if dspt else ICO_ROUTE)
    return {
        "report_type": "Follow-up report" if follow_up else "Initial report",
        "ico_case_reference": case_ref,
        "reported_at": words.when(ctx.reported_at),
        "report_route": route,
        "phases_note": Md(_phases_note(ctx)),
        "ico_contact": ctx.ico_contact or words.ICO_CONTACT_TO_FOLLOW,
    }


def _phases_note(ctx: DraftContext) -> str:
    if ctx.report_kind == "follow-up" and ctx.previous is not None:
        sent = escape_text(words.when(ctx.previous.reported_at) or "")
        return (
            f"This follow-up gives only what has changed since our report of {sent}. "
            "Everything else stands as we reported it."
        )
    return (
        'Where a detail says "To follow", we do not know it yet. We will send it as soon as '
        "we do, quoting the ICO case reference (UK GDPR Art. 33(4))."
    )


def _facts(ctx: DraftContext) -> dict[str, Value | Md]:
    return {
        "summary": ctx.summary,
        "assets": "; ".join(ctx.assets) or None,
        "cause": words.phrase(words.CAUSES, ctx.cause),
        "cyber_incident": _cyber(ctx.cyber_incident),
        "ongoing": ctx.ongoing or words.NOT_YET_KNOWN,
        "exfiltration": words.phrase(words.EXFILTRATION_ICO, ctx.exfiltration),
        "encrypted": _encrypted(ctx.encrypted),
        "how_discovered": ctx.how_discovered,
        "noticed_at": words.when(ctx.noticed_at),
        "aware_at": words.when(ctx.aware_at),
        "occurred_at": words.when(ctx.occurred_at) or words.NOT_YET_KNOWN,
        "ico_deadline": words.when(ctx.ico_deadline),
    }


def _cyber(flag: bool | None) -> str:
    # The form accepts "not yet known" here: an answer, not a detail to follow.
    return {True: "Yes", False: "No", None: words.NOT_YET_KNOWN}[flag]


def _encrypted(flag: bool | None) -> str | None:
    if flag is None:
        return None
    if flag:
        return "Yes: the data was encrypted, so it cannot be read without the key"
    return "No: the data was not protected by encryption"


def _data(ctx: DraftContext) -> dict[str, Value | Md]:
    categories = tuple(words.ICO_DATA_TERMS[c] for c in ctx.data_categories)
    special = set(ctx.data_categories) & (SPECIAL_CATEGORIES | {DataCategory.CRIMINAL})
    consequences = ctx.likely_consequences or words.ico_consequences(ctx.data_categories)
    return {
        "data_categories": tuple(dict.fromkeys(categories)),
        "special_category": _special(ctx, special),
        "people_groups": words.ico_people_terms(ctx.people_groups),
        "vulnerable": words.yes_no(ctx.vulnerable),
        "subjects_count": words.about(ctx.subjects_count, ctx.subjects_count_estimated),
        "records_count": words.about(ctx.records_count) or words.NOT_YET_KNOWN,
        "likely_consequences": consequences,
        "risk": words.phrase(words.RISK_WORDS, ctx.risk),
        "reasons": Md(_reasons(ctx.reasons)),
    }


def _special(ctx: DraftContext, special: set[DataCategory]) -> str | None:
    if not ctx.data_categories:
        return None
    if not special:
        return "No"
    # Art. 9 covers the special categories, Art. 10 criminal offence data.
    names = ", ".join(words.ICO_DATA_TERMS[c] for c in ctx.data_categories if c in special)
    art_9, art_10 = bool(special - {DataCategory.CRIMINAL}), DataCategory.CRIMINAL in special
    articles = "Arts. 9 and 10" if art_9 and art_10 else ("Art. 10" if art_10 else "Art. 9")
    return f"Yes: {names} (UK GDPR {articles})"


def _reasons(reasons: tuple[str, ...]) -> str:
    if not reasons:
        return ""
    return "Why we assess the risk this way:\n\n" + bullets(reasons)


def _outcome(ctx: DraftContext) -> dict[str, Value | Md]:
    return {
        "measures_taken": ctx.measures_taken,
        "measures_proposed": ctx.measures_proposed,
        "backups_state": ctx.backups_state,
        "staff_training": ctx.org.staff_training,
        "telling_people": Md(_telling_people(ctx)),
        "delay": Md(_delay(ctx)),
        "others_told": Md(_others_told(ctx)),
    }


def _telling_people(ctx: DraftContext) -> str:
    # UK GDPR Art. 34: the form asks whether people have been or will be told, and if not why.
    told = escape_text(ctx.people_told) if ctx.people_told else None
    if ctx.notify_subjects is None:
        return words.TO_FOLLOW
    if ctx.notify_subjects:
        how = " We are telling each person directly." if ctx.subject_channel == "direct" else ""
        return f"Yes.{how}\n\n{told or words.TO_FOLLOW}"
    if ctx.subject_channel == "public":
        lead = (
            "Not individually: we are publishing a public notice instead (UK GDPR Art. 34(3)(c))."
        )
    else:
        lead = "No."
    why = told or (f"Why not:\n\n{bullets(ctx.reasons)}" if ctx.reasons else words.TO_FOLLOW)
    return f"{lead}\n\n{why}"


def _delay(ctx: DraftContext) -> str:
    deadline = escape_text(words.when(ctx.ico_deadline) or "")
    if not ctx.late:
        if not deadline:
            return "None: we are reporting within 72 hours of becoming aware."
        return f"None: we are reporting within 72 hours of becoming aware (by {deadline})."
    why = escape_text(ctx.delay_reasons) if ctx.delay_reasons else words.TO_FOLLOW
    passed = f" The 72 hours ended on {deadline}." if deadline else ""
    return f"This report is later than 72 hours after we became aware.{passed}\n\n{why}"


def _others_told(ctx: DraftContext) -> str:
    parts = [bullets(ctx.others_told) if ctx.others_told else "None so far."]
    if ctx.controllers:
        parts.append(_held_for_controllers(ctx) + bullets(ctx.controllers))
    return "\n\n".join(parts)


def _held_for_controllers(ctx: DraftContext) -> str:
    """What we pass to the controllers, kept apart from our own data's risk (Art. 33(2))."""
    whose = "; ".join(ctx.held_groups)
    many = ctx.held_count is not None and ctx.held_count > 1
    count = f", about {ctx.held_count:,} people" if many else ""
    held = f" ({escape_text(whose)}{count})" if whose else ""
    view = words.HELD_RISK_WORDS.get(ctx.held_risk or "")
    told = f" Our view of the risk to those people, which we pass on: {view}." if view else ""
    return (
        f"We also hold data for other organisations, as their processor{held}. The risk "
        "stated above is for our own data only; reporting the rest and telling those people "
        f"are the controllers' decisions.{told} We are telling each controller without undue "
        "delay (UK GDPR Art. 33(2)):\n\n"
    )
