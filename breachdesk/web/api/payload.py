"""The JSON the API accepts and returns: strict parsing with errors that name the field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any

from breachdesk.domain import clock
from breachdesk.domain.date_limits import EARLIEST_WORDS
from breachdesk.domain.date_limits import within_range
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.models import Finding
from breachdesk.models import Incident
from breachdesk.services.findings import FindingInput

TEXT_FIELDS = ("summary", "systems_affected", "backups_state")
FINDING_FIELDS = (
    *TEXT_FIELDS,
    "exfiltration",
    "encrypted",
    "key_safe",
    "window_start",
    "window_end",
    "indicators",
    "proposals",
)
INSTANT_EXAMPLE = "2026-11-20T09:15:00+00:00"


class PayloadError(ValueError):
    """A request body the API cannot use; the message names the problem."""


def _refuse_constant(name: str) -> Any:
    raise PayloadError(f"The body is not valid JSON: {name} is not allowed.")


def parse_body(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or PayloadError saying what is wrong and where."""
    if not raw.strip():
        raise PayloadError("The body is empty: send the finding as a JSON object.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError("The body is not UTF-8 text.") from None
    try:
        body = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise PayloadError(
            f"The body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except PayloadError:
        raise
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise PayloadError("The body has a number too long to be a count or a date.") from None
    except RecursionError:
        raise PayloadError(f"The body is nested deeper than {MAX_DEPTH} levels.") from None
    if not isinstance(body, dict):
        raise PayloadError('The body must be a JSON object, like {"summary": "..."}.')
    _check_values(body)
    return body


#: A finding is at most an object of lists or objects: anything deeper is not one.
MAX_DEPTH = 8


def _check_values(body: Any) -> None:
    """Refuse nesting, NUL characters and lone surrogates that JSON allows but the database
    cannot store (a surrogate is half of a character, not text)."""
    pending = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise PayloadError(f"The body is nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise PayloadError("The body contains a NUL character (\\u0000): remove it.")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise PayloadError(
                    "The body contains a lone surrogate such as \\ud800, which is not text."
                ) from None


def finding_from_json(body: Mapping[str, Any]) -> tuple[FindingInput, dict[str, Any]]:
    """A FindingInput and the explicit proposals from a JSON object, strictly checked."""
    unknown = sorted(set(body) - set(FINDING_FIELDS))
    if unknown:
        raise PayloadError(
            f"{unknown[0]}: is not a known field. Known fields: {', '.join(FINDING_FIELDS)}."
        )
    if "summary" not in body:
        raise PayloadError("summary: is required.")
    values: dict[str, Any] = {name: _text(body, name) for name in TEXT_FIELDS if name in body}
    if "exfiltration" in body:
        values["exfiltration"] = _exfiltration(body["exfiltration"])
    for name in ("encrypted", "key_safe"):
        values[name] = _maybe_bool(name, body.get(name))
    for name in ("window_start", "window_end"):
        values[name] = _instant(name, body.get(name))
    if "indicators" in body:
        values["indicators"] = _indicators(body["indicators"])
    return FindingInput(**values), _proposals(body.get("proposals"))


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body[name]
    if not isinstance(value, str):
        raise PayloadError(f"{name}: must be text (a JSON string).")
    return value


def _exfiltration(value: Any) -> Exfiltration:
    try:
        return Exfiltration(value)
    except ValueError:
        allowed = ", ".join(e.value for e in Exfiltration)
        raise PayloadError(f"exfiltration: must be one of {allowed}.") from None


def _maybe_bool(name: str, value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise PayloadError(f"{name}: must be true, false or null (not known).")
    return value


def _instant(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    message = f"{name}: must be an ISO 8601 date-time with a UTC offset, like {INSTANT_EXAMPLE}."
    if not isinstance(value, str):
        raise PayloadError(message)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise PayloadError(message) from None
    if parsed.utcoffset() is None:
        raise PayloadError(message)
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
        instant = None
    if instant is None or not within_range(instant):
        raise PayloadError(f"{name}: give a date from {EARLIEST_WORDS} to now, not {value}.")
    return instant


def _indicators(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    raise PayloadError("indicators: must be text or a list of texts (IPs, hashes, file names).")


def _proposals(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(
            'proposals: must be an object of fact: value, like {"cause": "malicious"}.'
        )
    return dict(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


#: Incidents per page of the API's list: by default, and at most.
DEFAULT_LIMIT = 50
MOST_PER_PAGE = 200


def page_limit(value: str | None) -> int:
    """The ``limit`` query parameter: how many incidents a page holds."""
    if value is None:
        return DEFAULT_LIMIT
    digits = value.isascii() and value.isdigit() and len(value) <= len(str(MOST_PER_PAGE))
    if not digits or not 1 <= int(value) <= MOST_PER_PAGE:
        raise PayloadError(f"limit must be a whole number from 1 to {MOST_PER_PAGE}.")
    return int(value)


def incident_json(incident: Incident) -> dict[str, Any]:
    """What a tool needs to know of an incident to post findings to it, and no more."""
    return {
        "reference": incident.reference,
        "status": incident.status.value,
        "assets": incident.asset_ids,
        "aware_at": _iso(incident.aware_at),
        "ico_deadline": _iso(clock.ico_deadline(incident.aware_at)),
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding with its evidence (names and SHA-256) and its proposals' states."""
    return {
        "id": finding.id,
        "created_at": _iso(finding.created_at),
        "author": finding.author.display_name,
        "source": finding.source,
        "summary": finding.summary,
        "systems_affected": finding.systems_affected,
        "exfiltration": finding.exfiltration.value,
        "encrypted": finding.encrypted,
        "key_safe": finding.key_safe,
        "backups_state": finding.backups_state,
        "window_start": _iso(finding.window_start),
        "window_end": _iso(finding.window_end),
        "indicators": finding.indicators,
        "evidence": [
            {"id": e.id, "name": e.original_name, "size": e.size, "sha256": e.sha256}
            for e in finding.evidence
        ],
        "proposals": [
            {
                "id": p.id,
                "field": p.field,
                "value": p.value,
                "state": p.state.value,
                "decided_at": _iso(p.decided_at),
            }
            for p in finding.proposals
        ],
    }
