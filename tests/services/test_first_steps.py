"""The first things a reporter is told to do fit what happened to the asset they named.

For every asset of both organisations and every kind of breach it can meet, the reporter
gets the staff steps written for it, and none written for another kind: a misdirected
email is not a hacked mailbox, and a stolen PC cannot be unplugged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from breachdesk.config import SHIPPED_PROFILES
from breachdesk.domain.vocabulary import Situation
from breachdesk.services.checklists.first_steps import first_steps_for
from breachdesk.services.checklists.library import load_playbooks
from breachdesk.services.profiles import load_profile
from tests.services.test_playbook_library import ASSETS

SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"
LIBRARY = load_playbooks(SHIPPED, ASSETS)
PROFILES = {name: load_profile(SHIPPED_PROFILES / f"{name}.toml") for name in ("odl", "sunray")}

W, L, S, A, U = (
    Situation.WRONG_RECIPIENT,
    Situation.LOST,
    Situation.STOLEN,
    Situation.ATTACK,
    Situation.UNAVAILABLE,
)

#: (organisation, asset, what happened) -> the staff steps the reporter must be given.
FIRST_STEPS = {
    ("odl", "lab-server", A): ["unplug-network", "stop-using-server", "phone-reliant-and-dpo"],
    ("odl", "lab-server", S): ["phone-reliant-and-dpo", "report-break-in"],
    ("odl", "lab-server", U): ["phone-reliant-and-dpo"],
    ("odl", "backups", A): ["report-backup-alert"],
    ("odl", "backups", U): ["report-backup-alert"],
    ("odl", "website", A): ["capture-evidence"],
    ("odl", "website", W): ["capture-evidence"],
    ("odl", "email", W): ["report-wrong-recipient"],
    ("odl", "email", A): ["report-mailbox-oddity"],
    ("odl", "email", L): ["report-lost-device"],
    ("odl", "email", S): ["report-lost-device"],
    ("odl", "courier-address-books", A): ["report-courier-oddity"],
    ("odl", "courier-address-books", W): ["report-export-sent"],
    ("odl", "paper-records", L): ["search-and-report"],
    ("odl", "paper-records", W): ["ask-practice-to-keep-papers"],
    ("odl", "paper-records", S): ["report-break-in"],
    ("odl", "parcels", W): ["note-parcel-details", "keep-parcel-sealed", "check-same-day-parcels"],
    ("odl", "parcels", L): ["note-parcel-details", "check-tracking"],
    ("odl", "staff-records", W): ["stop-and-note"],
    ("sunray", "office-pcs", A): ["unplug-network"],
    ("sunray", "office-pcs", S): ["report-break-in"],
    ("sunray", "office-pcs", U): ["leave-failed-pc"],
    ("sunray", "web-host", A): ["capture-evidence"],
    ("sunray", "mailbox", W): ["report-wrong-recipient"],
    ("sunray", "mailbox", A): ["report-mailbox-oddity"],
    ("sunray", "mailbox", S): ["report-lost-device"],
    ("sunray", "worldpay", A): ["keep-worldpay-alert"],
    ("sunray", "filing-cabinet", L): ["search-for-letter"],
    ("sunray", "filing-cabinet", S): ["report-break-in"],
    ("sunray", "recorded-delivery-slips", L): ["search-for-slip"],
    ("sunray", "post", W): ["note-parcel-details", "keep-parcel-sealed", "check-same-day-parcels"],
    ("sunray", "post", L): ["note-parcel-details", "check-tracking"],
    ("sunray", "technicians", L): ["search-for-letter"],
    ("sunray", "natwest", L): ["search-for-letter"],
}


def steps(org: str, asset_id: str, situation: Situation):
    return first_steps_for(LIBRARY, PROFILES[org], [asset_id], situation)


@pytest.mark.parametrize(("org", "asset_id", "situation"), sorted(FIRST_STEPS))
def test_the_reporter_gets_the_staff_steps_for_what_happened(org, asset_id, situation):
    given = steps(org, asset_id, situation)

    assert [step.id for step in given] == FIRST_STEPS[org, asset_id, situation]
    for step in given:
        assert step.fits(situation), step.id
        assert "skip this step" not in step.body_markdown.lower(), step.id


def test_every_asset_of_both_organisations_is_covered_by_the_table():
    covered = {(org, asset) for org, asset, _ in FIRST_STEPS}

    for org, profile in PROFILES.items():
        for asset_id in profile.asset_ids:
            assert (org, asset_id) in covered


def test_a_misdirected_email_is_not_told_to_look_for_a_hacked_mailbox():
    titles = " ".join(step.title for step in steps("odl", "email", W))

    assert "wrong person" in titles
    assert "acting strangely" not in titles


def test_a_stolen_backup_pc_is_not_told_to_unplug_it():
    given = steps("sunray", "office-pcs", S)

    assert "unplug-network" not in [step.id for step in given]
    assert "police" in given[0].title


def test_not_sure_gives_every_staff_step_of_the_playbook():
    given = [step.id for step in steps("odl", "email", Situation.NOT_SURE)]

    assert given == ["report-wrong-recipient", "report-mailbox-oddity", "report-lost-device"]


def test_a_kind_of_breach_the_playbook_does_not_name_gets_every_staff_step():
    # Nothing in the slip playbook is written for an attack; the reporter still gets a step.
    assert [step.id for step in steps("sunray", "recorded-delivery-slips", A)] == [
        "search-for-slip"
    ]
