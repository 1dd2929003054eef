"""The timeline as files: Markdown to read or attach, CSV for a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC

from breachdesk.domain.clock import format_local
from breachdesk.models import Incident
from breachdesk.services.timeline import TimelineEntry

#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_HEADER = ("time_uk", "time_utc", "category", "kind", "summary", "detail", "by")


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text, never runs: a leading quote defuses a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def timeline_csv(entries: Iterable[TimelineEntry]) -> str:
    """One row per entry: UK time with its zone, the same instant in ISO UTC, and the text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for e in entries:
        row = (
            format_local(e.at),
            e.at.astimezone(UTC).isoformat(),
            e.label,
            e.kind,
            e.summary,
            e.detail,
            e.actor,
        )
        writer.writerow([safe_cell(str(cell)) for cell in row])
    return out.getvalue()


def timeline_markdown(incident: Incident, entries: Iterable[TimelineEntry]) -> str:
    """A readable record: one line per entry, times in UK time with GMT or BST."""
    lines = [
        f"# Timeline of {incident.reference}",
        "",
        "Times are UK time (Europe/London), marked GMT or BST.",
        "",
    ]
    for e in entries:
        who = f" ({_md(e.actor)})" if e.actor else ""
        lines.append(f"- **{format_local(e.at)}** · {e.label} · {_md(e.summary)}{who}")
        if e.detail:
            lines.append(f"  - {_md(e.detail)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """One line, with the characters Markdown would act on escaped."""
    flat = " ".join(text.split())
    return "".join(f"\\{ch}" if ch in "\\`*_[]<>#|" else ch for ch in flat)


def attachment(name: str) -> dict[str, str]:
    """Headers that make the browser save the file rather than show it."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}
