"""A register filtered by state is read in its order through an index

Revision ID: b8d4f6a0c2e3
Revises: a7c3e5f9b1d2
Create Date: 2026-11-29 11:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8d4f6a0c2e3'
down_revision = 'a7c3e5f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_incident_status_reported', 'incident', ['status', 'reported_at', 'id'], unique=False
    )
    # The new index begins with the state: the state's own index is no longer needed.
    op.drop_index('ix_incident_status', table_name='incident')


def downgrade():
    op.create_index('ix_incident_status', 'incident', ['status'], unique=False)
    op.drop_index('ix_incident_status_reported', table_name='incident')
