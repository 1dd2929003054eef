"""The whole register as a download, streamed: the response starts before the last row is read."""

from __future__ import annotations

from flask import Response
from flask import stream_with_context

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.services import register_export
from breachdesk.services import register_formats
from breachdesk.timeutil import utcnow
from breachdesk.web.exports import bp
from breachdesk.web.security import role_required


@bp.route("/register.csv")
@role_required(Role.DPO)
def register_csv():
    records = register_export.iter_records(get_profile(), utcnow())
    return _download(register_formats.export_csv(records), "text/csv", "breach-register.csv")


@bp.route("/register.json")
@role_required(Role.DPO)
def register_json():
    profile, now = get_profile(), utcnow()
    header = register_export.export_header(profile, now)
    chunks = register_formats.export_json(register_export.iter_records(profile, now), header)
    return _download(chunks, "application/json", "breach-register.json")


def _download(chunks, mimetype: str, filename: str) -> Response:
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
