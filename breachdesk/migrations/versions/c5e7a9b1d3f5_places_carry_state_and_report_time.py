"""Places carry their incident's state and report time, for the register by place and state

Revision ID: c5e7a9b1d3f5
Revises: b8d4f6a0c2e3
Create Date: 2026-11-29 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from breachdesk.models import derived

# revision identifiers, used by Alembic.
revision = 'c5e7a9b1d3f5'
down_revision = 'b8d4f6a0c2e3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('incident_asset', sa.Column('status', sa.String(length=32), nullable=True))
    op.add_column('incident_asset', sa.Column('reported_at', sa.DateTime(), nullable=True))
    connection = op.get_bind()
    dialect = connection.dialect.name
    for statement in [*derived.FILL_PLACE_COPIES[dialect], *derived.PLACE_COPIES[dialect]]:
        connection.exec_driver_sql(statement)
    op.create_index(
        'ix_incident_asset_register', 'incident_asset',
        ['asset_id', 'status', 'reported_at', 'incident_id'], unique=False,
    )
    # The new index begins with the place: the place's own index is no longer needed.
    op.drop_index('ix_incident_asset_asset', table_name='incident_asset')


def downgrade():
    connection = op.get_bind()
    for statement in derived.DROP_PLACE_COPIES[connection.dialect.name]:
        connection.exec_driver_sql(statement)
    op.create_index('ix_incident_asset_asset', 'incident_asset', ['asset_id', 'incident_id'], unique=False)
    op.drop_index('ix_incident_asset_register', table_name='incident_asset')
    op.drop_column('incident_asset', 'reported_at')
    op.drop_column('incident_asset', 'status')
