"""What a draft may use and what drafting returns: flat, frozen dataclasses.

A service fills ``DraftContext`` from the database; the drafting functions read only it,
so every message can be built and tested without an app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from breachdesk.domain.clock import require_aware
from breachdesk.domain.drafting.render import plain_inline
from breachdesk.domain.vocabulary import DataCategory

REPORT_KINDS = ("initial", "follow-up")
REPORTS_TO = ("ico", "dspt")


class DraftKind(StrEnum):
    """The messages breachdesk drafts; each value is also its template's file name."""

    ICO = "ico"
    PEOPLE_LETTER = "people_letter"
    PEOPLE_EMAIL = "people_email"
    PUBLIC_NOTICE = "public_notice"
    PROCESSOR = "processor"
    CONTROLLER = "controller"
    STAFF = "staff"


@dataclass(frozen=True)
class OrgDetails:
    """The organisation that sends the messages, as its profile describes it."""

    name: str
    legal_name: str | None = None
    address: str | None = None
    website: str | None = None
    ico_registration: str | None = None  # the ICO data protection fee registration number
    dpo_name: str | None = None
    dpo_role: str | None = None  # e.g. "Data Protection Officer" or "Practice Manager"
    dpo_email: str | None = None
    dpo_phone: str | None = None
    reports_to: str = "ico"  # "ico", or "dspt" for NHS contractors using the DSP Toolkit
    report_route: str | None = None  # how the report is filed, in words
    staff_training: str | None = None  # data protection training staff have had

    def __post_init__(self) -> None:
        if self.reports_to not in REPORTS_TO:
            raise ValueError(f"reports_to must be one of {REPORTS_TO}, not {self.reports_to!r}")


@dataclass(frozen=True)
class ContactDetails:
    """An outside party to tell: a processor or partner (kind "processor" or "partner")."""

    id: str
    name: str
    kind: str
    service: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class DraftContext:
    """Everything a draft may say about one incident; None means "not yet known"."""

    org: OrgDetails
    reference: str  # the incident's own reference, e.g. "ODL-2026-004"
    summary: str  # what happened, in the reporter's or DPO's words
    aware_at: datetime  # when the organisation became aware (Art. 33(1) clock start)
    reported_at: datetime  # when this report or notice is made
    how_discovered: str | None = None
    occurred_at: datetime | None = None
    noticed_at: datetime | None = None
    people_summary: str | None = None  # what happened, written for the people; else summary
    assets: tuple[str, ...] = ()  # plain names of the systems or places affected
    data_categories: tuple[DataCategory, ...] = ()
    people_groups: tuple[str, ...] = ()  # e.g. "patients", "customers"
    subjects_count: int | None = None
    # The count is the organisation's estimate from its records, not yet confirmed.
    subjects_count_estimated: bool = False
    records_count: int | None = None
    vulnerable: bool | None = None
    cyber_incident: bool | None = None
    cause: str | None = None  # a Cause value or words
    ongoing: str | None = None  # whether it is still going on, in words
    exfiltration: str | None = None  # an Exfiltration value or words
    encrypted: bool | None = None  # the data was protected by encryption
    backups_state: str | None = None
    likely_consequences: tuple[str, ...] = ()  # empty: derived from the data categories
    people_consequences: tuple[str, ...] = ()  # the same, written for the people; else derived
    measures_taken: tuple[str, ...] = ()
    measures_proposed: tuple[str, ...] = ()
    # What was done, written for the people (Art. 34(2)); None: not known, so the notice
    # falls back to measures_taken and measures_proposed.
    people_measures: tuple[str, ...] | None = None
    risk: str | None = None  # "unlikely", "risk" or "high", as the assessment says
    notify_ico: bool | None = None
    notify_subjects: bool | None = None
    subject_channel: str | None = None  # "direct", "public" or None
    notify_controller: bool | None = None
    reasons: tuple[str, ...] = ()  # the assessment's reasons, in plain English
    people_told: str | None = None  # what was or will be done to tell the people
    ico_deadline: datetime | None = None
    late: bool = False
    delay_reasons: str | None = None
    report_kind: str = "initial"  # "initial" or "follow-up"
    ico_contact: str | None = None  # whether, and who, we have already spoken to at the ICO
    ico_case_reference: str | None = None
    previous: DraftContext | None = None  # what the last report said, for a follow-up
    others_told: tuple[str, ...] = ()  # police, NCSC, other regulators...
    controllers: tuple[str, ...] = ()  # whose data we hold as processor
    contacts: tuple[ContactDetails, ...] = ()
    # Where the data is partly held for others: the people whose data is our own (the only
    # ones our notice to people may address), and what we pass to the controllers.
    own_people_groups: tuple[str, ...] | None = None  # None: all the data is our own
    own_data_categories: tuple[DataCategory, ...] | None = None
    held_groups: tuple[str, ...] = ()  # people whose data we hold for the controllers
    held_count: int | None = None
    held_risk: str | None = None  # our view of the risk to them, passed to the controllers

    def __post_init__(self) -> None:
        if self.report_kind not in REPORT_KINDS:
            raise ValueError(f"report_kind must be one of {REPORT_KINDS}")
        for name in ("aware_at", "reported_at", "occurred_at", "noticed_at", "ico_deadline"):
            value = getattr(self, name)
            if value is not None:
                require_aware(value, name)


@dataclass(frozen=True)
class Draft:
    """A drafted message, ready to review: Markdown body split into ## sections."""

    kind: DraftKind
    title: str  # what the app lists it as, e.g. "Report to the ICO (initial)"
    subject: str  # plain-text subject line or letter heading
    body_markdown: str
    recipient: str | None = None  # who it is addressed to, when one party is
    to_follow: tuple[str, ...] = ()  # headings of sections with details still to follow


def sections(draft: Draft) -> list[tuple[str, str]]:
    """Split a draft into (heading, markdown) pairs, so each can be copied on its own.

    Text before the first ``##`` heading comes first, under the draft's subject.
    """
    result: list[tuple[str, str]] = []
    heading, lines = draft.subject, []
    for line in draft.body_markdown.splitlines():
        if line.startswith("## "):
            _keep(result, heading, lines)
            heading, lines = _plain_heading(line[3:]), []
        else:
            lines.append(line)
    _keep(result, heading, lines)
    return result


def _keep(result: list[tuple[str, str]], heading: str, lines: list[str]) -> None:
    text = "\n".join(lines).strip()
    if text:
        result.append((heading, text))


def _plain_heading(markdown_heading: str) -> str:
    # Headings are the template's own words plus escaped values: drop the escapes.
    return plain_inline(markdown_heading.strip())
