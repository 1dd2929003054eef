"""The reports folded into an incident are found through an index

Revision ID: a7c3e5f9b1d2
Revises: f2a3b4c5d6e7
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e5f9b1d2'
down_revision = 'f2a3b4c5d6e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_incident_duplicate_of_id'), 'incident', ['duplicate_of_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_incident_duplicate_of_id'), table_name='incident')
