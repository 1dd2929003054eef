"""What kind of breach the reporter saw

Revision ID: 911c2e61acc2
Revises: b7c41e09d2a5
Create Date: 2026-11-29 04:55:22.674766

Existing incidents did not say, so they read "not sure", which keeps every staff step.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '911c2e61acc2'
down_revision = 'b7c41e09d2a5'
branch_labels = None
depends_on = None

SITUATIONS = ('wrong-recipient', 'lost', 'stolen', 'attack', 'unavailable', 'not-sure')


def upgrade():
    # A plain ALTER, not batch mode: on SQLite batch mode copies the table and drops the old
    # one, and with foreign keys on, the drop would cascade to every step, decision and notice.
    # SQLite cannot add a CHECK constraint to an existing table without that copy, so there
    # the column is plain text; the app only ever writes the enum's values.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    situation = sa.String(20) if sqlite else sa.Enum(
        *SITUATIONS, name='situation', native_enum=False, create_constraint=True, length=20
    )
    op.add_column(
        'incident',
        sa.Column('situation', situation, server_default='not-sure', nullable=False),
    )


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite 3.35 and later drop a column with no constraint in place, with no copy.
        op.execute('ALTER TABLE incident DROP COLUMN situation')
        return
    op.drop_constraint(op.f('ck_incident_situation'), 'incident', type_='check')
    op.drop_column('incident', 'situation')
