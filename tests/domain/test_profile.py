"""The organisation profile: the shipped profiles, the model's helpers, and every refusal."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from breachdesk.domain.profile import GENERAL_PLAYBOOK
from breachdesk.domain.profile import Asset
from breachdesk.domain.profile import ContactKind
from breachdesk.domain.profile import CountBasis
from breachdesk.domain.profile import Group
from breachdesk.domain.profile import Profile
from breachdesk.domain.profile import ProfileError
from breachdesk.domain.profile import ReminderPolicy
from breachdesk.domain.profile import ReportsTo
from breachdesk.domain.profile import profile_from_mapping
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import DataCategory

PROFILES = Path(__file__).resolve().parents[2] / "breachdesk" / "profiles"
SOURCE = "test.toml"

ODL_PLAYBOOKS = {
    "lab-server": "lab-server",
    "backups": "backups",
    "website": "website-host",
    "email": "email",
    "courier-address-books": "courier-address-books",
    "paper-records": "paper-records",
    "parcels": "misdirected-parcel",
    "staff-records": "general",
}
SUNRAY_PLAYBOOKS = {
    "office-pcs": "office-pcs",
    "web-host": "website-host",
    "mailbox": "email",
    "worldpay": "worldpay-alert",
    "filing-cabinet": "lost-order-letter",
    "recorded-delivery-slips": "lost-recorded-delivery-slip",
    "post": "misdirected-parcel",
    "technicians": "lost-order-letter",
    "natwest": "lost-order-letter",
}


def shipped(profile_id: str) -> Profile:
    path = PROFILES / f"{profile_id}.toml"
    return profile_from_mapping(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


def minimal() -> dict[str, Any]:
    """The smallest valid profile document, fresh for each test to break."""
    return {
        "organisation": {
            "id": "acme",
            "name": "Acme Optics",
            "address": "1 High Street, Anytown AB1 2CD",
            "ico_registration": "ZA123456",
            "staff_training": "Yearly data-protection refresher.",
        },
        "dpo": {"name": "Dee Poe", "email": "dpo@acme.example"},
        "deputy": {"name": "Dep Uty", "email": "deputy@acme.example"},
        "contacts": [{"id": "host", "name": "Host Ltd", "kind": "processor", "service": "Web"}],
        "assets": [
            {
                "id": "shop",
                "name": "Online shop",
                "description": "The web shop.",
                "playbook": "website-host",
                "protection": "Passwords.",
                "encrypted_at_rest": False,
                "encrypted_in_transit": True,
                "contacts": ["host"],
                "retention": "One year.",
                "groups": [
                    {
                        "name": "Customers",
                        "count": 40,
                        "vulnerable": False,
                        "data_categories": ["basic_identity", "health"],
                        "acting_as": "controller",
                    }
                ],
            }
        ],
    }


def refusal(data: dict[str, Any]) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        profile_from_mapping(data, SOURCE)
    return caught.value


def group(data: dict[str, Any]) -> dict[str, Any]:
    return data["assets"][0]["groups"][0]


# --- The shipped profiles ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile_id", "playbooks"), [("odl", ODL_PLAYBOOKS), ("sunray", SUNRAY_PLAYBOOKS)]
)
def test_shipped_profile_has_the_agreed_assets_and_playbooks(profile_id, playbooks):
    profile = shipped(profile_id)

    assert profile.id == profile_id
    assert {asset.id: asset.playbook for asset in profile.assets} == playbooks


@pytest.mark.parametrize("profile_id", ["odl", "sunray"])
def test_every_shipped_asset_has_groups_with_data_categories(profile_id):
    for asset in shipped(profile_id).assets:
        assert asset.groups, asset.id
        for each in asset.groups:
            assert each.data_categories, f"{asset.id}: {each.name}"
            assert each.count >= 0


@pytest.mark.parametrize("asset_id", ["lab-server", "paper-records", "parcels", "email"])
def test_odl_holds_patients_data_as_processor_for_the_dental_practices(asset_id):
    asset = shipped("odl").asset(asset_id)

    patients = [g for g in asset.processor_groups if "atient" in g.name]
    assert patients, f"{asset_id} has no patients held as processor"
    for each in patients:
        assert each.acting_as is ActingAs.PROCESSOR
        assert "dental practice" in each.controllers
        # ODL's notes do not say the patients are vulnerable: asked for each incident.
        assert each.vulnerable is None
        assert "children" in each.vulnerable_hint
        assert DataCategory.HEALTH in each.data_categories


def test_odl_practices_and_enquirers_are_its_own_data():
    lab_server = shipped("odl").asset("lab-server")

    names = [g.name for g in lab_server.controller_groups]
    assert "Dental practices and clinicians" in names
    assert DataCategory.PROFESSIONAL in lab_server.data_categories
    assert DataCategory.FINANCIAL in lab_server.data_categories


def test_sunray_customers_are_not_vulnerable_but_their_prescriptions_are_health_data():
    sunray = shipped("sunray")

    assert not any(asset.vulnerable for asset in sunray.assets)
    assert DataCategory.HEALTH in sunray.asset("mailbox").data_categories
    assert DataCategory.PAYMENT_CARD in sunray.asset("worldpay").data_categories
    assert DataCategory.PAYMENT_CARD not in sunray.asset("mailbox").data_categories


def test_sunray_keeps_its_promise_and_names_its_dpo():
    sunray = shipped("sunray")

    assert sunray.people_notice_hours == 72
    assert sunray.people_promise_words() == (
        "Sunray Vision's privacy notice promises to tell customers within 72 hours"
    )
    assert sunray.dpo.name == "Clive Durham"
    assert sunray.dpo.email == "support@sunrayvision.co.uk"
    assert "DL3 9PH" in sunray.address
    assert sunray.reports_to is ReportsTo.ICO


def test_both_profiles_list_the_ico_as_the_authority():
    for profile_id in ("odl", "sunray"):
        assert shipped(profile_id).contact("ico").kind is ContactKind.AUTHORITY


# --- The model's helpers -------------------------------------------------------------------


def test_report_form_choices_end_with_something_else_or_not_sure():
    choices = shipped("odl").asset_choices()

    assert choices[0] == ("lab-server", "Lab server (Transactor and Sage)")
    assert choices[-1] == (NOT_SURE_ASSET, "Something else / not sure")
    assert len(choices) == 9


def test_not_sure_runs_the_general_playbook():
    odl = shipped("odl")

    assert odl.playbook_for(NOT_SURE_ASSET) == GENERAL_PLAYBOOK
    assert odl.playbook_for("parcels") == "misdirected-parcel"


def test_asking_for_an_unknown_asset_or_contact_raises_key_error():
    odl = shipped("odl")

    with pytest.raises(KeyError):
        odl.asset("server-room")
    with pytest.raises(KeyError):
        odl.contact("nobody")


def test_contacts_for_an_asset_come_back_in_the_order_the_asset_lists_them():
    odl = shipped("odl")

    names = [c.name for c in odl.contacts_for("backups")]
    assert names[:2] == ["Solawinds", "Reliant (UK) Ltd"]
    assert odl.contacts_for(odl.asset("backups")) == odl.contacts_for("backups")


def test_asset_sums_its_groups_and_merges_their_categories_in_order():
    asset = Asset(
        id="a",
        name="A",
        groups=(
            Group("Staff", 5, False, (DataCategory.BASIC_IDENTITY, DataCategory.FINANCIAL)),
            Group("Patients", 7, True, (DataCategory.HEALTH, DataCategory.BASIC_IDENTITY)),
        ),
    )

    assert asset.people_count == 12
    assert asset.vulnerable
    assert asset.data_categories == ("basic_identity", "financial", "health")
    assert asset.processor_groups == ()


def test_a_profile_without_reminders_gets_the_default_schedule():
    profile = profile_from_mapping(minimal(), SOURCE)

    assert profile.reminders == ReminderPolicy()
    assert profile.people_notice_hours is None  # no promise: the law sets no hours
    assert profile.timezone == "Europe/London"
    assert profile.legal_name == "Acme Optics"
    assert "ico.org.uk" in profile.report_route


def test_a_dspt_profile_gets_the_toolkit_as_its_report_route():
    data = minimal()
    data["organisation"]["reports_to"] = "dspt"

    profile = profile_from_mapping(data, SOURCE)

    assert profile.report_route == "the NHS Data Security and Protection Toolkit"


# --- Refusals: every one names the file, the field path and what is wrong -------------------


def test_error_reads_file_then_field_then_problem():
    data = minimal()
    group(data)["count"] = "many"

    error = refusal(data)

    assert str(error) == (
        "test.toml: assets[0].groups[0].count: must be a whole number of 0 or more, got 'many'"
    )
    assert (error.source, error.field) == (SOURCE, "assets[0].groups[0].count")
    assert str(copy.copy(error)) == str(error)  # rebuilt through __reduce__, as pickling does


@pytest.mark.parametrize("count", [12.5, True, -1])
def test_count_that_is_not_a_whole_number_is_refused(count):
    data = minimal()
    group(data)["count"] = count

    assert refusal(data).field == "assets[0].groups[0].count"


def test_unknown_data_category_is_refused_with_the_valid_ones():
    data = minimal()
    group(data)["data_categories"] = ["basic_identity", "medical"]

    error = refusal(data)

    assert error.field == "assets[0].groups[0].data_categories[1]"
    assert "unknown data category 'medical'" in error.message
    assert "health" in error.message


def test_a_group_with_no_data_categories_is_refused():
    data = minimal()
    group(data)["data_categories"] = []

    assert refusal(data).field == "assets[0].groups[0].data_categories"


def test_unknown_time_zone_is_refused():
    data = minimal()
    data["organisation"]["timezone"] = "Europe/Londn"

    error = refusal(data)

    assert error.field == "organisation.timezone"
    assert "unknown time zone 'Europe/Londn'" in error.message


def test_missing_organisation_name_is_refused():
    data = minimal()
    del data["organisation"]["name"]

    assert str(refusal(data)) == "test.toml: organisation.name: is required"


def test_blank_dpo_name_is_refused():
    data = minimal()
    data["dpo"]["name"] = "  "

    assert str(refusal(data)) == "test.toml: dpo.name: must not be empty"


def test_duplicate_asset_id_is_refused():
    data = minimal()
    data["assets"].append(dict(data["assets"][0]))

    error = refusal(data)

    assert error.field == "assets[1].id"
    assert error.message == "duplicate asset id 'shop' (also assets[0])"


def test_asset_referring_to_an_unknown_contact_is_refused():
    data = minimal()
    data["assets"][0]["contacts"] = ["host", "hots"]

    error = refusal(data)

    assert error.field == "assets[0].contacts[1]"
    assert "unknown contact 'hots'" in error.message


def test_bad_acting_as_is_refused():
    data = minimal()
    group(data)["acting_as"] = "procesor"

    error = refusal(data)

    assert error.field == "assets[0].groups[0].acting_as"
    assert error.message == "got 'procesor'; must be one of controller, processor"


def test_data_held_as_processor_must_name_its_controllers():
    data = minimal()
    group(data)["acting_as"] = "processor"

    assert refusal(data).field == "assets[0].groups[0].controllers"


def test_missing_deputy_is_refused():
    data = minimal()
    del data["deputy"]

    error = refusal(data)

    assert error.field == "deputy"
    assert error.message.startswith("is required")


def test_bad_reports_to_is_refused():
    data = minimal()
    data["organisation"]["reports_to"] = "police"

    error = refusal(data)

    assert error.field == "organisation.reports_to"
    assert "ico, dspt" in error.message


def test_odl_promises_no_time_for_telling_people_so_none_is_assumed():
    odl = shipped("odl")

    assert odl.people_notice_hours is None
    assert odl.people_promise_words() is None


def test_a_promise_without_where_or_to_whom_is_said_plainly():
    data = minimal()
    data["organisation"]["people_notice_hours"] = 48

    profile = profile_from_mapping(data, SOURCE)

    assert profile.people_promise_words() == (
        "Acme Optics promises to tell the people affected within 48 hours"
    )


@pytest.mark.parametrize("key", ["people_notice_promised_in", "people_notice_to"])
def test_where_a_promise_is_made_without_its_hours_is_refused(key):
    data = minimal()
    data["organisation"][key] = "privacy notice"

    error = refusal(data)

    assert error.field == f"organisation.{key}"
    assert error.message.startswith("only means something with people_notice_hours")


@pytest.mark.parametrize("hours", [0, -24, True, "72"])
def test_people_notice_hours_must_be_positive(hours):
    data = minimal()
    data["organisation"]["people_notice_hours"] = hours

    error = refusal(data)

    assert error.field == "organisation.people_notice_hours"
    assert error.message == f"must be a whole number of 1 or more, got {hours!r}"


def test_misspelt_key_is_refused_with_a_suggestion():
    data = minimal()
    group(data)["vulnerabel"] = True

    error = refusal(data)

    assert error.field == "assets[0].groups[0].vulnerabel"
    assert error.message == "unknown key; did you mean 'vulnerable'?"


def test_unknown_top_level_section_is_refused():
    data = minimal()
    data["extras"] = {}

    assert refusal(data).field == "extras"


def test_not_sure_cannot_be_used_as_an_asset_id():
    data = minimal()
    data["assets"][0]["id"] = NOT_SURE_ASSET

    assert refusal(data).field == "assets[0].id"


def test_asset_id_with_spaces_or_capitals_is_refused():
    data = minimal()
    data["assets"][0]["id"] = "Online Shop"

    assert refusal(data).field == "assets[0].id"


def test_unknown_contact_kind_is_refused():
    data = minimal()
    data["contacts"][0]["kind"] = "supplier"

    assert refusal(data).field == "contacts[0].kind"


def test_encryption_flag_written_as_text_is_refused():
    data = minimal()
    data["assets"][0]["encrypted_at_rest"] = "yes"

    error = refusal(data)

    assert error.field == "assets[0].encrypted_at_rest"
    assert error.message == "must be true or false, got 'yes'"


def test_ico_registration_number_must_look_like_one():
    data = minimal()
    data["organisation"]["ico_registration"] = "12345"

    assert refusal(data).field == "organisation.ico_registration"


def test_dpo_email_must_be_an_email_address():
    data = minimal()
    data["dpo"]["email"] = "dpo at acme"

    assert refusal(data).field == "dpo.email"


def test_reminders_must_rise_and_fall_before_the_ico_deadline():
    data = minimal()
    data["reminders"] = {"hours_after_awareness": [48, 24, 80]}

    assert refusal(data).field == "reminders.hours_after_awareness"


def test_reminder_recipient_must_be_dpo_deputy_or_a_contact():
    data = minimal()
    data["reminders"] = {"recipients": ["dpo", "host", "boss"]}

    error = refusal(data)

    assert error.field == "reminders.recipients[2]"


def test_a_profile_with_no_assets_is_refused():
    data = minimal()
    data["assets"] = []

    assert refusal(data).field == "assets"


# --- Counts, the same people, the vulnerable question and open questions -----------------


def test_groups_of_the_same_people_are_counted_once_at_their_largest():
    data = minimal()
    data["assets"][0]["groups"] = [
        {**group(minimal()), "name": "Customers", "count": 40},
        {**group(minimal()), "name": "Card payers", "count": 30, "people": "Customers"},
        {**group(minimal()), "name": "Enquirers", "count": 5},
    ]

    shop = profile_from_mapping(data, SOURCE).asset("shop")

    assert shop.people_count == 40 + 5


def test_a_count_says_whether_it_is_an_estimate_or_a_demo_figure():
    data = minimal()
    group(data)["count_basis"] = "demo"

    assert profile_from_mapping(data, SOURCE).assets[0].groups[0].count_basis is CountBasis.DEMO
    assert profile_from_mapping(minimal(), SOURCE).assets[0].groups[0].count_basis is (
        CountBasis.ESTIMATE
    )
    group(data)["count_basis"] = "exact"
    assert refusal(data).field == "assets[0].groups[0].count_basis"


def test_vulnerable_ask_needs_a_hint_and_a_hint_needs_ask():
    data = minimal()
    group(data)["vulnerable"] = "ask"
    assert "is required" in refusal(data).message

    group(data)["vulnerable_hint"] = "Some customers are children."
    asked = profile_from_mapping(data, SOURCE).assets[0]
    assert asked.groups[0].vulnerable is None
    assert not asked.vulnerable  # not known to be: it is asked for each incident

    group(data)["vulnerable"] = False
    assert refusal(data).field == "assets[0].groups[0].vulnerable_hint"
    group(data)["vulnerable"] = "sometimes"
    assert 'must be true, false or "ask"' in refusal(data).message


def test_open_questions_are_listed_with_their_asset():
    data = minimal()
    data["assets"][0]["open_questions"] = ["How long is an order kept?"]

    assert profile_from_mapping(data, SOURCE).assets[0].open_questions == (
        "How long is an order kept?",
    )


def test_promises_and_the_it_contractor_are_read_and_checked():
    data = minimal()
    data["organisation"]["promises"] = ["status-updates"]
    data["organisation"]["it_contractor"] = "host"

    profile = profile_from_mapping(data, SOURCE)

    assert [p.value for p in profile.promises] == ["status-updates"]
    assert profile.it_contractor == "host"
    data["organisation"]["it_contractor"] = "reliant"
    assert "unknown contact 'reliant'" in refusal(data).message
    data["organisation"]["it_contractor"] = "host"
    data["organisation"]["promises"] = ["a discount"]
    assert refusal(data).field == "organisation.promises[0]"


def test_sunray_promises_status_updates_and_has_no_it_contractor():
    sunray, odl = shipped("sunray"), shipped("odl")

    assert [p.value for p in sunray.promises] == ["status-updates"]
    assert sunray.it_contractor is None  # one person handles the data: IT steps are the DPO's
    assert odl.promises == ()
    assert odl.it_contractor == "reliant"
