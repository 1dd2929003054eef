"""An organisation's profile: who it is, who answers for breaches, and where its data lives.

Everything specific to one organisation is data in its profile, so a second organisation
needs a new profile file and no code change. ``profile_from_mapping`` validates a parsed
TOML document and builds the frozen model; reading the file is the services' job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from breachdesk.domain.profile.fields import FieldReader
from breachdesk.domain.profile.fields import ProfileError
from breachdesk.domain.profile.model import GENERAL_PLAYBOOK
from breachdesk.domain.profile.model import NOT_SURE_LABEL
from breachdesk.domain.profile.model import REPORT_ROUTES
from breachdesk.domain.profile.model import Asset
from breachdesk.domain.profile.model import Contact
from breachdesk.domain.profile.model import ContactKind
from breachdesk.domain.profile.model import CountBasis
from breachdesk.domain.profile.model import Group
from breachdesk.domain.profile.model import Person
from breachdesk.domain.profile.model import Profile
from breachdesk.domain.profile.model import ReminderPolicy
from breachdesk.domain.profile.model import ReportsTo
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Promise

__all__ = [
    "GENERAL_PLAYBOOK",
    "NOT_SURE_LABEL",
    "REPORT_ROUTES",
    "Asset",
    "Contact",
    "ContactKind",
    "Group",
    "Person",
    "Profile",
    "ProfileError",
    "ReminderPolicy",
    "ReportsTo",
    "profile_from_mapping",
]

_ICO_NUMBER = re.compile(r"^Z[A-Z0-9]\d{6}$")  # e.g. Z1234567 or ZA123456 on the ICO register
# UK GDPR Art. 33(1): the ICO deadline is 72 hours, so reminders must fall before it.
_ICO_HOURS = 72
_ROOT_KEYS = ("organisation", "dpo", "deputy", "reminders", "contacts", "assets")
_ORG_KEYS = (
    "id", "name", "legal_name", "address", "website", "ico_registration", "timezone",
    "people_notice_hours", "people_notice_promised_in", "people_notice_to", "reports_to",
    "report_route", "staff_training", "promises", "it_contractor", "personal_data_months",
)  # fmt: skip
_PERSON_KEYS = ("name", "email", "phone", "role_title")
_CONTACT_KEYS = ("id", "name", "kind", "service", "email", "phone", "notes")
_ASSET_KEYS = (
    "id", "name", "description", "playbook", "protection", "encrypted_at_rest",
    "encrypted_in_transit", "contacts", "groups", "retention", "open_questions",
)  # fmt: skip
_GROUP_KEYS = (
    "name", "count", "count_basis", "people", "vulnerable", "vulnerable_hint",
    "data_categories", "acting_as", "controllers",
)  # fmt: skip
#: The word for "ask about it for each incident" in place of true or false.
_ASK = "ask"
_REMINDER_KEYS = ("hours_after_awareness", "overdue_every_hours", "recipients")


def profile_from_mapping(data: Mapping[str, Any], source: str) -> Profile:
    """Validate a parsed profile document and build the Profile.

    Args:
        data: the document, as tomllib returns it.
        source: where it came from (a file path), named in every error.

    Raises:
        ProfileError: naming ``source``, the field path and what is wrong.
    """
    root = FieldReader(data, source)
    root.only(_ROOT_KEYS)
    org = root.table("organisation")
    org.only(_ORG_KEYS)
    contacts = _contacts(root)
    contact_ids = {contact.id for contact in contacts}
    reports_to = org.choice("reports_to", ReportsTo, default=ReportsTo.ICO)
    name = org.text("name")
    return Profile(
        id=org.slug("id"),
        name=name,
        legal_name=org.text("legal_name", default="") or name,
        address=org.text("address"),
        website=org.text("website", default=""),
        ico_registration=_ico_registration(org),
        timezone=_timezone(org),
        dpo=_person(root, "dpo", "is required: the person who runs the breach response"),
        deputy=_person(root, "deputy", "is required: who acts when the DPO is away"),
        **_people_promise(org),
        personal_data_months=org.whole("personal_data_months", minimum=1, default=24),
        reports_to=reports_to,
        report_route=org.text("report_route", default="") or REPORT_ROUTES[reports_to],
        staff_training=org.text("staff_training"),
        assets=_assets(root, contact_ids),
        contacts=contacts,
        reminders=_reminders(root, contact_ids),
        promises=tuple(
            org.check_choice(path, value, Promise, "promise")
            for path, value in org.items("promises", default=[])
        ),
        it_contractor=_it_contractor(org, contact_ids),
    )


def _people_promise(org: FieldReader) -> dict[str, Any]:
    """The organisation's own promise of how soon people are told; absent, it makes none.

    Art. 34(1) asks only for "without undue delay", so no hours are assumed: a desk shows a
    deadline for telling people only where the organisation's own documents promise one.
    """
    hours = org.raw("people_notice_hours", default=None)
    if hours is None:
        for key in ("people_notice_promised_in", "people_notice_to"):
            if key in org.data:
                raise org.error(
                    key,
                    "only means something with people_notice_hours: add the hours promised, "
                    "or remove this line if no time is promised",
                )
        return {}
    return {
        "people_notice_hours": org.whole("people_notice_hours", minimum=1),
        "people_notice_promised_in": org.text("people_notice_promised_in", default=""),
        "people_notice_to": org.text("people_notice_to", default="") or "the people affected",
    }


def _it_contractor(org: FieldReader, contact_ids: set[str]) -> str | None:
    """The contact who works the technical steps; absent, they fall to the DPO."""
    contractor = org.optional_text("it_contractor")
    if contractor is not None and contractor not in contact_ids:
        known = ", ".join(sorted(contact_ids)) or "none"
        raise org.error(
            "it_contractor", f"unknown contact {contractor!r}; the [[contacts]] ids are {known}"
        )
    return contractor


def _ico_registration(org: FieldReader) -> str:
    value = org.text("ico_registration")
    if not _ICO_NUMBER.match(value):
        raise org.error(
            "ico_registration",
            f"must look like a number on the ICO register, such as 'ZA123456', got {value!r}",
        )
    return value


def _timezone(org: FieldReader) -> str:
    value = org.text("timezone", default="Europe/London")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise org.error(
            "timezone", f"unknown time zone {value!r}; use a name like 'Europe/London'"
        ) from None
    return value


def _person(root: FieldReader, key: str, missing: str) -> Person:
    table = root.table(key, missing=missing)
    table.only(_PERSON_KEYS)
    return Person(
        name=table.text("name"),
        email=table.email("email"),
        phone=table.text("phone", default=""),
        role_title=table.text("role_title", default=""),
    )


def _contacts(root: FieldReader) -> tuple[Contact, ...]:
    contacts = tuple(_contact(table) for table in root.tables("contacts", default=[]))
    _reject_duplicates(root, "contacts", [c.id for c in contacts], "contact")
    return contacts


def _contact(table: FieldReader) -> Contact:
    table.only(_CONTACT_KEYS)
    return Contact(
        id=table.slug("id"),
        name=table.text("name"),
        kind=table.choice("kind", ContactKind),
        service=table.text("service"),
        email=table.email("email", default=""),
        phone=table.text("phone", default=""),
        notes=table.text("notes", default=""),
    )


def _reject_duplicates(root: FieldReader, key: str, ids: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            raise ProfileError(
                root.source,
                f"{key}[{index}].id",
                f"duplicate {what} id {item_id!r} (also {key}[{seen[item_id]}])",
            )
        seen[item_id] = index


def _assets(root: FieldReader, contact_ids: set[str]) -> tuple[Asset, ...]:
    tables = root.tables("assets")
    if not tables:
        raise root.error("assets", "must list at least one asset ([[assets]])")
    assets = tuple(_asset(table, contact_ids) for table in tables)
    _reject_duplicates(root, "assets", [a.id for a in assets], "asset")
    return assets


def _asset(table: FieldReader, contact_ids: set[str]) -> Asset:
    table.only(_ASSET_KEYS)
    asset_id = table.slug("id")
    if asset_id == NOT_SURE_ASSET:
        raise table.error("id", f"{NOT_SURE_ASSET!r} is reserved for '{NOT_SURE_LABEL}'")
    return Asset(
        id=asset_id,
        name=table.text("name"),
        description=table.text("description"),
        playbook=table.slug("playbook"),
        protection=table.text("protection"),
        encrypted_at_rest=table.flag("encrypted_at_rest"),
        encrypted_in_transit=table.flag("encrypted_in_transit"),
        contacts=_contact_refs(table, contact_ids),
        groups=_groups(table),
        retention=table.text("retention"),
        open_questions=table.texts("open_questions", default=[]),
    )


def _contact_refs(table: FieldReader, contact_ids: set[str]) -> tuple[str, ...]:
    refs = table.texts("contacts", default=[])
    for index, ref in enumerate(refs):
        if ref not in contact_ids:
            known = ", ".join(sorted(contact_ids)) or "none"
            raise table.error(
                f"contacts[{index}]", f"unknown contact {ref!r}; the [[contacts]] ids are {known}"
            )
    return refs


def _groups(asset: FieldReader) -> tuple[Group, ...]:
    tables = asset.tables("groups", default=[])
    if not tables:
        raise asset.error("groups", "must list at least one group of people ([[assets.groups]])")
    return tuple(_group(table) for table in tables)


def _group(table: FieldReader) -> Group:
    table.only(_GROUP_KEYS)
    acting_as = table.choice("acting_as", ActingAs)
    controllers = table.optional_text("controllers")
    # Art. 33(2): as processor we must tell the controllers, so we must know who they are.
    if acting_as is ActingAs.PROCESSOR and controllers is None:
        raise table.error("controllers", "is required when acting_as is 'processor'")
    if acting_as is ActingAs.CONTROLLER and controllers is not None:
        raise table.error("controllers", "is only for groups held with acting_as = 'processor'")
    vulnerable = _vulnerable(table)
    return Group(
        name=table.text("name"),
        count=table.whole("count"),
        count_basis=table.choice("count_basis", CountBasis, default=CountBasis.ESTIMATE),
        people=table.text("people", default=""),
        vulnerable=vulnerable,
        vulnerable_hint=_vulnerable_hint(table, vulnerable),
        data_categories=_data_categories(table),
        acting_as=acting_as,
        controllers=controllers,
    )


def _vulnerable(table: FieldReader) -> bool | None:
    """true, false, or "ask": whether children or vulnerable adults are among the people.

    "ask" is for a group where it depends on the incident (orthodontic patients are often
    children): the question is then put to the DPO for each incident, with the hint.
    """
    value = table.raw("vulnerable")
    if value == _ASK:
        return None
    if not isinstance(value, bool):
        raise table.error("vulnerable", f'must be true, false or "{_ASK}", got {value!r}')
    return value


def _vulnerable_hint(table: FieldReader, vulnerable: bool | None) -> str:
    hint = table.text("vulnerable_hint", default="")
    if vulnerable is None and not hint:
        raise table.error(
            "vulnerable_hint", f'is required when vulnerable is "{_ASK}": say what to look for'
        )
    if vulnerable is not None and hint:
        raise table.error("vulnerable_hint", f'is only for groups with vulnerable = "{_ASK}"')
    return hint


def _data_categories(table: FieldReader) -> tuple[DataCategory, ...]:
    entries = table.items("data_categories")
    if not entries:
        raise table.error("data_categories", "must list at least one data category")
    return tuple(
        table.check_choice(path, value, DataCategory, "data category") for path, value in entries
    )


def _reminders(root: FieldReader, contact_ids: set[str]) -> ReminderPolicy:
    table = root.optional_table("reminders")
    table.only(_REMINDER_KEYS)
    defaults = ReminderPolicy()
    return ReminderPolicy(
        hours_after_awareness=_reminder_hours(table, defaults.hours_after_awareness),
        overdue_every_hours=table.whole(
            "overdue_every_hours", minimum=1, default=defaults.overdue_every_hours
        ),
        recipients=_recipients(table, contact_ids, defaults.recipients),
    )


def _reminder_hours(table: FieldReader, default: tuple[int, ...]) -> tuple[int, ...]:
    entries = table.items("hours_after_awareness", default=list(default))
    hours = tuple(table.check_whole(path, value, 1) for path, value in entries)
    if list(hours) != sorted(set(hours)) or any(hour >= _ICO_HOURS for hour in hours):
        raise table.error(
            "hours_after_awareness",
            f"must rise, without repeats, and stay under {_ICO_HOURS}, got {list(hours)}",
        )
    return hours


def _recipients(
    table: FieldReader, contact_ids: set[str], default: tuple[str, ...]
) -> tuple[str, ...]:
    recipients = table.texts("recipients", default=list(default))
    allowed = {"dpo", "deputy"} | contact_ids
    for index, recipient in enumerate(recipients):
        if recipient not in allowed:
            raise table.error(
                f"recipients[{index}]",
                f"unknown recipient {recipient!r}; use 'dpo', 'deputy' or a contact id",
            )
    return recipients
