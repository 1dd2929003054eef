"""The layout of a playbook file: its '---' metadata block, phases and step sections.

Metadata is read by Python-Markdown's ``meta`` extension (so the file stays ordinary
Markdown); the phase and step structure is read from the raw lines, keeping line numbers
so that every problem can point at the line to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

import markdown

#: Incident-response phases, in the order they are worked (NCSC and ICO incident guidance).
PHASES = ("Contain", "Assess", "Notify", "Recover", "Learn lessons")
META_FIELDS = ("id", "title", "assets", "version")

#: Called with a line number and a message for each problem found.
Reporter = Callable[[int, str], None]

# The same patterns as markdown.extensions.meta, so a line we accept is a line it reads.
_META_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_PHASE_HEADING = re.compile(r"^##(?!#)\s*(.*?)[\s#]*$")
_STEP_HEADING = re.compile(r"^###(?!#)\s*(.*?)[\s#]*$")
_PHASE_LIST = ", ".join(PHASES[:-1]) + " or " + PHASES[-1]
_PHASE_NAMES = {phase.lower(): phase for phase in PHASES}


@dataclass
class StepSection:
    """The raw lines under one '### step-id: Title' heading (scratch, before checking)."""

    heading: str
    line: int
    phase: str
    lines: list[tuple[int, str]] = field(default_factory=list)


def read_metadata(
    lines: list[str], report: Reporter
) -> tuple[dict[str, list[str]], dict[str, int], int]:
    """Read the '---' block: (values by field, line of each field, index of the first body line)."""
    end = _header_end(lines, report)
    kept: list[str] = []
    field_lines: dict[str, int] = {}
    for number, line in enumerate(lines[:end], start=1):
        if _is_meta_line(number, line, end, field_lines, report):
            kept.append(line)
    reader = markdown.Markdown(extensions=["meta"])
    reader.convert("\n".join(kept))
    meta: dict[str, list[str]] = getattr(reader, "Meta", {})
    return {k: v for k, v in meta.items() if k in META_FIELDS}, field_lines, end


def split_sections(lines: list[str], start: int, report: Reporter) -> tuple[str, list[StepSection]]:
    """Split the body into the introduction and one section per step heading."""
    intro: list[str] = []
    sections: list[StepSection] = []
    current: StepSection | None = None
    phase = ""
    in_fence = False
    for number, line in enumerate(lines[start:], start=start + 1):
        in_fence = in_fence != bool(_FENCE.match(line))
        heading = None if in_fence else _PHASE_HEADING.match(line)
        step = None if in_fence else _STEP_HEADING.match(line)
        if heading:
            phase, current = _read_phase(heading[1], number, report), None
        elif step:
            if not phase:
                report(number, "step comes before any phase heading such as '## Contain'")
            current = StepSection(step[1], number, phase)
            sections.append(current)
        elif current is not None:
            current.lines.append((number, line))
        elif not phase:
            intro.append(line)
        elif line.strip():
            report(number, "text under a phase heading must belong to a step: move it")
    return "\n".join(intro).strip("\n"), sections


def _header_end(lines: list[str], report: Reporter) -> int:
    """Index of the first line after the closing '---' (0 if there is no block)."""
    if not lines or lines[0].strip() != "---":
        report(1, "the file must start with '---', then id, title, assets, version, then '---'")
        return 0
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    report(1, "the '---' block that starts here is never closed with '---'")
    return len(lines)


def _is_meta_line(
    number: int, line: str, end: int, field_lines: dict[str, int], report: Reporter
) -> bool:
    """Whether the meta extension should see this line; report the ones it should not."""
    if number == 1 or number == end or _META_MORE.match(line):
        return True
    match = _META_KEY.match(line)
    if not line.strip():
        # The meta extension stops at a blank line, which would hide the fields after it.
        report(number, "blank line inside the '---' block: remove it")
    elif match is None:
        report(number, "expected 'field: value' (id, title, assets or version)")
    elif (key := match["key"].lower()) not in META_FIELDS:
        report(number, f"unknown field '{match['key']}' (use id, title, assets or version)")
    elif key in field_lines:
        report(number, f"'{key}' is given twice (first on line {field_lines[key]})")
    else:
        field_lines[key] = number
        return True
    return False


def _read_phase(name: str, number: int, report: Reporter) -> str:
    phase = _PHASE_NAMES.get(name.strip().lower())
    if phase is None:
        report(number, f"unknown phase '{name}' (use {_PHASE_LIST})")
        return name.strip() or "?"
    return phase
