"""When the DPO was alerted to an email whose sending is not known to have finished

Revision ID: f1a2b3c4d5e6
Revises: e8f1a2b3c4d5
Create Date: 2026-11-29 14:00:00

"""
from alembic import op
import sqlalchemy as sa
import breachdesk.models.base

# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e8f1a2b3c4d5'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: no table copy on SQLite.
    op.add_column('outbox_message', sa.Column('check_alerted_at', breachdesk.models.base.UTCDateTime(), nullable=True))


def downgrade():
    op.drop_column('outbox_message', 'check_alerted_at')
