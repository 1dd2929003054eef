"""The shipped profiles say what the organisations' own documents say, and mark the rest.

Every count is marked as an estimate or a DEMO figure, ODL's parcels carry what its notes
allow (not the prescriptions, which stay in the office), and places that hold the same
data (the lab server's stored email, the backups) list it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from breachdesk.domain.profile import count_people
from breachdesk.domain.profile import profile_from_mapping
from breachdesk.domain.vocabulary import DataCategory

PROFILES = Path(__file__).resolve().parents[2] / "breachdesk" / "profiles"


def text_of(profile_id: str) -> str:
    return (PROFILES / f"{profile_id}.toml").read_text(encoding="utf-8")


def shipped(profile_id: str):
    return profile_from_mapping(tomllib.loads(text_of(profile_id)), profile_id)


@pytest.mark.parametrize("profile_id", ["odl", "sunray"])
def test_every_count_in_a_shipped_profile_is_marked_as_an_estimate_or_demo(profile_id):
    lines = [line for line in text_of(profile_id).splitlines() if re.match(r"\s*count = ", line)]

    assert lines
    unmarked = [line for line in lines if not re.search(r"# (DEMO|estimate)\b", line)]
    assert unmarked == []


@pytest.mark.parametrize("profile_id", ["odl", "sunray"])
def test_no_asset_lists_the_same_people_twice(profile_id):
    for asset in shipped(profile_id).assets:
        names = [group.name for group in asset.groups]
        assert len(names) == len(set(names)), asset.id
    # The practices in Sage are the practices in Transactor: one group, not two.
    if profile_id == "odl":
        lab_server = shipped("odl").asset("lab-server")
        practices = [g.name for g in lab_server.groups if g.name.startswith("Dental practices")]
        assert practices == ["Dental practices and clinicians"]


def test_odl_parcels_carry_the_appliance_and_a_delivery_note_not_the_prescription():
    parcels = shipped("odl").asset("parcels")

    assert "delivery note" in parcels.description
    assert "DPO to" in parcels.description  # the notes do not say: a point to confirm
    assert "prescription stays in the office" in parcels.description
    assert not any("prescription" in group.name.lower() for group in parcels.groups)


@pytest.mark.parametrize("asset_id", ["lab-server", "backups"])
def test_odl_server_and_backups_hold_the_stored_email_with_patients_photos(asset_id):
    asset = shipped("odl").asset(asset_id)

    assert "email" in asset.description
    assert "photos" in asset.description
    assert DataCategory.HEALTH in asset.data_categories


def test_odl_staff_records_are_an_asset_for_the_dpo_to_confirm():
    staff = shipped("odl").asset("staff-records")

    assert "Sage" in staff.description
    assert "DPO to confirm" in staff.name
    assert staff.groups[0].name == "ODL's staff"


def test_odl_names_transactors_supplier_as_a_contact_of_the_lab_server():
    odl = shipped("odl")

    assert "transactor-supplier" in odl.asset("lab-server").contacts
    assert "DEMO" in odl.contact("transactor-supplier").notes


@pytest.mark.parametrize(
    ("profile_id", "asset_id"),
    [("odl", "lab-server"), ("odl", "backups"), ("odl", "paper-records"), ("odl", "staff-records")],
)
def test_retention_the_notes_do_not_state_is_left_for_the_dpo_to_confirm(profile_id, asset_id):
    retention = shipped(profile_id).asset(asset_id).retention

    assert "Not stated" in retention or "not stated" in retention
    assert "DPO to confirm" in retention


def test_odl_courier_address_books_hold_what_the_notes_list():
    books = shipped("odl").asset("courier-address-books")

    assert "practice telephone number and practice email" in books.description
    assert "personal" not in books.description


def test_sunray_statements_name_the_privacy_notice_section_they_come_from():
    text = text_of("sunray")
    for block in text.split("[[assets]]")[1:]:
        assert re.search(r"[Ss]ections? \d", block), block.splitlines()[0:2]


@pytest.mark.parametrize("profile_id", ["odl", "sunray"])
def test_every_group_says_where_its_count_comes_from(profile_id):
    text = text_of(profile_id)

    assert text.count("\n  count_basis = ") == text.count("\n  count = ")


def test_the_same_practices_and_patients_are_never_added_up_across_assets():
    odl = shipped("odl")
    server, backups, parcels = (odl.asset(a) for a in ("lab-server", "backups", "parcels"))

    together = count_people([*server.groups, *backups.groups, *parcels.groups])

    assert together == server.people_count  # the backups and a parcel hold the same people


@pytest.mark.parametrize(
    ("profile_id", "asset_id"),
    [("odl", "lab-server"), ("odl", "paper-records"), ("sunray", "mailbox")],
)
def test_whether_children_or_vulnerable_adults_are_involved_is_asked_per_incident(
    profile_id, asset_id
):
    asset = shipped(profile_id).asset(asset_id)

    assert not asset.vulnerable  # the documents do not say so
    asked = [g for g in asset.groups if g.vulnerable is None]
    assert asked
    assert all(g.vulnerable_hint for g in asked)


@pytest.mark.parametrize(
    ("asset_id", "words"),
    [
        ("lab-server", "Transactor"),
        ("lab-server", "Sage"),
        ("paper-records", "EvaStore"),
        ("backups", "restore points"),
    ],
)
def test_retention_the_notes_do_not_state_is_an_open_question_for_the_dpo(asset_id, words):
    questions = " ".join(shipped("odl").asset(asset_id).open_questions)

    assert words in questions
