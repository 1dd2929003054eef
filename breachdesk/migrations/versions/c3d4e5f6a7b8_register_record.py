"""The register's record: closing summary, lessons learnt, duplicates and the original report

Revision ID: c3d4e5f6a7b8
Revises: b7c1d2e3f4a5
Create Date: 2026-11-27 11:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b8'
down_revision = 'b7c1d2e3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs: on SQLite, rebuilding the incident table would fire the cascades of
    # every table that refers to it and empty them.
    op.add_column('incident', sa.Column('closing_summary', sa.Text(), nullable=True))
    op.add_column('incident', sa.Column('lessons_learnt', sa.Text(), nullable=True))
    op.add_column('incident', sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
    op.add_column('incident', sa.Column('original_report', sa.JSON(), nullable=True))


def downgrade():
    for column in ('original_report', 'duplicate_of_id', 'lessons_learnt', 'closing_summary'):
        op.drop_column('incident', column)
