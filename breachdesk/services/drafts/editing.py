"""Drafted messages: made from the templates and edited in versions (sending: draft_sending).

A version that has been approved or sent never changes; an edit makes the next version
(UK GDPR Art. 33(5): the record of what was done, and what was told, must hold).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from breachdesk.domain import drafting as d
from breachdesk.domain.drafting import Draft
from breachdesk.domain.drafting import DraftContext
from breachdesk.domain.drafting import DraftKind
from breachdesk.domain.profile import Profile
from breachdesk.extensions import db
from breachdesk.models import DraftDoc
from breachdesk.models import DraftState
from breachdesk.models import DraftVersion
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import audit
from breachdesk.services.drafts.context import build_context
from breachdesk.services.drafts.context import context_from_json
from breachdesk.services.drafts.context import context_to_json
from breachdesk.services.drafts.context import held_only_for_others
from breachdesk.services.drafts.templates import find_template
from breachdesk.services.incident_rows import rows_of
from breachdesk.timeutil import utcnow

#: The kinds a person asks for, and the drafts each stands for.
GROUPS = ("ico", "people", "processors", "controllers", "staff")
PEOPLE_KINDS = (DraftKind.PEOPLE_LETTER, DraftKind.PEOPLE_EMAIL, DraftKind.PUBLIC_NOTICE)
_GROUP_KINDS = {
    "ico": (DraftKind.ICO,),
    "people": PEOPLE_KINDS,
    "processors": (DraftKind.PROCESSOR,),
    "controllers": (DraftKind.CONTROLLER,),
    "staff": (DraftKind.STAFF,),
}
PLACEHOLDER_MESSAGE = "Replace or remove every {{ placeholder }} before saving."
#: Drafts that are the controllers' to make when all the data is held for them.
CONTROLLERS_DUTIES = frozenset({"ico", "people"})
CONTROLLERS_TO_DRAFT = (
    "We hold this data only for other organisations (as their processor): reporting it to "
    "the ICO and telling the people are the controllers' decisions (UK GDPR Arts. 33(2) and "
    "34). Draft the notices to the controllers instead, or give the reason for drafting this "
    "in our own name."
)


class DraftError(ValueError):
    """A change to a draft that cannot be made; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def drafts_for(incident: Incident) -> list[DraftDoc]:
    """Every draft of ``incident``, in a stable order (read once per request: see
    ``incident_rows``)."""
    return rows_of(DraftDoc, incident.id)


def get_draft(incident: Incident, draft_id: int) -> DraftDoc | None:
    """The draft ``draft_id`` if it belongs to ``incident``."""
    doc = db.session.get(DraftDoc, draft_id)
    return doc if doc is not None and doc.incident_id == incident.id else None


def current_drafts(
    incident: Incident,
    profile: Profile,
    group: str,
    actor: User | None = None,
    *,
    instance_path: Path,
    reason: str = "",
) -> list[DraftDoc]:
    """The current drafts of ``group``, making any missing one from the templates.

    Where all the data is held for others, the ICO report and the notice to the people are
    the controllers' to make (UK GDPR Arts. 33(2) and 34): drafting one in our own name
    anyway needs ``reason``, which the trail keeps. ``instance_path`` holds any templates
    of the organisation's own.
    """
    if group not in GROUPS:
        raise DraftError("kind", f"Unknown kind {group!r}: use one of {', '.join(GROUPS)}.")
    existing = {(doc.kind, doc.recipient_key): doc for doc in drafts_for(incident)}
    ctx = build_context(incident, profile)
    reason = " ".join(reason.split())
    new_kind = not any(kind in {k.value for k in _GROUP_KINDS[group]} for kind, _ in existing)
    theirs = group in CONTROLLERS_DUTIES and new_kind and held_only_for_others(incident, ctx)
    if theirs and not reason:
        raise DraftError("reason", CONTROLLERS_TO_DRAFT)
    made = []
    for key, draft in _drafts_of(group, ctx, templates(profile, instance_path), existing):
        if (draft.kind.value, key) not in existing:
            made.append(new_doc(incident, key, draft, ctx, actor))
    if made:
        why = f" in our own name, though the data is held for others: {reason}" if reason else ""
        titles = ", ".join(m.title for m in made)
        audit.record(incident, actor, "drafts-made", f"Drafted: {titles}{why}", reason=reason)
        db.session.commit()
    kinds = {k.value for k in _GROUP_KINDS[group]}
    docs = [doc for doc in drafts_for(incident) if doc.kind in kinds]
    return _current_ico(docs) if group == "ico" else docs


def _drafts_of(group: str, ctx: DraftContext, template: Callable[[DraftKind], str], existing):
    """(recipient key, draft) pairs for a group; the ICO report only if none exists yet."""
    if group == "ico":
        if any(kind == DraftKind.ICO.value for kind, _ in existing):
            return []
        return [("initial", d.draft_ico_report(ctx, template(DraftKind.ICO)))]
    if group == "people":
        if ctx.subject_channel == "public":
            return [("", d.draft_public_notice(ctx, template(DraftKind.PUBLIC_NOTICE)))]
        return [
            ("", d.draft_people_notice(ctx, template(kind), channel))
            for kind, channel in (
                (DraftKind.PEOPLE_LETTER, "letter"),
                (DraftKind.PEOPLE_EMAIL, "email"),
            )
        ]
    if group == "processors":
        drafts = d.draft_processor_notices(ctx, template(DraftKind.PROCESSOR))
        partners = [c for c in ctx.contacts if c.kind in ("processor", "partner")]
        return [(c.id, draft) for c, draft in zip(partners, drafts, strict=True)]
    if group == "controllers":
        drafts = d.draft_controller_notices(ctx, template(DraftKind.CONTROLLER))
        return list(zip(ctx.controllers, drafts, strict=True))
    return [("", d.draft_staff_summary(ctx, template(DraftKind.STAFF)))]


def templates(profile: Profile, instance_path: Path) -> Callable[[DraftKind], str]:
    """Look up a kind's template: the instance's override for the profile wins."""
    return lambda kind: find_template(kind, instance_path, profile.id)


def _current_ico(docs: list[DraftDoc]) -> list[DraftDoc]:
    return docs[-1:]  # the latest report: the follow-up once one is started


def new_doc(incident, key: str, draft: Draft, ctx: DraftContext, actor) -> DraftDoc:
    """Add a draft with its first version, made from ``ctx``; the caller commits."""
    doc = DraftDoc(
        incident=incident,
        kind=draft.kind.value,
        recipient_key=key,
        recipient=draft.recipient,
        title=draft.title,
        report_kind=ctx.report_kind,
        created_at=utcnow(),
        created_by_id=actor.id if actor else None,
    )
    doc.versions.append(_version(1, draft, ctx, actor, "Made from the template."))
    db.session.add(doc)
    return doc


def _version(number: int, draft: Draft, ctx, actor, note: str) -> DraftVersion:
    return DraftVersion(
        number=number,
        subject=draft.subject,
        body_markdown=draft.body_markdown,
        note=note,
        context=context_to_json(ctx) if isinstance(ctx, DraftContext) else ctx,
        created_at=utcnow(),
        created_by_id=actor.id if actor else None,
    )


def edit(doc: DraftDoc, subject: str, body: str, note: str, actor: User) -> DraftVersion:
    """Save an edit as the next version; approved and sent versions stay as they were."""
    subject, body = " ".join(subject.split()), body.strip() + "\n"
    if not subject:
        raise DraftError("subject", "Give the message a subject or heading.")
    if not body.strip():
        raise DraftError("body", "The message cannot be empty.")
    for field, text in (("subject", subject), ("body", body)):
        if "{{" in text or "}}" in text:
            raise DraftError(field, PLACEHOLDER_MESSAGE)
    last = doc.current
    if subject == last.subject and body == last.body_markdown:
        raise DraftError("body", "Nothing has changed since the last version.")
    draft = replace(as_draft(doc), subject=subject, body_markdown=body)
    version = _version(last.number + 1, draft, last.context, actor, note.strip() or "Edited.")
    doc.versions.append(version)
    after = " after it was sent" if last.state is DraftState.SENT else ""
    audit.record(
        doc.incident, actor, "draft-edited", f"{doc.title}: version {version.number}{after}"
    )
    db.session.commit()
    return version


def rebuild(doc: DraftDoc, profile: Profile, actor: User, *, instance_path: Path) -> DraftVersion:
    """Make the next version afresh from the templates and the incident as it now stands."""
    ctx = build_context(doc.incident, profile)
    if doc.kind == DraftKind.ICO.value and doc.report_kind == "follow-up":
        previous = context_from_json(doc.current.context)
        ctx = replace(
            ctx,
            report_kind="follow-up",
            ico_case_reference=previous.ico_case_reference,
            previous=previous.previous,
        )
    template = templates(profile, instance_path)
    fresh = [draft for key, draft in _all_drafts(doc, ctx, template) if key == doc.recipient_key]
    if not fresh:
        raise DraftError("body", "This recipient is no longer involved: edit the text instead.")
    version = _version(doc.current.number + 1, fresh[0], ctx, actor, "Rebuilt from the incident.")
    doc.versions.append(version)
    audit.record(doc.incident, actor, "draft-rebuilt", f"{doc.title}: version {version.number}")
    db.session.commit()
    return version


def _all_drafts(doc: DraftDoc, ctx: DraftContext, template: Callable[[DraftKind], str]):
    kind = DraftKind(doc.kind)
    if kind is DraftKind.ICO:
        return [(doc.recipient_key, d.draft_ico_report(ctx, template(kind)))]
    if kind in (DraftKind.PEOPLE_LETTER, DraftKind.PEOPLE_EMAIL):
        channel = "letter" if kind is DraftKind.PEOPLE_LETTER else "email"
        return [("", d.draft_people_notice(ctx, template(kind), channel))]
    if kind is DraftKind.PUBLIC_NOTICE:
        return [("", d.draft_public_notice(ctx, template(kind)))]
    group = {DraftKind.PROCESSOR: "processors", DraftKind.CONTROLLER: "controllers"}
    return _drafts_of(group.get(kind, "staff"), ctx, template, {})


def add_controller(
    incident: Incident, profile: Profile, name: str, actor: User, *, instance_path: Path
) -> DraftDoc:
    """Draft a notice to one more controller by name (UK GDPR Art. 33(2))."""
    name = " ".join(name.split())
    if not name:
        raise DraftError("name", "Give the controller's name, such as the dental practice.")
    if len(name) > 200:
        raise DraftError("name", "Keep the name under 200 characters.")
    if db.session.scalar(
        select(DraftDoc.id).where(
            DraftDoc.incident_id == incident.id,
            DraftDoc.kind == DraftKind.CONTROLLER.value,
            DraftDoc.recipient_key == name,
        )
    ):
        raise DraftError("name", "There is already a notice to that controller.")
    ctx = replace(build_context(incident, profile), controllers=(name,))
    draft = d.draft_controller_notices(
        ctx, templates(profile, instance_path)(DraftKind.CONTROLLER)
    )[0]
    doc = new_doc(incident, name, draft, ctx, actor)
    audit.record(incident, actor, "drafts-made", f"Drafted: {doc.title}")
    db.session.commit()
    return doc


def as_draft(doc: DraftDoc, version: DraftVersion | None = None) -> Draft:
    """A stored version as the domain's Draft, for exports and mail merge."""
    version = version or doc.current
    return Draft(
        kind=DraftKind(doc.kind),
        title=doc.title,
        subject=version.subject,
        body_markdown=version.body_markdown,
        recipient=doc.recipient,
    )


#: Longest plain summary for the people: a few short paragraphs.
PEOPLE_SUMMARY_LIMIT = 3000


def people_summary(incident: Incident) -> str:
    """What the notices to people say happened: the DPO's plain words, else the report's."""
    return incident.people_summary or incident.description


def set_people_summary(incident: Incident, text: str, actor: User) -> None:
    """Keep the DPO's plain-words account of what happened for the notices to people.

    UK GDPR Art. 34(2) asks for clear and plain language; the reporter's first words rarely
    are. Drafts made or rebuilt after this use it. Commits.
    """
    text = "\n".join(line.strip() for line in text.strip().splitlines())
    if not text:
        raise DraftError("people_summary", "Say what happened, in a sentence or two.")
    if len(text) > PEOPLE_SUMMARY_LIMIT:
        raise DraftError("people_summary", f"Keep it under {PEOPLE_SUMMARY_LIMIT} characters.")
    if "{{" in text or "}}" in text:
        raise DraftError("people_summary", PLACEHOLDER_MESSAGE)
    if text == incident.people_summary:
        raise DraftError("people_summary", "Nothing has changed.")
    incident.people_summary = text
    audit.record(incident, actor, "people-summary", "What happened, in plain words for the people")
    db.session.commit()
