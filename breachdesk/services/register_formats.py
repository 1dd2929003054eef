"""The register's records written as CSV or JSON, a chunk of text at a time.

Both are generators of strings, so a download streams and a file is written as it is read:
100,000 incidents never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from breachdesk.domain import clock

#: CSV headings, in the order an auditor reads a register line.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "Reference"),
    ("status", "Status"),
    ("reported_at", "Reported"),
    ("occurred_at", "Happened"),
    ("aware_at", "Became aware"),
    ("ico_deadline", "ICO deadline"),
    ("assets", "Where"),
    ("what_happened", "What happened"),
    ("data_categories", "Data"),
    ("data_notes", "About the data"),
    ("people_affected", "People affected (approx.)"),
    ("risk", "Risk"),
    ("notify_ico", "Tell the ICO"),
    ("notify_people", "Tell the people"),
    ("notify_controller", "Tell the controller"),
    ("decision_reasons", "Reasons"),
    ("departs_from_recommendation_because", "Reason for departing from the recommendation"),
    ("decided_by", "Decided by"),
    ("decided_at", "Decided"),
    ("notices", "Notices sent"),
    ("late", "Late"),
    ("delay_reasons", "Reasons for delay"),
    ("remedial_action", "Remedial action"),
    ("duplicate_of", "Duplicate of"),
    ("closed_at", "Closed"),
    ("closing_summary", "Closing summary"),
    ("lessons_learnt", "Lessons learnt"),
)

_TIMES = frozenset(
    {"reported_at", "occurred_at", "aware_at", "ico_deadline", "decided_at", "closed_at"}
)
_YES_NO = frozenset({"notify_ico", "notify_controller", "late"})


def export_csv(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A header line, then one line per record; times in UK time with their zone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for _, heading in CSV_COLUMNS])
    yield _drain(buffer)
    for record in records:
        writer.writerow([_cell(key, record.get(key)) for key, _ in CSV_COLUMNS])
        yield _drain(buffer)


def export_json(records: Iterable[dict[str, Any]], header: dict[str, Any]) -> Iterator[str]:
    """One JSON object: ``header``'s fields, then ``incidents`` as an array, written as read."""
    yield "{\n"
    for key, value in header.items():
        yield f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    yield ' "incidents": ['
    first = True
    for record in records:
        yield ("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in _TIMES:
        return clock.format_local(datetime.fromisoformat(value))
    if key in _YES_NO:
        return "yes" if value else "no"
    if key == "notices":
        return "; ".join(_notice_text(n) for n in value)
    if isinstance(value, list):
        return _safe("; ".join(str(v) for v in value))
    return _safe(str(value))


def _notice_text(notice: dict[str, Any]) -> str:
    told = clock.format_local(datetime.fromisoformat(notice["told_at"]))
    text = f"{notice['audience']}"
    if notice.get("to"):
        text += f" ({notice['to']})"
    text += f" told {told}"
    if notice.get("channel"):
        text += f" by {notice['channel']}"
    if notice.get("reference"):
        text += f", ref. {notice['reference']}"
    return _safe(text)


def _safe(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
