"""`breachdesk db ...`: the schema migrations (upgrade, downgrade, current) from Flask-Migrate.

A full or read-only disk met while migrating is one line and exit status 1, not a traceback.
"""

from __future__ import annotations

from flask_migrate.cli import db as migrate_commands

from breachdesk.cli.guards import guarded
from breachdesk.cli.guards import storage_faults_in_one_line

db = guarded(migrate_commands, storage_faults_in_one_line)

__all__ = ["db"]
