"""`breachdesk db ...`: the schema migrations (upgrade, downgrade, current) from Flask-Migrate."""

from __future__ import annotations

from flask_migrate.cli import db

__all__ = ["db"]
