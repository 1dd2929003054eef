"""A counter row per year, so concurrent reports never take the same reference

Revision ID: b7c41e09d2a5
Revises: 5c1e0b7d2f90
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b7c41e09d2a5'
down_revision = '5c1e0b7d2f90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_incident_counter'))
    )
    # Start each year's counter at the highest number already given out.
    op.execute(
        'INSERT INTO incident_counter (year, last_number) '
        'SELECT year, MAX(number) FROM incident GROUP BY year'
    )


def downgrade():
    op.drop_table('incident_counter')
