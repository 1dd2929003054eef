"""The register of one place is read newest first from the place's own index

Revision ID: d6f8b0c2e4a6
Revises: c5e7a9b1d3f5
Create Date: 2026-11-29 15:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd6f8b0c2e4a6'
down_revision = 'c5e7a9b1d3f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_incident_asset_newest', 'incident_asset',
        ['asset_id', 'reported_at', 'incident_id'], unique=False,
    )


def downgrade():
    op.drop_index('ix_incident_asset_newest', table_name='incident_asset')
