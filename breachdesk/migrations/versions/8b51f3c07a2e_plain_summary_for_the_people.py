"""What happened, in plain words for the people told

Revision ID: 8b51f3c07a2e
Revises: 7d3a9c21e4b6
Create Date: 2026-11-29 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b51f3c07a2e'
down_revision = '7d3a9c21e4b6'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER, not batch mode: on SQLite a table copy would cascade away every step.
    op.add_column(
        'incident', sa.Column('people_summary', sa.Text(), server_default='', nullable=False)
    )


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE incident DROP COLUMN people_summary')
        return
    op.drop_column('incident', 'people_summary')
