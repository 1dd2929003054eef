"""The tally of incidents per state, kept by triggers; an index from place to incidents

Revision ID: e8f1a2b3c4d5
Revises: d4e5f6a7b8c9
Create Date: 2026-11-29 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from breachdesk.models import derived

# revision identifiers, used by Alembic.
revision = 'e8f1a2b3c4d5'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None

STATUSES = ('reported', 'triage', 'assessed', 'notified', 'not_notifiable', 'closed')


def upgrade():
    op.create_table('incident_tally',
    sa.Column('status', sa.Enum(*STATUSES, name='incidentstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('clocks_stopped', sa.Boolean(), nullable=False),
    sa.Column('incidents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('status', 'clocks_stopped', name=op.f('pk_incident_tally'))
    )
    op.create_index('ix_incident_asset_asset', 'incident_asset', ['asset_id', 'incident_id'], unique=False)
    connection = op.get_bind()
    # Counted before the triggers exist, in the same transaction: nothing is counted twice.
    connection.exec_driver_sql(derived.FILL_TALLY)
    for statement in derived.TALLY[connection.dialect.name]:
        connection.exec_driver_sql(statement)


def downgrade():
    connection = op.get_bind()
    for statement in derived.DROP_TALLY[connection.dialect.name]:
        connection.exec_driver_sql(statement)
    op.drop_index('ix_incident_asset_asset', table_name='incident_asset')
    op.drop_table('incident_tally')
