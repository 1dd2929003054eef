"""Many realistic demo incidents at once, for trying the desk at the size of years of work.

``seed(n)`` adds ``n`` incidents over the demo users: every asset and every state, three in
four open, ages spread over three years, each with its playbook's steps (done as far as its
age and state say), its history, a decision and a notice where its state has them, findings
from IT on some, and the reminders already sent. The stored clock columns and each
incident's next reminder time are computed as the services would, so the desk is in the
steady state the reminder sweep would leave it in.

Rows are written in bulk straight to the database (COPY on PostgreSQL, executemany on
SQLite), a batch per transaction: through the ORM, 100,000 incidents with their million
steps would take an hour. The values are put in the form each column stores once per
column, not tested cell by cell; on PostgreSQL each playbook's 12 kB snapshot is compressed
with lz4 where the server has it (pglz took most of the time), and the planner's statistics
are refreshed at the end, so the first pages served are planned for the rows now there.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from operator import itemgetter
from types import SimpleNamespace

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from breachdesk.domain.playbooks import merge_checklists
from breachdesk.domain.playbooks import playbook_to_dict
from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from breachdesk.models.base import UTCDateTime
from breachdesk.services import audit
from breachdesk.services.checklists.library import PlaybookLibrary
from breachdesk.services.checklists.runs import playbooks_for
from breachdesk.services.clocks import ClockInputs
from breachdesk.services.reminders.plan import CLOCK_RECIPIENTS
from breachdesk.services.reminders.plan import open_clocks_of
from breachdesk.services.reminders.plan import reminders_of
from breachdesk.services.reminders.plan import step_reminder
from breachdesk.services.stored_clocks import stored_values
from breachdesk.timeutil import LONDON

BATCH = 2000
THREE_YEARS_HOURS = 3 * 365 * 24
#: Incidents younger than this still have open steps; older ones were worked through.
WORKING_DAYS = 7

# Three in four open: (status, weight out of 100).
STATES = (
    (IncidentStatus.CLOSED, 25),
    (IncidentStatus.REPORTED, 15),
    (IncidentStatus.TRIAGE, 20),
    (IncidentStatus.ASSESSED, 10),
    (IncidentStatus.NOTIFIED, 20),
    (IncidentStatus.NOT_NOTIFIABLE, 10),
)

WHAT_HAPPENED = (
    "A ransom note on the {asset} screen; files will not open.",
    "An email with patient details went to the wrong practice from {asset}.",
    "A parcel for one practice was delivered to another; {asset} involved.",
    "Someone signed in to {asset} from abroad overnight and exported records.",
    "Paper forms from {asset} were found in the recycling bin outside.",
    "A laptop with access to {asset} was left on a train.",
)


@dataclass(frozen=True)
class _Playbook:
    """One asset's playbook, ready to copy: the run's row and its steps' rows."""

    playbook_id: str
    version: str
    title: str
    snapshot: str
    steps: tuple  # (step, owning playbook id)


def seed(n: int, profile: Profile, library: PlaybookLibrary, now: datetime, rng_seed: int = 13):
    """Add ``n`` incidents over the demo users (load the demo first); return how many."""
    users = {u.username: u.id for u in db.session.scalars(select(User))}
    if "dpo" not in users:
        raise LookupError("load the demo first: its users report and work these incidents")
    # Where one person handles the data (Sunray Vision), the DPO reports; with no IT
    # contractor, nobody from IT is at work on the incidents.
    users.setdefault("sam", users["dpo"])
    rng = random.Random(rng_seed)  # noqa: S311 - demo data, repeatable, not a secret
    playbooks = {asset: _playbook(asset, library, profile) for asset in _assets(profile)}
    first_id = (db.session.scalar(select(func.max(Incident.id))) or 0) + 1
    numbers = _next_numbers()
    for start in range(0, n, BATCH):
        tables = _Tables()
        for incident_id in range(first_id + start, first_id + min(n, start + BATCH)):
            _incident(tables, incident_id, rng, now, users, playbooks, profile, numbers)
        # One transaction a batch: the history joins the audit chain, link by link, under
        # the head's lock, taken again for each batch.
        tables.chain(audit.locked_head())
        writer = _writer()
        tables.write(writer)
        writer.finish()
        db.session.commit()
    _refresh_statistics()
    return n


def _assets(profile: Profile) -> list[str]:
    return [*profile.asset_ids, NOT_SURE_ASSET]


def _playbook(asset: str, library: PlaybookLibrary, profile: Profile) -> _Playbook:
    (playbook,) = playbooks_for(SimpleNamespace(asset_ids=[asset]), library, profile)[:1]
    steps = tuple(
        (step, playbook.id)
        for step in merge_checklists([playbook], profile.promises, profile.acts_as)
    )
    snapshot = json.dumps(playbook_to_dict(playbook))
    return _Playbook(playbook.id, playbook.version, playbook.title, snapshot, steps)


def _next_numbers() -> dict[int, int]:
    query = select(Incident.year, func.max(Incident.number)).group_by(Incident.year)
    return {year: number for year, number in db.session.execute(query)}


class _Tables:
    """The rows of one batch, table by table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {}

    def add(self, table: str, **row) -> None:
        self.rows.setdefault(table, []).append(row)

    def chain(self, head) -> None:
        """Give the history rows their place and hash in the audit chain, in order."""
        rows = [audit.linked(head, row) for row in self.rows.get("audit_event", [])]
        # The raw writers store JSON as text, as the JSON columns do.
        self.rows["audit_event"] = [
            row | {name: json.dumps(row[name]) for name in ("details", "before", "after")}
            for row in rows
        ]

    def write(self, writer) -> None:
        # Parents first: the foreign keys hold at every step.
        for table in ("incident", "incident_asset", "incident_assignment", "playbook_run",
                      "checklist_item", "assessment", "notice_record", "finding",
                      "audit_event", "reminder"):  # fmt: skip
            if self.rows.get(table):
                writer.write(table, self.rows[table])


def _incident(tables, incident_id, rng, now, users, playbooks, profile, numbers) -> None:
    status = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
    aware = now - timedelta(hours=rng.uniform(0.2, THREE_YEARS_HOURS))
    aware = aware.replace(microsecond=0)
    reported = aware + timedelta(minutes=10)
    year = reported.astimezone(LONDON).year
    numbers[year] = numbers.get(year, 0) + 1
    asset = rng.choice(list(playbooks))
    closed_at = min(aware + timedelta(days=5), now) if status is IncidentStatus.CLOSED else None
    reference = f"BD-{year}-{numbers[year]:04d}"
    decision = _decision(tables, incident_id, status, aware, now, users, rng)
    ico_told = _notice(tables, incident_id, status, decision, aware, now, users)
    inputs = ClockInputs(
        incident_id=incident_id,
        aware_at=aware,
        status=status,
        closed_at=closed_at,
        notify_ico=decision["notify_ico"] if decision else None,
        notify_people=decision["notify_people"] if decision else None,
        decided_at=decision["decided_at"] if decision else None,
        first_tell_people_at=decision["decided_at"]
        if decision and decision["notify_people"] == "yes"
        else None,
        ico_told_at=ico_told,
    )
    working = now - aware < timedelta(days=WORKING_DAYS) and status is not IncidentStatus.CLOSED
    open_steps = _steps(tables, incident_id, playbooks[asset], reported, working, status, users)
    reminders_next = _reminders(tables, inputs, reference, open_steps, profile, now)
    description = rng.choice(WHAT_HAPPENED).format(asset=profile.asset_name(asset).lower())
    tables.add(
        "incident",
        id=incident_id,
        year=year,
        number=numbers[year],
        reference=reference,
        reporter_id=users["sam"],
        status=status.value,
        description=description,
        occurred_at=None,
        noticed_at=aware,
        reported_at=reported,
        data_categories=json.dumps(["basic_identity", "health"]),
        data_notes="",
        people_count=rng.randint(1, 5000),
        ongoing="no",
        others_aware="",
        aware_at=aware,
        closed_at=closed_at,
        next_reminder_at=reminders_next,
        **stored_values(inputs, profile.people_notice_hours),
    )
    tables.add("incident_asset", incident_id=incident_id, asset_id=asset, position=0)
    _history(tables, incident_id, status, reported, users)
    at_work = status in (IncidentStatus.TRIAGE, IncidentStatus.ASSESSED) and incident_id % 3 == 0
    if at_work and "reliant" in users:
        _it_at_work(tables, incident_id, reported, users)


def _decision(tables, incident_id, status, aware, now, users, rng) -> dict | None:
    if status in (IncidentStatus.REPORTED, IncidentStatus.TRIAGE):
        return None
    notify = status in (IncidentStatus.ASSESSED, IncidentStatus.NOTIFIED) or (
        status is IncidentStatus.CLOSED and rng.random() < 0.4
    )
    people = "yes" if notify and rng.random() < 0.3 else "no"
    decided = min(aware + timedelta(hours=30), now)
    row = {
        "incident_id": incident_id,
        "decided_at": decided,
        "decided_by_id": users["dpo"],
        "facts": "{}",
        "recommendation": json.dumps({"reasons": [{"text": "Demo decision.", "ref": "Art. 33"}]}),
        "engine_version": "demo",
        "risk": "high" if people == "yes" else ("medium" if notify else "unlikely"),
        "notify_ico": notify,
        "notify_people": people,
        "notify_controller": False,
        "differs_from_recommendation": False,
        "override_reason": None,
        "notes": "",
    }
    tables.add("assessment", **row)
    return row


def _notice(tables, incident_id, status, decision, aware, now, users) -> datetime | None:
    if not decision or not decision["notify_ico"] or status is IncidentStatus.ASSESSED:
        return None
    told = min(aware + timedelta(hours=48), now)
    tables.add(
        "notice_record",
        incident_id=incident_id,
        audience="ico",
        told_at=told,
        reference=f"ICO-{incident_id:07d}",
        channel="ICO online form",
        recipient="ICO",
        delay_reasons=None,
        recorded_by_id=users["dpo"],
        recorded_at=told,
        draft_id=None,
    )
    return told


def _steps(tables, incident_id, playbook: _Playbook, started, working, status, users) -> list:
    """The checklist: open while the incident is being worked, else done; the open ones."""
    tables.add(
        "playbook_run",
        incident_id=incident_id,
        playbook_id=playbook.playbook_id,
        version=playbook.version,
        title=playbook.title,
        snapshot=playbook.snapshot,
        started_at=started,
    )
    still_open = []
    for position, (step, owner) in enumerate(playbook.steps):
        due = None if step.within is None else started + step.within
        done = not working or (status is IncidentStatus.TRIAGE and step.phase == "Contain")
        tables.add(
            "checklist_item",
            incident_id=incident_id,
            playbook_id=owner,
            step_id=step.id,
            position=position,
            phase=step.phase,
            title=step.title,
            role=step.role.value,
            within_minutes=None if step.within is None else int(step.within.total_seconds()) // 60,
            record=step.record,
            body_markdown=step.body_markdown,
            started_at=started,
            due_at=due,
            state="done" if done else "open",
            state_changed_at=started + timedelta(minutes=5 * (position + 1)) if done else None,
            state_changed_by_id=users["dpo"] if done else None,
            skip_reason=None,
        )
        if not done and due is not None:
            still_open.append(step_reminder(incident_id, step.id, step.title, step.role, due))
    return still_open


def _reminders(tables, inputs, reference, open_steps, profile, now) -> datetime | None:
    """The reminders already sent, as the sweep would have sent them; the next one's time."""
    if inputs.status is IncidentStatus.CLOSED:
        return None
    open_clocks = open_clocks_of(reference, inputs, now, profile.people_notice_hours)
    due, next_at = reminders_of(inputs.incident_id, open_clocks, open_steps, profile.reminders, now)
    for reminder in due:
        tables.add(
            "reminder",
            incident_id=inputs.incident_id,
            key=reminder.key,
            kind=reminder.kind,
            label=reminder.label,
            recipient=reminder.recipient,
            due_at=reminder.due_at,
            created_at=reminder.due_at,
            claimed_at=reminder.due_at,
            sent_at=reminder.due_at,
            sent_to="dpo@demo" if reminder.recipient == CLOCK_RECIPIENTS else "it@demo",
            late=False,
            skipped_reason=None,
        )
    return next_at


def _history(tables, incident_id, status, reported, users) -> None:
    lines = [(users["sam"], "reported", "Suspected breach reported")]
    if status is not IncidentStatus.REPORTED:
        lines.append((users["dpo"], "status-changed", f"Status Reported -> {status.label}"))
    for n, (actor, kind, summary) in enumerate(lines):
        tables.add(
            "audit_event",
            incident_id=incident_id,
            at=reported + timedelta(minutes=n),
            actor_id=actor,
            kind=kind,
            summary=summary,
            details={},
        )


def _it_at_work(tables, incident_id, reported, users) -> None:
    tables.add(
        "incident_assignment",
        incident_id=incident_id,
        user_id=users["reliant"],
        assigned_at=reported,
        assigned_by_id=users["dpo"],
    )
    tables.add(
        "finding",
        incident_id=incident_id,
        author_id=users["reliant"],
        created_at=reported + timedelta(hours=2),
        source="web",
        summary="Checked the server logs; no sign the data left the network.",
        systems_affected="",
        exfiltration="ruled_out",
        encrypted=None,
        key_safe=None,
        backups_state="",
        window_start=None,
        window_end=None,
        indicators="",
    )


# -- writing --------------------------------------------------------------------------


def _writer():
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return _CopyWriter(connection)
    return _ExecuteManyWriter(connection)


def _refresh_statistics() -> None:
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _naive_utc(value: datetime) -> datetime:
    return (value if value.tzinfo is UTC else value.astimezone(UTC)).replace(tzinfo=None)


def _stored_instant(value: datetime) -> str:
    """SQLAlchemy's own format on SQLite, microseconds always: the sweep compares these."""
    if value.tzinfo is UTC:  # the zone's "+00:00" cut off: quicker than a naive copy
        return value.isoformat(" ", "microseconds")[:26]
    return _naive_utc(value).isoformat(" ", "microseconds")


def _table_rows(table: str, rows: list[dict], instant) -> tuple[list[str], Iterator[list]]:
    """The columns and each row's values in that order, ``instant`` applied to date-times.

    Which columns hold instants is read once from the model, not tested cell by cell.
    """
    columns = list(rows[0])
    types = db.metadata.tables[table].c
    instants = [i for i, name in enumerate(columns) if isinstance(types[name].type, UTCDateTime)]
    values_of = itemgetter(*columns)

    def values() -> Iterator[list]:
        for row in rows:
            values = list(values_of(row))
            for i in instants:
                if values[i] is not None:
                    values[i] = instant(values[i])
            yield values

    return columns, values()


class _ExecuteManyWriter:
    """SQLite: one executemany per table and batch, values as SQLAlchemy stores them."""

    def __init__(self, connection) -> None:
        self.cursor = connection.connection.driver_connection.cursor()

    def write(self, table: str, rows: list[dict]) -> None:
        columns, values = _table_rows(table, rows, _stored_instant)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        self.cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)  # noqa: S608 - our own table and column names

    def finish(self) -> None:
        self.cursor.close()


class _CopyWriter:
    """PostgreSQL: COPY per table and batch, then the id sequences moved past our ids."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.raw = connection.connection.driver_connection
        # The playbook snapshots are large: lz4 compresses them several times faster than
        # the default pglz. For this transaction only, where the server was built with it.
        lz4 = connection.execute(
            text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            )
        ).scalar()
        if lz4:
            connection.execute(text("SET LOCAL default_toast_compression = 'lz4'"))

    def write(self, table: str, rows: list[dict]) -> None:
        columns, values = _table_rows(table, rows, _naive_utc)
        names = ", ".join(f'"{c}"' for c in columns)
        with (
            self.raw.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
        ):
            for row in values:
                copy.write_row(row)

    def finish(self) -> None:
        self.connection.execute(
            text("SELECT setval(pg_get_serial_sequence('incident', 'id'), max(id)) FROM incident")
        )
