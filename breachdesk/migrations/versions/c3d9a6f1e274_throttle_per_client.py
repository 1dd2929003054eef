"""Sign-in throttle keyed by username and client, and by client alone

Revision ID: c3d9a6f1e274
Revises: 8b51f3c07a2e
Create Date: 2026-11-29 05:45:00.000000

"""
from alembic import op
import sqlalchemy as sa
import breachdesk.models.base

# revision identifiers, used by Alembic.
revision = 'c3d9a6f1e274'
down_revision = '8b51f3c07a2e'
branch_labels = None
depends_on = None


def upgrade():
    # Throttle rows only count recent failures: starting afresh loses nothing worth keeping.
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', breachdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_failure_at', breachdesk.models.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade():
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', breachdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_failure_at', breachdesk.models.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle'))
    )
