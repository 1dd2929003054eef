"""Playbooks run on an incident: the frozen checklist, its steps' states, and progress.

When an incident opens, each asset's playbook is copied into a PlaybookRun and its steps
into ChecklistItem rows. From then on the checklist is read from those rows only, so a
later edit of a playbook file never rewrites what an incident was asked to do: the record
of the response is part of the documentation UK GDPR Art. 33(5) requires.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from breachdesk.domain.clock import is_step_overdue
from breachdesk.domain.playbooks import Playbook
from breachdesk.domain.playbooks import first_steps
from breachdesk.domain.playbooks import merge_checklists
from breachdesk.domain.playbooks import playbook_from_dict
from breachdesk.domain.playbooks import playbook_to_dict
from breachdesk.domain.profile import GENERAL_PLAYBOOK
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import SITUATION_LABELS
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation
from breachdesk.extensions import db
from breachdesk.models import ChecklistItem
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import Notification
from breachdesk.models import PlaybookRun
from breachdesk.models import StepState
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.services.checklists.library import PlaybookLibrary
from breachdesk.services.checklists.steps import backfill_done
from breachdesk.services.incident_rows import rows_of
from breachdesk.timeutil import utcnow


@dataclass(frozen=True)
class Progress:
    """How far an incident's checklist has got."""

    done: int = 0
    skipped: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def finished(self) -> int:
        return self.done + self.skipped

    @property
    def open(self) -> int:
        return self.total - self.finished

    @property
    def words(self) -> str:
        """E.g. "7 of 12 steps done (1 skipped)"."""
        text = f"{self.finished} of {self.total} steps done"
        return f"{text} ({self.skipped} skipped)" if self.skipped else text


# -- starting ---------------------------------------------------------------------------


def playbooks_for(incident: Incident, library: PlaybookLibrary, profile: Profile) -> list[Playbook]:
    """The playbook the profile names for each asset, each once, in the report's order."""
    return playbooks_for_assets(incident.asset_ids, library, profile)


def playbooks_for_assets(
    asset_ids: Iterable[str], library: PlaybookLibrary, profile: Profile
) -> list[Playbook]:
    """The playbook the profile names for each asset id, each once, in the given order."""
    found: dict[str, Playbook] = {}
    for asset_id in asset_ids:
        try:
            playbook_id = profile.playbook_for(asset_id)
        except KeyError:
            playbook_id = GENERAL_PLAYBOOK  # an asset since removed from the profile
        playbook = library.get(playbook_id) or library.for_asset(asset_id)
        playbook = playbook or library.get(GENERAL_PLAYBOOK)
        if playbook is None:
            raise LookupError(f"no playbook {playbook_id!r} for asset {asset_id!r}")
        found.setdefault(playbook.id, playbook)
    if not found and (general := library.get(GENERAL_PLAYBOOK)):
        found[general.id] = general
    return list(found.values())


def add_checklists(
    incident: Incident, library: PlaybookLibrary, profile: Profile
) -> list[ChecklistItem]:
    """Copy the playbooks in force into the incident, without committing; idempotent.

    Runs and steps already there are kept as they are: only what is missing is added.
    """
    db.session.flush()
    runs = {run.playbook_id: run for run in _runs(incident.id)}
    for playbook in playbooks_for(incident, library, profile):
        if playbook.id not in runs:
            runs[playbook.id] = _new_run(incident, playbook)
    have = {item.step_id for item in checklist(incident)}
    snapshots = [playbook_from_dict(run.snapshot) for run in runs.values()]
    owner = {step.id: pb.id for pb in reversed(snapshots) for step in pb.steps}
    situation = incident.situation or Situation.NOT_SURE
    first = {step.id for pb in snapshots for step in first_steps(pb, Role.STAFF, situation)}
    for position, step in enumerate(merge_checklists(snapshots, profile.promises, profile.acts_as)):
        if step.id in have:
            continue
        item = ChecklistItem(
            incident_id=incident.id,
            playbook_id=owner[step.id],
            step_id=step.id,
            position=position,
            phase=step.phase,
            title=step.title,
            role=step.role,
            within_minutes=_minutes(step.within),
            record=step.record,
            body_markdown=step.body_markdown,
            started_at=incident.reported_at,
        )
        db.session.add(item)
        if step.role is Role.STAFF and step.id not in first:
            _skip_for_situation(incident, item, situation)
    db.session.flush()
    return checklist(incident)


def _skip_for_situation(incident: Incident, item: ChecklistItem, situation: Situation) -> None:
    """A staff step written for another kind of breach starts as skipped, with the reason.

    The reporter was not asked to do it, so it must not wait as "to do"; the DPO can
    reopen it if the breach turns out to be of that kind after all.
    """
    reason = f"Not for this kind of breach. The report says: {SITUATION_LABELS[situation]}."
    item.state = StepState.SKIPPED
    item.state_changed_at = incident.reported_at
    item.skip_reason = reason
    db.session.flush()
    audit.record(
        incident,
        None,
        "step-skipped",
        f"Step skipped: {item.title}",
        at=incident.reported_at,
        reason=reason,
        item_id=item.id,
        step_id=item.step_id,
        role=item.role.value,
    )


def _minutes(within: timedelta | None) -> int | None:
    return None if within is None else int(within.total_seconds()) // 60


def start_checklists(
    incident: Incident, library: PlaybookLibrary, profile: Profile
) -> list[ChecklistItem]:
    """Start the incident's checklists and commit; running it twice adds nothing."""
    try:
        items = add_checklists(incident, library, profile)
        db.session.commit()
    except IntegrityError:
        # Another request started them at the same moment: theirs stand.
        db.session.rollback()
        items = checklist(incident)
    return items


def report_start_failure(incident: Incident) -> None:
    """Tell every DPO in the app that the incident has no checklist yet."""
    db.session.rollback()
    for dpo in accounts.users_with_role(Role.DPO):
        db.session.add(
            Notification(
                user_id=dpo.id,
                incident_id=incident.id,
                message=f"The checklist for {incident.reference} could not be started. "
                "Open the incident to start it.",
            )
        )
    audit.record(incident, None, "checklist-failed", "The checklist could not be started")
    db.session.commit()


def _runs(incident_id: int) -> list[PlaybookRun]:
    query = select(PlaybookRun).where(PlaybookRun.incident_id == incident_id)
    return list(db.session.scalars(query.order_by(PlaybookRun.id)))


def _new_run(incident: Incident, playbook: Playbook) -> PlaybookRun:
    run = PlaybookRun(
        incident_id=incident.id,
        playbook_id=playbook.id,
        version=playbook.version,
        title=playbook.title,
        snapshot=playbook_to_dict(playbook),
        started_at=incident.reported_at,
    )
    db.session.add(run)
    return run


# -- reading ----------------------------------------------------------------------------


def checklist(
    incident: Incident, role: Role | None = None, with_notes: bool = False
) -> list[ChecklistItem]:
    """The incident's steps in order; only ``role``'s steps when one is given.

    ``with_notes`` loads every step's notes in one more query, for pages that show them.
    """
    if with_notes:
        query = select(ChecklistItem).where(ChecklistItem.incident_id == incident.id)
        if role is not None:
            query = query.where(ChecklistItem.role == role)
        query = query.options(selectinload(ChecklistItem.notes))
        return list(db.session.scalars(query.order_by(ChecklistItem.position, ChecklistItem.id)))
    # Without notes, the steps the incident page reads in more than one place: read once.
    steps = rows_of(ChecklistItem, incident.id)
    mine = [step for step in steps if role is None or step.role == role]
    return sorted(mine, key=lambda step: (step.position, step.id))


def runs(incident: Incident) -> list[PlaybookRun]:
    """The playbook versions copied into the incident."""
    return _runs(incident.id)


def steps_visible_to(
    user: User, incident: Incident, with_notes: bool = False
) -> list[ChecklistItem] | None:
    """The steps ``user`` may see, or None.

    All of them for the DPO; the technical ("it") steps for IT assigned to the incident;
    the staff steps for the person who reported it, who was told to do them first.
    """
    if user.has_role(Role.DPO):
        return checklist(incident, with_notes=with_notes)
    if user.has_role(Role.IT) and user.id in incident.assigned_user_ids():
        return checklist(incident, Role.IT, with_notes=with_notes)
    if incident.reporter_id == user.id:
        return checklist(incident, Role.STAFF)
    return None


def sees_staff_steps_only(user: User, incident: Incident) -> bool:
    """True for a reporter who neither runs the response nor works its technical steps."""
    works_it = user.has_role(Role.IT) and user.id in incident.assigned_user_ids()
    return not user.has_role(Role.DPO) and not works_it


def find_item(incident: Incident, item_id: int) -> ChecklistItem | None:
    """The step with this id if it belongs to ``incident``."""
    item = db.session.get(ChecklistItem, item_id)
    return item if item is not None and item.incident_id == incident.id else None


def item_within(item: ChecklistItem) -> timedelta | None:
    """The step's "how soon", or None when it has no limit."""
    return None if item.within_minutes is None else timedelta(minutes=item.within_minutes)


def item_due_at(item: ChecklistItem) -> datetime | None:
    """When the step is due, from its "how soon", or None when it has no limit."""
    within = item_within(item)
    return None if within is None else item.started_at + within


def item_is_overdue(item: ChecklistItem, now: datetime) -> bool:
    """Open and past its "how soon"."""
    return _overdue(now, item.started_at, item.within_minutes, item.state)


def _overdue(now: datetime, started: datetime, minutes: int | None, state: StepState) -> bool:
    within = None if minutes is None else timedelta(minutes=minutes)
    return is_step_overdue(now, started, within, done=state is not StepState.OPEN)


def progress(items: Iterable[ChecklistItem], now: datetime) -> Progress:
    """Progress of the given steps."""
    rows = [(i.state, i.started_at, i.within_minutes) for i in items]
    return _count(rows, now)


def progress_for(
    incidents: Iterable[Incident], now: datetime | None = None, role: Role | None = None
) -> dict[int, Progress]:
    """Progress of a page of incidents, counted by the database in one query; zero for none."""
    now = now or utcnow()
    ids = [incident.id for incident in incidents]
    if not ids:
        return {}
    state = ChecklistItem.state
    overdue = and_(state == StepState.OPEN, ChecklistItem.due_at < now)
    query = (
        select(
            ChecklistItem.incident_id,
            func.count(),
            _how_many(state == StepState.DONE),
            _how_many(state == StepState.SKIPPED),
            _how_many(overdue),
        )
        .where(ChecklistItem.incident_id.in_(ids))
        .group_by(ChecklistItem.incident_id)
    )
    if role is not None:
        query = query.where(ChecklistItem.role == role)
    found = {incident_id: Progress() for incident_id in ids}
    for incident_id, total, done, skipped, late in db.session.execute(query):
        found[incident_id] = Progress(done=done, skipped=skipped, total=total, overdue=late)
    return found


def _how_many(condition):
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): a count within a GROUP BY."""
    return func.sum(case((condition, 1), else_=0))


def _count(rows: list[tuple[StepState, datetime, int | None]], now: datetime) -> Progress:
    return Progress(
        done=sum(1 for state, _, _ in rows if state is StepState.DONE),
        skipped=sum(1 for state, _, _ in rows if state is StepState.SKIPPED),
        total=len(rows),
        overdue=sum(1 for state, at, minutes in rows if _overdue(now, at, minutes, state)),
    )


def add_demo_checklist(
    incident: Incident, library: PlaybookLibrary, profile: Profile, dpo: User
) -> None:
    """The demo's checklist: all done when closed, containment done in triage, else fresh."""
    items = add_checklists(incident, library, profile)
    if incident.status is IncidentStatus.CLOSED:
        finished = [item for item in items if item.state is StepState.OPEN]
    elif incident.status is IncidentStatus.TRIAGE:
        finished = [i for i in items if i.phase == "Contain" and i.state is StepState.OPEN]
    else:
        return
    it_user = next((a.user for a in incident.assignments), None)
    start = incident.reported_at + timedelta(minutes=5)
    actors = {Role.STAFF: incident.reporter, Role.IT: it_user or dpo, Role.DPO: dpo}
    for n, item in enumerate(finished):
        backfill_done(incident, [item], actors[item.role], start + timedelta(minutes=10 * n))
