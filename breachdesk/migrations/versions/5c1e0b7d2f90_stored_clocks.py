"""Stored clock columns for lists a page at a time, and the sweep's next-due time

Revision ID: 5c1e0b7d2f90
Revises: aaad6ec14537
Create Date: 2026-11-27 09:00:00

Existing incidents get the ICO deadline (72 hours from awareness), a stopped clock when the
status says so, the decision in force, and a mark for the reminder sweep, whose first pass
recomputes the stored clocks exactly (the people's clock needs the organisation's profile).
Steps get their due time from their start and their "how soon".
"""
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from alembic import op
import sqlalchemy as sa
import breachdesk.models.base

# revision identifiers, used by Alembic.
revision = '5c1e0b7d2f90'
down_revision = 'aaad6ec14537'
branch_labels = None
depends_on = None

RECHECK = datetime(2000, 1, 1, tzinfo=UTC)
STOPPED_STATUSES = ('closed', 'notified', 'not_notifiable')
BATCH = 1000

incident = sa.table(
    'incident',
    sa.column('id', sa.Integer),
    sa.column('aware_at', breachdesk.models.base.UTCDateTime),
    sa.column('status', sa.String),
    sa.column('deadline_at', breachdesk.models.base.UTCDateTime),
    sa.column('clocks_stopped', sa.Boolean),
    sa.column('notify_ico', sa.Boolean),
    sa.column('next_reminder_at', breachdesk.models.base.UTCDateTime),
)
assessment = sa.table(
    'assessment',
    sa.column('id', sa.Integer),
    sa.column('incident_id', sa.Integer),
    sa.column('decided_at', breachdesk.models.base.UTCDateTime),
    sa.column('notify_ico', sa.Boolean),
)
step = sa.table(
    'checklist_item',
    sa.column('id', sa.Integer),
    sa.column('started_at', breachdesk.models.base.UTCDateTime),
    sa.column('within_minutes', sa.Integer),
    sa.column('due_at', breachdesk.models.base.UTCDateTime),
)


def upgrade():
    # Columns are only added, never altered: on SQLite, altering means copying the table and
    # dropping the old one, and with foreign keys on, the drop would cascade to every step,
    # decision and notice. So the NOT NULL columns come with a default for the existing rows.
    # Plain ALTERs, not batch mode, which copies the table on SQLite.
    op.add_column('incident', sa.Column('deadline_at', breachdesk.models.base.UTCDateTime(), nullable=False, server_default=sa.text("'2000-01-01 00:00:00'")))
    op.add_column('incident', sa.Column('clocks_stopped', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('incident', sa.Column('notify_ico', sa.Boolean(), nullable=True))
    op.add_column('incident', sa.Column('next_reminder_at', breachdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('checklist_item', sa.Column('due_at', breachdesk.models.base.UTCDateTime(), nullable=True))

    bind = op.get_bind()
    _fill_incidents(bind)
    _fill_steps(bind)
    if bind.dialect.name != 'sqlite':  # SQLite cannot drop a default without a copy
        op.alter_column('incident', 'deadline_at', server_default=None)
        op.alter_column('incident', 'clocks_stopped', server_default=None)

    op.create_index('ix_incident_urgency', 'incident', ['clocks_stopped', 'deadline_at', 'id'], unique=False)
    op.create_index('ix_incident_reported', 'incident', ['reported_at', 'id'], unique=False)
    op.create_index(op.f('ix_incident_next_reminder_at'), 'incident', ['next_reminder_at'], unique=False)


def _fill_incidents(bind) -> None:
    decided = {}
    query = sa.select(assessment.c.incident_id, assessment.c.notify_ico).order_by(
        assessment.c.decided_at, assessment.c.id
    )
    for incident_id, notify_ico in bind.execute(query):
        decided[incident_id] = notify_ico  # the last one is in force
    rows = bind.execute(sa.select(incident.c.id, incident.c.aware_at, incident.c.status)).all()
    values = [
        {
            'row_id': row.id,
            'deadline_at': row.aware_at + timedelta(hours=72),
            'clocks_stopped': row.status in STOPPED_STATUSES,
            'notify_ico': decided.get(row.id),
            'next_reminder_at': RECHECK,
        }
        for row in rows
    ]
    statement = (
        incident.update()
        .where(incident.c.id == sa.bindparam('row_id'))
        .values(
            deadline_at=sa.bindparam('deadline_at'),
            clocks_stopped=sa.bindparam('clocks_stopped'),
            notify_ico=sa.bindparam('notify_ico'),
            next_reminder_at=sa.bindparam('next_reminder_at'),
        )
    )
    for start in range(0, len(values), BATCH):
        bind.execute(statement, values[start : start + BATCH])


def _fill_steps(bind) -> None:
    query = sa.select(step.c.id, step.c.started_at, step.c.within_minutes).where(
        step.c.within_minutes.is_not(None)
    )
    values = [
        {'row_id': row.id, 'due_at': row.started_at + timedelta(minutes=row.within_minutes)}
        for row in bind.execute(query)
    ]
    statement = (
        step.update()
        .where(step.c.id == sa.bindparam('row_id'))
        .values(due_at=sa.bindparam('due_at'))
    )
    for start in range(0, len(values), BATCH):
        bind.execute(statement, values[start : start + BATCH])


def downgrade():
    op.drop_index(op.f('ix_incident_next_reminder_at'), table_name='incident')
    op.drop_index('ix_incident_reported', table_name='incident')
    op.drop_index('ix_incident_urgency', table_name='incident')
    for name in ('next_reminder_at', 'notify_ico', 'clocks_stopped', 'deadline_at'):
        op.drop_column('incident', name)
    op.drop_column('checklist_item', 'due_at')
