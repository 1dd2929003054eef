"""The audit trail becomes one hash chain covering incidents, users and tokens

Revision ID: b7c1d2e3f4a5
Revises: c3d9a6f1e274
Create Date: 2026-11-27 09:00:00

Every existing incident event is copied into the chain in the order it was written, with
its hash computed here, so the trail already kept is covered from its first event.
"""
from alembic import op
import sqlalchemy as sa
import breachdesk.models.base
from breachdesk.domain.audit_chain import GENESIS
from breachdesk.domain.audit_chain import event_hash

# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = 'c3d9a6f1e274'
branch_labels = None
depends_on = None


def upgrade():
    audit_event = op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', breachdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_audit_event_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_event_seq'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_incident_id'), ['incident_id'], unique=False)

    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    _copy_events_into_chain(audit_event)

    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_event_incident_id'))
    op.drop_table('incident_event')


def _copy_events_into_chain(audit_event):
    old = sa.table(
        'incident_event',
        sa.column('id', sa.Integer()),
        sa.column('incident_id', sa.Integer()),
        sa.column('at', breachdesk.models.base.UTCDateTime()),
        sa.column('actor_id', sa.Integer()),
        sa.column('kind', sa.String()),
        sa.column('summary', sa.Text()),
        sa.column('details', sa.JSON()),
    )
    bind = op.get_bind()
    prev_hash, rows = GENESIS, []
    for seq, row in enumerate(bind.execute(sa.select(old).order_by(old.c.id)), start=1):
        content = dict(
            at=row.at, actor_id=row.actor_id, incident_id=row.incident_id, subject='incident',
            subject_id=row.incident_id, kind=row.kind, summary=row.summary,
            details=row.details or {}, before=None, after=None,
        )
        digest = event_hash(prev_hash, content)
        rows.append({**content, 'id': row.id, 'seq': seq, 'prev_hash': prev_hash, 'hash': digest})
        prev_hash = digest
    if rows:
        op.bulk_insert(audit_event, rows)
        op.bulk_insert(
            sa.table('audit_chain_head', sa.column('id'), sa.column('seq'), sa.column('hash')),
            [{'id': 1, 'seq': len(rows), 'hash': prev_hash}],
        )


def downgrade():
    op.create_table('incident_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('at', breachdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_incident_event_actor_id_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_event_incident_id_incident'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_event'))
    )
    with op.batch_alter_table('incident_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_event_incident_id'), ['incident_id'], unique=False)
    op.execute(
        'INSERT INTO incident_event (id, incident_id, at, actor_id, kind, summary, details) '
        'SELECT id, incident_id, at, actor_id, kind, summary, details FROM audit_event '
        'WHERE incident_id IS NOT NULL'
    )
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_incident_id'))
    op.drop_table('audit_event')
