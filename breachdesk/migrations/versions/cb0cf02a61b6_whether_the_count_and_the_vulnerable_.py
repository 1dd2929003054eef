"""Whether the count and the vulnerable answer still stand on the profile

Revision ID: cb0cf02a61b6
Revises: 911c2e61acc2
Create Date: 2026-11-29 06:01:40.607023

Existing incidents keep their facts as they are, so both flags start false: nothing is
newly called an estimate or "to follow" in drafts already written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb0cf02a61b6'
down_revision = '911c2e61acc2'
branch_labels = None
depends_on = None

COLUMNS = ('count_estimated', 'vulnerable_unasked')


def upgrade():
    # Plain ALTERs, not batch mode: on SQLite batch mode copies the table and drops the old
    # one, and with foreign keys on, the drop would cascade.
    for name in COLUMNS:
        op.add_column(
            'incident_facts',
            sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False),
        )


def downgrade():
    for name in reversed(COLUMNS):
        if op.get_bind().dialect.name == 'sqlite':
            # SQLite 3.35 and later drop a column with no constraint in place, with no copy.
            op.execute(f'ALTER TABLE incident_facts DROP COLUMN {name}')
        else:
            op.drop_column('incident_facts', name)
