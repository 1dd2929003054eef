"""Playbooks: the step-by-step response to a breach on one kind of asset.

A playbook is a Markdown file that the DPO can edit (the format is described in
``playbooks/README.md``). This module turns its text into frozen dataclasses, collecting
every problem with its line number, and never renders HTML: ``breachdesk.rendering`` does
that, so the domain stays pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any
from typing import TypeVar

from breachdesk.domain.playbook_text import PHASES
from breachdesk.domain.playbook_text import Reporter
from breachdesk.domain.playbook_text import StepSection
from breachdesk.domain.playbook_text import read_metadata
from breachdesk.domain.playbook_text import split_sections
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import Promise
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VERSION = re.compile(r"^\d+(?:\.\d+)*$")
_WITHIN = re.compile(r"^(\d+)\s+(minute|minutes|hour|hours|day|days)$", re.IGNORECASE)
_UNITS = {"minute": "minutes", "hour": "hours", "day": "days"}
_FIELD = re.compile(r"^[-*+]\s+([A-Za-z]+)\s*:\s*(.*?)\s*$")
_STEP_FIELDS = ("who", "within", "record", "notice", "when", "promise", "as")
_SITUATIONS = ", ".join(s.value for s in Situation if s is not Situation.NOT_SURE)
_FIELD_NAMES = "Who, Within, Record, Notice, When, Promise or As"
_ROLES = "staff, dpo or it"
_WITHIN_HELP = "use e.g. 15 minutes, 1 hour, 4 hours, 1 day or 72 hours, or leave the line out"

_Choice = TypeVar("_Choice", bound=StrEnum)

#: Version of the dictionary written by ``playbook_to_dict``.
SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a playbook file, at a line a DPO can find."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        # Line 0 means the problem is with the whole file or directory, not one line.
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Step:
    """One thing to do, by one role, possibly within a time limit."""

    id: str
    title: str
    role: Role
    within: timedelta | None
    record: str
    body_markdown: str
    phase: str
    line: int
    # One past-tense sentence for the people affected: Art. 34(2) asks for the measures
    # taken "in clear and plain language", which a step's instruction to staff is not.
    notice: str = ""
    # The situations a staff step is for; empty means every situation.
    when: tuple[Situation, ...] = ()
    # The promise the step keeps: it is on a checklist only where the profile makes it.
    promise: Promise | None = None
    # The role the step is for: "processor" (telling the controllers) is on a checklist only
    # where the profile holds some data for others.
    acting_as: ActingAs | None = None

    def fits(self, situation: Situation) -> bool:
        """Whether the step is for this situation ("not sure" fits every step)."""
        return not self.when or situation is Situation.NOT_SURE or situation in self.when


@dataclass(frozen=True)
class Playbook:
    """The response to a breach on the assets it lists, as one version of its file."""

    id: str
    title: str
    version: str
    assets: tuple[str, ...]
    intro_markdown: str
    steps: tuple[Step, ...]
    source: str


def parse_playbook(text: str, source: str) -> tuple[Playbook | None, list[Problem]]:
    """Parse one playbook file; return it, or None and every problem found (by line)."""
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(source, line, message))

    lines = text.splitlines()
    meta, meta_lines, body_start = read_metadata(lines, report)
    header = _read_header(meta, meta_lines, report)
    intro, sections = split_sections(lines, body_start, report)
    steps = _read_steps(sections, report)
    _check_steps(len(sections), steps, len(lines), report)
    if problems:
        return None, sorted(problems, key=lambda problem: problem.line)
    playbook_id, title, version, assets = header
    return Playbook(playbook_id, title, version, assets, intro, tuple(steps), source), []


def first_steps(
    playbook: Playbook, role: Role = Role.STAFF, situation: Situation = Situation.NOT_SURE
) -> tuple[Step, ...]:
    """The steps for one role, in order: for staff, the first things to do now.

    Only the staff steps written for the reported ``situation`` (or for every situation)
    are given; when the playbook has none for it, every staff step is, so that a reporter
    is never left with nothing to do.
    """
    steps = tuple(step for step in playbook.steps if step.role is role)
    return tuple(step for step in steps if step.fits(situation)) or steps


def merge_checklists(
    playbooks: Iterable[Playbook],
    promises: Iterable[Promise] | None = None,
    acts_as: Iterable[ActingAs] | None = None,
) -> tuple[Step, ...]:
    """One checklist for a breach on several assets: phase by phase, shared steps once.

    With ``promises`` and ``acts_as`` (the organisation's), a step keeping a promise it does
    not make, or for a role it never holds data in, is left out; without, every step is kept.
    """
    made = None if promises is None else set(promises)
    held = None if acts_as is None else set(acts_as)
    merged: dict[str, Step] = {}
    for playbook in playbooks:
        for step in playbook.steps:
            if made is not None and step.promise is not None and step.promise not in made:
                continue
            if held is not None and step.acting_as is not None and step.acting_as not in held:
                continue
            merged.setdefault(step.id, step)
    # A stable sort keeps each file's own order inside a phase.
    return tuple(sorted(merged.values(), key=lambda step: phase_rank(step.phase)))


def phase_rank(phase: str) -> int:
    """Position of a phase in incident-response order (contain first, lessons last)."""
    return PHASES.index(phase) if phase in PHASES else len(PHASES)


def playbook_to_dict(playbook: Playbook) -> dict[str, Any]:
    """A JSON-ready copy, kept with an incident so a later file edit never rewrites it."""
    return {
        "format": SNAPSHOT_FORMAT,
        "id": playbook.id,
        "title": playbook.title,
        "version": playbook.version,
        "assets": list(playbook.assets),
        "intro_markdown": playbook.intro_markdown,
        "source": playbook.source,
        "steps": [_step_to_dict(step) for step in playbook.steps],
    }


def playbook_from_dict(data: Mapping[str, Any]) -> Playbook:
    """Rebuild a playbook from ``playbook_to_dict``'s output."""
    if data.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"unknown playbook snapshot format {data.get('format')!r}")
    return Playbook(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        assets=tuple(data["assets"]),
        intro_markdown=data["intro_markdown"],
        steps=tuple(_step_from_dict(step) for step in data["steps"]),
        source=data["source"],
    )


def _step_to_dict(step: Step) -> dict[str, Any]:
    within = None if step.within is None else int(step.within.total_seconds())
    return {
        "id": step.id,
        "title": step.title,
        "role": step.role.value,
        "within_seconds": within,
        "record": step.record,
        "body_markdown": step.body_markdown,
        "phase": step.phase,
        "line": step.line,
        "notice": step.notice,
        "when": [situation.value for situation in step.when],
        "promise": None if step.promise is None else step.promise.value,
        "acting_as": None if step.acting_as is None else step.acting_as.value,
    }


def _step_from_dict(data: Mapping[str, Any]) -> Step:
    seconds = data["within_seconds"]
    return Step(
        id=data["id"],
        title=data["title"],
        role=Role(data["role"]),
        within=None if seconds is None else timedelta(seconds=seconds),
        record=data["record"],
        body_markdown=data["body_markdown"],
        phase=data["phase"],
        line=data["line"],
        notice=data.get("notice", ""),  # snapshots taken before notices existed have none
        when=tuple(Situation(value) for value in data.get("when", [])),
        promise=Promise(data["promise"]) if data.get("promise") else None,
        acting_as=ActingAs(data["acting_as"]) if data.get("acting_as") else None,
    )


def _read_header(
    meta: Mapping[str, list[str]], meta_lines: Mapping[str, int], report: Reporter
) -> tuple[str, str, str, tuple[str, ...]]:
    """Check id, title, version and assets; each problem points at its line (or line 1)."""

    def value(key: str) -> str:
        return " ".join(part.strip() for part in meta.get(key, [])).strip()

    def check(key: str, ok: bool, message: str) -> None:
        if key not in meta:
            report(1, f"missing '{key}:' line in the '---' block at the top")
        elif not ok:
            report(meta_lines.get(key, 1), message)

    playbook_id, title, version = value("id"), value("title"), value("version")
    assets = tuple(re.split(r"[\s,]+", value("assets"))) if value("assets") else ()
    check("id", bool(SLUG.match(playbook_id)), _slug_message("id", playbook_id))
    check("title", bool(title), "title is empty")
    check("version", bool(_VERSION.match(version)), f"bad version '{version}' (use 1, 2, 3...)")
    check("assets", bool(assets), "no assets: list the asset ids this playbook serves")
    for asset in assets:
        if not SLUG.match(asset):
            report(meta_lines.get("assets", 1), _slug_message("asset id", asset))
    return playbook_id, title, version, assets


def _read_steps(sections: list[StepSection], report: Reporter) -> list[Step]:
    steps: list[Step] = []
    first_line: dict[str, int] = {}
    for section in sections:
        step_id, title = _split_heading(section.heading)
        if step_id in first_line:
            report(
                section.line, f"duplicate step id '{step_id}' (first on line {first_line[step_id]})"
            )
        elif step_id:
            first_line[step_id] = section.line
        step = _read_step(section, step_id, title, report)
        if step is not None and first_line[step_id] == step.line:
            steps.append(step)
    return steps


def _split_heading(heading: str) -> tuple[str, str]:
    """'unplug-network: Unplug it' -> (id, title); a heading with no colon is one or the other."""
    step_id, colon, title = (part.strip() for part in heading.partition(":"))
    if not colon and not SLUG.match(step_id):
        return "", step_id  # "### Unplug the server": a title with no id
    return step_id, title


def _read_step(section: StepSection, step_id: str, title: str, report: Reporter) -> Step | None:
    """Build one step from its heading, its '- Who:' style fields and its body."""
    if not step_id:
        report(
            section.line, "step heading needs an id first, as in '### unplug-network: Unplug it'"
        )
    elif not SLUG.match(step_id):
        report(section.line, _slug_message("step id", step_id))
    if not title:
        report(section.line, f"step '{step_id}' has no title (write it after the colon)")
    fields, body = _split_fields(section, report)
    role = _read_role(fields, step_id, section.line, report)
    within = _read_within(fields, report)
    if not (SLUG.match(step_id) and title and role):
        return None
    record = fields["record"][1] if "record" in fields else ""
    notice = _read_notice(fields, report)
    when = _read_when(fields, role, report)
    promise = _read_choice(fields, "promise", Promise, "unknown promise '{}'", report)
    acting_as = _read_choice(fields, "as", ActingAs, "unknown role '{}' in 'As'", report)
    return Step(
        step_id,
        title,
        role,
        within,
        record,
        body,
        section.phase,
        section.line,
        notice,
        when,
        promise,
        acting_as,
    )


def _split_fields(section: StepSection, report: Reporter) -> tuple[dict[str, tuple[int, str]], str]:
    """Read the '- Key: value' lines right under a step heading; the rest is its body."""
    rows = section.lines
    start = next((i for i, (_, line) in enumerate(rows) if line.strip()), len(rows))
    fields: dict[str, tuple[int, str]] = {}
    end = start
    while end < len(rows) and (match := _FIELD.match(rows[end][1])):
        number, key = rows[end][0], match[1].lower()
        if key not in _STEP_FIELDS:
            report(number, f"unknown field '{match[1]}' (use {_FIELD_NAMES})")
        elif key in fields:
            report(number, f"'{match[1]}' is given twice (first on line {fields[key][0]})")
        else:
            fields[key] = (number, match[2])
        end += 1
    body = "\n".join(line for _, line in rows[end:]).strip("\n")
    return fields, body


def _read_role(
    fields: Mapping[str, tuple[int, str]], step_id: str, line: int, report: Reporter
) -> Role | None:
    if not fields.get("who", (0, ""))[1]:
        report(line, f"step '{step_id}' has no '- Who:' line (use {_ROLES})")
        return None
    number, value = fields["who"]
    try:
        return Role(value.strip().lower())
    except ValueError:
        report(number, f"unknown role '{value}' (use {_ROLES})")
        return None


def _read_within(fields: Mapping[str, tuple[int, str]], report: Reporter) -> timedelta | None:
    if "within" not in fields:
        return None
    number, value = fields["within"]
    match = _WITHIN.match(value.strip())
    if match is None or int(match[1]) == 0:
        report(number, f"bad 'Within' value '{value}' ({_WITHIN_HELP})")
        return None
    unit = match[2].lower()
    return timedelta(**{_UNITS.get(unit, unit): int(match[1])})


def _read_notice(fields: Mapping[str, tuple[int, str]], report: Reporter) -> str:
    """The sentence for the people affected; a blank one would print as an empty bullet."""
    if "notice" not in fields:
        return ""
    number, value = fields["notice"]
    if not value:
        report(number, "empty 'Notice' line: write one sentence for the people affected")
    return value


def _read_when(
    fields: Mapping[str, tuple[int, str]], role: Role, report: Reporter
) -> tuple[Situation, ...]:
    """The situations a staff step is for: it decides which first steps a reporter sees."""
    if "when" not in fields:
        return ()
    number, value = fields["when"]
    if role is not Role.STAFF:
        report(number, "'When' is only for staff steps: it picks the reporter's first steps")
        return ()
    found: list[Situation] = []
    for word in (part.strip().lower() for part in value.split(",")):
        try:
            situation = Situation(word)
        except ValueError:
            situation = None
        if situation is None or situation is Situation.NOT_SURE:
            report(number, f"unknown situation '{word}' in 'When' (use {_SITUATIONS})")
        else:
            found.append(situation)
    return tuple(dict.fromkeys(found))


def _read_choice(
    fields: Mapping[str, tuple[int, str]],
    key: str,
    kind: type[_Choice],
    unknown: str,
    report: Reporter,
) -> _Choice | None:
    """A field that names one of ``kind`` (the promise a step keeps, the role it is for): a
    typo would silently drop the step, so it is refused. ``unknown`` words the refusal."""
    if key not in fields:
        return None
    number, value = fields[key]
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = ", ".join(choice.value for choice in kind)
        report(number, f"{unknown.format(value)} (use {choices})")
        return None


def _check_steps(sections: int, steps: list[Step], line_count: int, report: Reporter) -> None:
    """A playbook needs steps, and at least one for the person who reports the breach."""
    if not sections:
        report(max(line_count, 1), "no steps: add '### step-id: Title' under '## Contain'")
    elif len(steps) == sections and not any(step.role is Role.STAFF for step in steps):
        report(steps[0].line, "no step for staff: the reporter needs the first things to do")


def _slug_message(what: str, value: str) -> str:
    return f"{what} '{value}' must be lower-case letters, digits and hyphens, as in 'lab-server'"
