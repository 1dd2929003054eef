"""Awareness kept once, on the incident: drop the copy from the stored facts

Revision ID: 7d3a9c21e4b6
Revises: cb0cf02a61b6
Create Date: 2026-11-27 10:00:00.000000

"""
import json
from datetime import timezone

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7d3a9c21e4b6'
down_revision = 'cb0cf02a61b6'
branch_labels = None
depends_on = None

facts_table = sa.table(
    "incident_facts",
    sa.column("incident_id", sa.Integer()),
    sa.column("facts", sa.JSON()),
)
incident_table = sa.table(
    "incident",
    sa.column("id", sa.Integer()),
    sa.column("aware_at", sa.DateTime()),
)


def upgrade():
    # The incident's aware_at is the one moment of awareness; the facts no longer copy it.
    bind = op.get_bind()
    for incident_id, facts in bind.execute(sa.select(facts_table)).all():
        facts = json.loads(facts) if isinstance(facts, str) else facts
        if isinstance(facts, dict) and "became_aware_at" in facts:
            kept = {k: v for k, v in facts.items() if k != "became_aware_at"}
            bind.execute(
                facts_table.update()
                .where(facts_table.c.incident_id == incident_id)
                .values(facts=kept)
            )


def downgrade():
    # Put the copy back from the incident, as the facts held it before.
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(facts_table.c.incident_id, facts_table.c.facts, incident_table.c.aware_at)
        .join(incident_table, incident_table.c.id == facts_table.c.incident_id)
    ).all()
    for incident_id, facts, aware_at in rows:
        facts = json.loads(facts) if isinstance(facts, str) else facts
        if isinstance(facts, dict) and aware_at is not None:
            moment = aware_at.replace(tzinfo=timezone.utc).isoformat()  # stored as naive UTC
            bind.execute(
                facts_table.update()
                .where(facts_table.c.incident_id == incident_id)
                .values(facts={**facts, "became_aware_at": moment})
            )
