"""What is done once when breachdesk starts to serve: settle the evidence folder.

Run by ``breachdesk serve`` before its workers start and by ``breachdesk.wsgi``; a sweep
never touches a file another process is saving (see services.evidence_storage).
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from breachdesk.extensions import db
from breachdesk.services import findings
from breachdesk.services.evidence_storage import EvidenceFolder
from breachdesk.services.evidence_storage import sweep_orphans

log = logging.getLogger(__name__)


def sweep_evidence(app: Flask) -> str:
    """Settle what a crash left in the evidence folder; return the line that says so."""
    folder = EvidenceFolder.from_config(app.config).path
    with app.app_context():
        try:
            swept = sweep_orphans(folder, findings.recorded_evidence)
        except SQLAlchemyError:  # no tables yet: `breachdesk db upgrade` has not run
            line = f"Evidence folder {folder} not checked: the database is not ready."
            log.warning(line)
            return line
        finally:
            db.session.remove()
    line = (
        f"Evidence folder checked: {swept.removed} file(s) with no record removed, "
        f"{swept.recovered} interrupted save(s) completed."
    )
    log.log(logging.WARNING if swept.removed or swept.recovered else logging.INFO, line)
    return line
