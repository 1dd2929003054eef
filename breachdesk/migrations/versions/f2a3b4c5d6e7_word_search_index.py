"""Words searched through an index: FTS5 trigrams on SQLite, pg_trgm on PostgreSQL

Revision ID: f2a3b4c5d6e7
Revises: a9b8c7d6e5f4
Create Date: 2026-11-29 09:00:00.000000

"""
from alembic import op

from breachdesk.models import derived

# revision identifiers, used by Alembic.
revision = 'f2a3b4c5d6e7'
down_revision = 'a9b8c7d6e5f4'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    dialect = connection.dialect.name
    for statement in [*derived.SEARCH[dialect], *derived.FILL_SEARCH[dialect]]:
        connection.exec_driver_sql(statement)


def downgrade():
    connection = op.get_bind()
    for statement in derived.DROP_SEARCH[connection.dialect.name]:
        connection.exec_driver_sql(statement)
