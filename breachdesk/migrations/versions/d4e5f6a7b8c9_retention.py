"""Retention: when an incident's personal data was removed, and which evidence files went

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-11-29 06:00:00

"""
from alembic import op
import sqlalchemy as sa
import breachdesk.models.base

# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs: a table copy on SQLite would cascade away every step and finding.
    op.add_column('incident', sa.Column('personal_data_removed_at', breachdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('evidence_file', sa.Column('removed_at', breachdesk.models.base.UTCDateTime(), nullable=True))


def downgrade():
    op.drop_column('evidence_file', 'removed_at')
    op.drop_column('incident', 'personal_data_removed_at')
