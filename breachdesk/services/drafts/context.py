"""What the drafts may say about an incident, read from the database and the profile.

Anything the desk does not know stays None, so the draft says "To follow" rather than
guessing (UK GDPR Art. 33(4) allows the ICO report to be completed in phases).
"""

from __future__ import annotations

from dataclasses import fields
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from breachdesk.domain import clock
from breachdesk.domain.assessment import RoleAssessment
from breachdesk.domain.assessment import assess_by_role
from breachdesk.domain.drafting import ContactDetails
from breachdesk.domain.drafting import DraftContext
from breachdesk.domain.drafting import OrgDetails
from breachdesk.domain.drafting import day
from breachdesk.domain.drafting import when
from breachdesk.domain.playbooks import playbook_from_dict
from breachdesk.domain.profile import Asset
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Audience
from breachdesk.models import ChecklistItem
from breachdesk.models import DraftDoc
from breachdesk.models import FactProposal
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import NoticeRecord
from breachdesk.models import PlaybookRun
from breachdesk.models import ProposalState
from breachdesk.models import StepState
from breachdesk.services.facts import current_facts
from breachdesk.services.facts import engine_facts
from breachdesk.services.facts import estimates_of
from breachdesk.services.facts import shows_cyber_attack
from breachdesk.timeutil import utcnow

#: Reasons that concern the desk's own bookkeeping, not the risk to people.
BOOKKEEPING_REASONS = frozenset({"enisa-severity", "ico-deadline", "record-in-register"})
#: The reasons that say why the people are or are not told (UK GDPR Art. 34(1) and 34(3)).
PEOPLE_DUTY_REASONS = frozenset({"people-not-told", "art-34-3-a", "art-34-3-b", "art-34-3-c"})
#: Checklist phases whose done steps are measures taken to contain or recover.
MEASURE_PHASES = ("Contain", "Recover")
#: Checklist phases whose open steps are measures still to come (recover, prevent).
LESSONS_PHASE = "Learn lessons"
LATER_PHASES = ("Recover", LESSONS_PHASE)
#: What the lessons-learnt steps mean for the ICO.
LESSONS = (
    "Review how the breach happened and make the changes it shows are needed, so that it "
    "does not happen again"
)
#: Why a processor does not tell the people itself: Art. 34 is the controller's duty.
HELD_FOR_CONTROLLERS = (
    "Where we hold the data for other organisations (the controllers), deciding whether to "
    "tell the people is theirs (UK GDPR Art. 34). We are telling them without undue delay "
    "(Art. 33(2)) and will help them tell the people if they decide to."
)
_ONGOING = {"yes": "Yes", "no": "No"}
_CHANNELS = {"yes": "direct", "public": "public"}


def org_details(profile: Profile) -> OrgDetails:
    """The sending organisation as its profile describes it."""
    return OrgDetails(
        name=profile.name,
        legal_name=profile.legal_name or None,
        address=_one_line(profile.address),
        website=profile.website or None,
        ico_registration=profile.ico_registration or None,
        dpo_name=profile.dpo.name or None,
        dpo_role=profile.dpo.role_title or None,
        dpo_email=profile.dpo.email or None,
        dpo_phone=profile.dpo.phone or None,
        reports_to=profile.reports_to.value,
        report_route=_sentence(profile.report_route),
        staff_training=" ".join(profile.staff_training.split()) or None,
    )


def build_context(
    incident: Incident, profile: Profile, now: datetime | None = None
) -> DraftContext:
    """Everything the drafts may say about ``incident`` now, None where not yet known."""
    now = now or utcnow()
    facts = current_facts(incident, profile).facts
    estimates = estimates_of(incident, profile)
    roles = assess_by_role(engine_facts(incident, facts), profile, incident.asset_ids)
    assets = profile.assets_of(incident.asset_ids)
    categories = tuple(DataCategory(c) for c in facts.get("data_categories", []))
    findings = accepted_findings(incident)
    deadline = clock.ico_deadline(incident.aware_at)
    ico_notice = _notice(incident, Audience.ICO)
    ctx = DraftContext(
        org=org_details(profile),
        reference=incident.reference,
        summary=incident.description,
        people_summary=incident.people_summary or None,
        aware_at=incident.aware_at,
        reported_at=now,
        how_discovered=_how_discovered(incident),
        occurred_at=incident.occurred_at,
        noticed_at=incident.noticed_at,
        assets=_asset_names(incident, assets, findings),
        data_categories=categories,
        people_groups=_people_groups(assets, categories),
        subjects_count=facts.get("subjects_count"),
        subjects_count_estimated=estimates.count_estimated,
        records_count=facts.get("records_count"),
        # The profile gives a hint, not the answer: "To follow" until the DPO answers.
        vulnerable=None if estimates.vulnerable_unasked else facts.get("vulnerable_subjects"),
        cyber_incident=_cyber(incident, facts.get("cause"), findings),
        cause=None if facts.get("cause") in (None, "unknown") else facts["cause"],
        ongoing=_ONGOING.get(incident.ongoing.value),
        exfiltration=_exfiltration(facts, findings),
        encrypted=_encrypted(facts.get("protection")),
        backups_state=next((f.backups_state for f in findings if f.backups_state.strip()), None),
        measures_taken=_measures_taken(incident),
        measures_proposed=_measures_proposed(incident),
        people_measures=_people_measures(incident),
        ico_deadline=deadline,
        late=ico_notice is None and now > deadline,
        delay_reasons=ico_notice.delay_reasons if ico_notice else None,
        ico_contact=_ico_contact(ico_notice),
        others_told=_others_told(incident),
        controllers=_controllers(incident, roles),
        contacts=_contacts(profile, assets),
        **_role_split(roles),
    )
    return _with_decision(ctx, latest_assessment(incident), incident, profile)


def _role_split(roles: RoleAssessment) -> dict[str, Any]:
    """What the drafts say about data held for others, from the one decision on roles."""
    mine, held = roles.part(ActingAs.CONTROLLER), roles.part(ActingAs.PROCESSOR)
    if held is None:
        return {}
    own = mine.facts.data_categories if mine else ()
    return {
        "own_people_groups": mine.groups if mine else (),
        "own_data_categories": own,
        "held_groups": held.groups,
        "held_count": held.facts.subjects_count,
        "held_risk": str(held.decision.risk),
    }


def held_only_for_others(incident: Incident, ctx: DraftContext) -> bool:
    """All the data involved is held for others (we are only a processor): by the decision
    in force, or before one by the facts and the profile."""
    decision = latest_assessment(incident)
    if decision is not None:
        return decision.notify_controller and not decision.recommendation.get("parts")
    return bool(ctx.held_groups) and not ctx.own_people_groups


def ico_report_out_of_date(incident: Incident, docs: list[DraftDoc]) -> datetime | None:
    """When the ICO report last sent was overtaken by new facts (an accepted finding, a
    corrected fact) with no follow-up started since: the time it was sent, else None."""
    reports = [doc for doc in docs if doc.kind == "ico"]
    if not reports or reports[-1].last_sent is None:
        return None
    sent_at = reports[-1].last_sent.sent_at
    row = db.session.get(IncidentFacts, incident.id)
    return sent_at if row is not None and row.updated_at > sent_at else None


def latest_assessment(incident: Incident) -> Assessment | None:
    """The decision in force: the latest recorded."""
    query = select(Assessment).where(Assessment.incident_id == incident.id)
    return db.session.scalar(query.order_by(Assessment.decided_at.desc(), Assessment.id.desc()))


def _promised_time(incident: Incident, profile: Profile) -> str:
    """The organisation's own promise of a time to tell people, as the ICO report says it."""
    promise = profile.people_promise_words()
    if promise is None:  # the law sets no hours, so no time is named
        return ""
    due = clock.people_deadline(incident.aware_at, profile.people_notice_hours)
    return f" {promise} of our becoming aware, so by {when(due)}."


def accepted_findings(incident: Incident) -> list[Finding]:
    """Findings the DPO has accepted at least one proposal of, newest first."""
    accepted = select(FactProposal.finding_id).where(
        FactProposal.incident_id == incident.id, FactProposal.state == ProposalState.ACCEPTED
    )
    query = select(Finding).where(Finding.incident_id == incident.id, Finding.id.in_(accepted))
    return list(db.session.scalars(query.order_by(Finding.created_at.desc(), Finding.id.desc())))


def _with_decision(
    ctx: DraftContext, decision: Assessment | None, incident: Incident, profile: Profile
):
    told = _notice(incident, Audience.PEOPLE)
    people_told = None
    if told is not None:
        how = f" by {told.channel}" if told.channel else ""
        people_told = f"We told them on {when(told.told_at)}{how}."
    if decision is None:
        return replace(ctx, people_told=people_told)
    if people_told is None and decision.notify_people == "yes":
        people_told = "We will tell each person without undue delay (UK GDPR Art. 34(1))."
        people_told += _promised_time(incident, profile)
    elif people_told is None and decision.notify_people == "no":
        people_told = _why_not_told(decision)
    record = decision.recommendation
    parts = {part.get("acting_as"): part for part in record.get("parts", [])}
    # Arts. 33(1) and 34 concern our own data: the ICO hears its risk and reasons; our view
    # of the data held for others goes to the controllers (``held_risk``).
    own = parts.get("controller", record)
    kept = [r for r in own.get("reasons", []) if r.get("code") not in BOOKKEEPING_REASONS]
    reasons = [r["text"] for r in kept]
    if decision.override_reason:
        reasons.append(f"Our decision differs from the recommendation: {decision.override_reason}")
    held_risk = parts["processor"].get("risk") if "processor" in parts else ctx.held_risk
    return replace(
        ctx,
        held_risk=held_risk,
        risk=own.get("risk", decision.risk),
        notify_ico=decision.notify_ico,
        notify_subjects=decision.notify_people == "yes",
        subject_channel=_CHANNELS.get(decision.notify_people),
        notify_controller=decision.notify_controller,
        reasons=tuple(reasons),
        people_told=people_told,
    )


def _why_not_told(decision: Assessment) -> str | None:
    """The decision's own reason for not telling the people, not the whole risk analysis:
    for our own data, why its risk does not call for it; for data held for others, that
    telling the people is the controllers' to decide."""
    record = decision.recommendation
    parts = {part.get("acting_as"): part for part in record.get("parts", [])}
    held_only = decision.notify_controller and not parts
    own = parts.get("controller", record)
    found = (
        []
        if held_only
        else [r["text"] for r in own.get("reasons", []) if r.get("code") in PEOPLE_DUTY_REASONS]
    )
    if parts and found:
        found[0] = "For our own data: " + found[0][:1].lower() + found[0][1:]
    if decision.override_reason:
        found.append(decision.override_reason)
    if decision.notify_controller:
        found.append(HELD_FOR_CONTROLLERS)
    return " ".join(dict.fromkeys(found)) or None


def _asset_names(incident: Incident, assets: list[Asset], findings: list[Finding]):
    names = [a.name for a in assets]
    names += [f.systems_affected.strip() for f in findings if f.systems_affected.strip()]
    return tuple(dict.fromkeys(names))


def _people_groups(assets: list[Asset], categories: tuple[DataCategory, ...]):
    groups = [g.name for a in assets for g in a.groups if set(g.data_categories) & set(categories)]
    return tuple(dict.fromkeys(groups))


def _controllers(incident: Incident, roles: RoleAssessment) -> tuple[str, ...]:
    """Whose data we hold as processor (Art. 33(2)): the domain's answer, then any the DPO
    has named a notice for."""
    named = db.session.scalars(
        select(DraftDoc.recipient_key).where(
            DraftDoc.incident_id == incident.id, DraftDoc.kind == "controller"
        )
    )
    return tuple(dict.fromkeys([*(c.name for c in roles.controllers), *named]))


def _contacts(profile: Profile, assets: list[Asset]) -> tuple[ContactDetails, ...]:
    found = {c.id: c for a in assets for c in profile.contacts_for(a)}
    return tuple(
        ContactDetails(c.id, c.name, c.kind.value, c.service, c.email or None, c.phone or None)
        for c in found.values()
    )


def _how_discovered(incident: Incident) -> str:
    return (
        f"{incident.reporter.display_name} reported it through our breach reporting desk "
        f"on {when(incident.reported_at)}."
    )


def _cyber(incident: Incident, cause: str | None, findings: list[Finding]) -> bool | None:
    """The ICO form's "caused by a cyber incident?": a ransom note or malware says yes."""
    seen = [incident.description, *(f.summary for f in findings)]
    if shows_cyber_attack(*seen):
        return True
    if cause == "accidental":
        return False
    if cause == "malicious" and findings:
        return True  # a deliberate act the IT contractor found on our systems
    return None


def _exfiltration(facts: dict[str, Any], findings: list[Finding]) -> str | None:
    value = facts.get("exfiltration") or next((f.exfiltration.value for f in findings), None)
    return None if value in (None, "unknown") else value


def _encrypted(protection: str | None) -> bool | None:
    return {"encrypted": True, "none": False, "encrypted_key_compromised": False}.get(
        protection or ""
    )


def _measures_taken(incident: Incident) -> tuple[str, ...]:
    query = select(ChecklistItem).where(
        ChecklistItem.incident_id == incident.id,
        ChecklistItem.state == StepState.DONE,
        ChecklistItem.phase.in_(MEASURE_PHASES),
    )
    items = db.session.scalars(query.order_by(ChecklistItem.state_changed_at, ChecklistItem.id))
    # A reporter's first step is a prompt ("Sent it to the wrong person? Tell the DPO"), not
    # a measure the organisation took.
    return tuple(f"Done {when(i.state_changed_at)}: {i.title}" for i in items if "?" not in i.title)


def _people_measures(incident: Incident) -> tuple[str, ...]:
    """The Notice sentences of the steps done so far, in the order they were done, each once.

    Art. 34(2) asks for the measures taken "in clear and plain language": the people read
    what was done in the playbook's words for them, never a step's instruction to staff.
    """
    runs = db.session.scalars(select(PlaybookRun).where(PlaybookRun.incident_id == incident.id))
    notices = {
        (run.playbook_id, step.id): step.notice
        for run in runs
        for step in playbook_from_dict(run.snapshot).steps
        if step.notice
    }
    query = select(ChecklistItem).where(
        ChecklistItem.incident_id == incident.id, ChecklistItem.state == StepState.DONE
    )
    items = db.session.scalars(query.order_by(ChecklistItem.state_changed_at, ChecklistItem.id))
    found = (notices.get((i.playbook_id, i.step_id)) for i in items)
    return tuple(dict.fromkeys(notice for notice in found if notice))


def _measures_proposed(incident: Incident) -> tuple[str, ...]:
    """Steps still to come: recovery in the steps' words, lessons in words for the ICO.

    A lessons-learnt step speaks to staff about the desk itself ("update this playbook");
    the ICO is told what it means for the breach.
    """
    query = select(ChecklistItem.phase, ChecklistItem.title).where(
        ChecklistItem.incident_id == incident.id,
        ChecklistItem.state == StepState.OPEN,
        ChecklistItem.phase.in_(LATER_PHASES),
    )
    rows = db.session.execute(query.order_by(ChecklistItem.position)).all()
    found = [LESSONS if phase == LESSONS_PHASE else title for phase, title in rows]
    return tuple(dict.fromkeys(found))


def _ico_contact(notice: NoticeRecord | None) -> str | None:
    """Whether the ICO has already heard of the breach from us, and how; None: not recorded."""
    if notice is None:
        return None
    how = f" by {notice.channel}" if notice.channel else ""
    who = f" ({notice.recipient})" if notice.recipient else ""
    return f"Yes: we told the ICO{who}{how} on {day(notice.told_at)}."


def _notice(incident: Incident, audience: Audience) -> NoticeRecord | None:
    query = select(NoticeRecord).where(
        NoticeRecord.incident_id == incident.id, NoticeRecord.audience == audience
    )
    return db.session.scalar(query.order_by(NoticeRecord.told_at, NoticeRecord.id))


def _others_told(incident: Incident) -> tuple[str, ...]:
    """Controllers recorded as told, and processors or partners sent a notice."""
    told = select(NoticeRecord).where(
        NoticeRecord.incident_id == incident.id, NoticeRecord.audience == Audience.CONTROLLER
    )
    lines = [
        f"{n.recipient or 'A controller'} (controller), on {day(n.told_at)}"
        for n in db.session.scalars(told.order_by(NoticeRecord.told_at))
    ]
    docs = select(DraftDoc).where(DraftDoc.incident_id == incident.id, DraftDoc.kind == "processor")
    for doc in db.session.scalars(docs.order_by(DraftDoc.id)):
        if doc.last_sent is not None:
            lines.append(f"{doc.recipient} (processor or partner), on {day(doc.last_sent.sent_at)}")
    return tuple(lines)


def _one_line(text: str) -> str | None:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip()) or None


def _sentence(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else f"{text}."


# A context is kept with each version as JSON, so that a follow-up report can carry only
# what changed since the report that was sent (UK GDPR Art. 33(4)).
_INSTANTS = {"aware_at", "reported_at", "occurred_at", "noticed_at", "ico_deadline"}


def context_to_json(ctx: DraftContext) -> dict[str, Any]:
    """A context as plain JSON values."""
    out: dict[str, Any] = {}
    for field in fields(ctx):
        value = getattr(ctx, field.name)
        if field.name == "org":
            value = {f.name: getattr(value, f.name) for f in fields(value)}
        elif field.name == "contacts":
            value = [{f.name: getattr(c, f.name) for f in fields(c)} for c in value]
        elif field.name == "previous":
            value = None if value is None else context_to_json(value)
        elif field.name in _INSTANTS:
            value = None if value is None else value.isoformat()
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        out[field.name] = value
    return out


def context_from_json(data: dict[str, Any]) -> DraftContext:
    """Rebuild a context stored by ``context_to_json``."""
    values: dict[str, Any] = dict(data)
    values["org"] = OrgDetails(**data["org"])
    values["contacts"] = tuple(ContactDetails(**c) for c in data.get("contacts", []))
    values["previous"] = context_from_json(data["previous"]) if data.get("previous") else None
    values["data_categories"] = tuple(DataCategory(c) for c in data.get("data_categories", []))
    if data.get("own_data_categories") is not None:
        values["own_data_categories"] = tuple(DataCategory(c) for c in data["own_data_categories"])
    for name in _INSTANTS:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    for field in fields(DraftContext):
        if isinstance(values.get(field.name), list):
            values[field.name] = tuple(values[field.name])
    return DraftContext(**values)
