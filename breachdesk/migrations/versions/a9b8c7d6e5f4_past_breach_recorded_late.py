"""A past breach recorded late: when, and the DPO's reason

Revision ID: a9b8c7d6e5f4
Revises: f1a2b3c4d5e6
Create Date: 2026-11-29 15:00:00

"""
from alembic import op
import sqlalchemy as sa
import breachdesk.models.base

# revision identifiers, used by Alembic.
revision = 'a9b8c7d6e5f4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs: on SQLite, rebuilding the incident table would fire the cascades of
    # every table that refers to it and empty them.
    op.add_column('incident', sa.Column('recorded_late_at', breachdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('incident', sa.Column('recorded_late_reason', sa.Text(), nullable=True))


def downgrade():
    for column in ('recorded_late_reason', 'recorded_late_at'):
        op.drop_column('incident', column)
