"""The organisation profile model: frozen dataclasses the rest of breachdesk reads.

Import these from ``breachdesk.domain.profile.parsing``, which also builds them from TOML data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Promise

#: The choice a reporter makes when no listed asset fits, and the playbook it runs.
NOT_SURE_LABEL = "Something else / not sure"
GENERAL_PLAYBOOK = "general"


class ContactKind(StrEnum):
    """How a contact relates to the organisation's data."""

    PROCESSOR = "processor"  # processes data on our behalf (Art. 28): told of breaches it holds
    PARTNER = "partner"  # handles the data for its own service: post, bank, couriers
    AUTHORITY = "authority"  # the regulator
    CONTROLLER = "controller"  # whose data we hold as processor (Art. 33(2): we tell them)


class ReportsTo(StrEnum):
    """Where the organisation files a notifiable breach."""

    ICO = "ico"
    DSPT = "dspt"  # NHS contractors report through the Toolkit, which passes it to the ICO


REPORT_ROUTES: dict[ReportsTo, str] = {
    ReportsTo.ICO: "the ICO's online breach report form at ico.org.uk/report-a-breach",
    ReportsTo.DSPT: "the NHS Data Security and Protection Toolkit",
}


@dataclass(frozen=True)
class Person:
    """Someone who answers for breaches: the DPO or their deputy."""

    name: str
    email: str
    phone: str = ""
    role_title: str = ""


@dataclass(frozen=True)
class Contact:
    """An outside party involved with an asset: a processor, a partner or the regulator."""

    id: str
    name: str
    kind: ContactKind
    service: str
    email: str = ""
    phone: str = ""
    notes: str = ""


class CountBasis(StrEnum):
    """Where a group's count comes from: neither is a count of the records."""

    ESTIMATE = "estimate"  # the organisation's own estimate
    DEMO = "demo"  # a placeholder the organisation's documents do not give


@dataclass(frozen=True)
class Group:
    """A group of people whose data an asset holds, roughly how many, and in what role.

    ``vulnerable`` is True or False when the profile knows, and None when it must be asked
    for each incident (``vulnerable_hint`` says what to look for). ``people`` names who the
    people are: groups with the same people, on one asset or several, are counted once.
    """

    name: str
    count: int
    vulnerable: bool | None = False
    data_categories: tuple[DataCategory, ...] = ()
    acting_as: ActingAs = ActingAs.CONTROLLER
    controllers: str | None = None  # who the controllers are, when held as processor
    count_basis: CountBasis = CountBasis.ESTIMATE
    people: str = ""
    vulnerable_hint: str = ""

    @property
    def who(self) -> str:
        """Who the people are: the same value means the same people."""
        return self.people or self.name

    @property
    def may_be_vulnerable(self) -> bool:
        """Known to be vulnerable, or to be asked about for each incident."""
        return self.vulnerable is not False


def count_people(groups: Iterable[Group]) -> int:
    """Roughly how many people: each group of the same people once, at its largest count.

    The practices in Transactor and in Sage, or the patients on the server and in its
    backups, are the same people: adding them up would overstate the breach.
    """
    largest: dict[str, int] = {}
    for group in groups:
        largest[group.who] = max(largest.get(group.who, 0), group.count)
    return sum(largest.values())


@dataclass(frozen=True)
class Asset:
    """A place personal data lives, with the facts a breach assessment starts from."""

    id: str
    name: str
    description: str = ""
    playbook: str = GENERAL_PLAYBOOK
    protection: str = ""
    encrypted_at_rest: bool = False
    encrypted_in_transit: bool = False
    contacts: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    retention: str = ""
    # What the organisation's documents leave open about this asset, for the DPO to answer.
    open_questions: tuple[str, ...] = ()

    @property
    def data_categories(self) -> tuple[DataCategory, ...]:
        """Every data category any group holds, in first-mentioned order."""
        return tuple(dict.fromkeys(c for group in self.groups for c in group.data_categories))

    @property
    def people_count(self) -> int:
        """Roughly how many people the asset holds data about, each group of people once."""
        return count_people(self.groups)

    @property
    def vulnerable(self) -> bool:
        """Whether any group is known to be vulnerable (EDPB Guidelines 9/2022: raises the risk)."""
        return any(group.vulnerable is True for group in self.groups)

    @property
    def processor_groups(self) -> tuple[Group, ...]:
        """The groups held on behalf of another controller (Art. 33(2) applies to them)."""
        return tuple(g for g in self.groups if g.acting_as is ActingAs.PROCESSOR)

    @property
    def controller_groups(self) -> tuple[Group, ...]:
        """The groups held as the organisation's own data (Art. 33(1) applies to them)."""
        return tuple(g for g in self.groups if g.acting_as is ActingAs.CONTROLLER)


@dataclass(frozen=True)
class ReminderPolicy:
    """When to remind people of the 72-hour deadline, counted from awareness."""

    hours_after_awareness: tuple[int, ...] = (24, 48, 60, 68)
    overdue_every_hours: int = 12
    recipients: tuple[str, ...] = ("dpo", "deputy")


@dataclass(frozen=True, kw_only=True)
class Profile:
    """One organisation: identity, responsible people, deadlines, assets and contacts."""

    id: str
    name: str
    dpo: Person
    deputy: Person
    legal_name: str = ""
    address: str = ""
    website: str = ""
    ico_registration: str = ""
    timezone: str = "Europe/London"
    # Art. 34(1) sets no hours ("without undue delay"). An organisation may promise people a
    # time of its own (Sunray Vision: within 72 hours); None means it promises none.
    people_notice_hours: int | None = None
    people_notice_promised_in: str = ""  # where the promise is made: "privacy notice"
    people_notice_to: str = "the people affected"  # whom it is made to: "customers"
    reports_to: ReportsTo = ReportsTo.ICO
    report_route: str = REPORT_ROUTES[ReportsTo.ICO]
    staff_training: str = ""
    assets: tuple[Asset, ...] = ()
    contacts: tuple[Contact, ...] = ()
    reminders: ReminderPolicy = ReminderPolicy()
    # What the organisation promises people beyond the law (Sunray Vision: status updates).
    promises: tuple[Promise, ...] = ()
    # The contact who works the technical steps; without one they fall to the DPO.
    it_contractor: str | None = None
    # How long personal data in a closed incident is kept (UK GDPR Art. 5(1)(e)).
    personal_data_months: int = 24

    @property
    def acts_as(self) -> frozenset[ActingAs]:
        """The roles it holds personal data in: controller of its own and, where it holds
        data for others (ODL for the dental practices), their processor."""
        return frozenset(g.acting_as for a in self.assets for g in a.groups)

    def people_promise_words(self) -> str | None:
        """The promise of how soon people are told, as the organisation made it; None if none.

        E.g. "Sunray Vision's privacy notice promises to tell customers within 72 hours".
        """
        if self.people_notice_hours is None:
            return None
        where = self.people_notice_promised_in
        who = f"{self.name}'s {where}" if where else self.name
        hours = self.people_notice_hours
        return f"{who} promises to tell {self.people_notice_to} within {hours} hours"

    @property
    def zone(self) -> ZoneInfo:
        """The time zone deadlines are shown in."""
        return ZoneInfo(self.timezone)

    @property
    def asset_ids(self) -> tuple[str, ...]:
        """The ids of the assets, in profile order."""
        return tuple(asset.id for asset in self.assets)

    def asset(self, asset_id: str) -> Asset:
        """Return the asset with this id; KeyError if there is none."""
        for asset in self.assets:
            if asset.id == asset_id:
                return asset
        raise KeyError(f"no asset {asset_id!r} in profile {self.id!r}")

    def contact(self, contact_id: str) -> Contact:
        """Return the contact with this id; KeyError if there is none."""
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise KeyError(f"no contact {contact_id!r} in profile {self.id!r}")

    def contacts_for(self, asset: Asset | str) -> tuple[Contact, ...]:
        """Return the contacts involved with an asset (given as an Asset or its id)."""
        found = asset if isinstance(asset, Asset) else self.asset(asset)
        return tuple(self.contact(contact_id) for contact_id in found.contacts)

    def playbook_for(self, asset_id: str) -> str:
        """Return the playbook id for an asset id, or the general one for "not sure"."""
        return GENERAL_PLAYBOOK if asset_id == NOT_SURE_ASSET else self.asset(asset_id).playbook

    def asset_name(self, asset_id: str) -> str:
        """The plain name staff know an asset by ("Something else / not sure" for others)."""
        named = {a.id: a.name for a in self.assets}
        return named.get(asset_id, NOT_SURE_LABEL)

    def assets_of(self, asset_ids: Iterable[str]) -> list[Asset]:
        """The profile's assets among ``asset_ids``, skipping "not sure" and unknown ones."""
        known = {a.id: a for a in self.assets}
        return [known[a] for a in asset_ids if a in known]

    def asset_choices(self) -> list[tuple[str, str]]:
        """Return (id, plain name) pairs for the report form, ending with "not sure"."""
        return [(a.id, a.name) for a in self.assets] + [(NOT_SURE_ASSET, NOT_SURE_LABEL)]
