"""One answer to "whose data is it": the split into the organisation's own data (controller)
and data held for others (processor), the decision on each, and the controllers to tell."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from breachdesk.domain.assessment import assess_by_role
from breachdesk.domain.assessment import parse_facts
from breachdesk.domain.assessment import split_by_role
from breachdesk.domain.profile import Profile
from breachdesk.domain.profile import profile_from_mapping
from breachdesk.domain.vocabulary import ActingAs

ODL = Path(__file__).resolve().parents[2] / "breachdesk" / "profiles" / "odl.toml"
RANSOMWARE = {
    "breach_types": ["confidentiality", "availability"],
    "cause": "malicious",
    "data_categories": ["basic_identity", "date_of_birth", "health"],
    "subjects_count": 6250,
    "vulnerable_subjects": True,
    "became_aware_at": "2026-03-10T08:42:00+00:00",
}


def odl() -> Profile:
    return profile_from_mapping(tomllib.loads(ODL.read_text(encoding="utf-8")), str(ODL))


def lab(profile: Profile, groups: list[dict[str, Any]], contacts=()) -> Profile:
    """A one-asset profile holding ``groups``, with ``contacts`` (id, name, kind, notes)."""
    document = tomllib.loads(ODL.read_text(encoding="utf-8"))
    document["contacts"] = [
        {"id": cid, "name": name, "kind": kind, "service": "Their data", "notes": notes}
        for cid, name, kind, notes in contacts
    ]
    document["organisation"].pop("it_contractor", None)  # its contact is not among these
    server = {**document["assets"][0], "groups": groups, "contacts": [c[0] for c in contacts]}
    document["assets"] = [server]
    return profile_from_mapping(document, "test.toml")


def group(name: str, role: str, categories: list[str], count: int, **more: Any) -> dict:
    return {
        "name": name,
        "count": count,
        "vulnerable": more.get("vulnerable", False),
        "data_categories": categories,
        "acting_as": role,
        **({"controllers": more["controllers"]} if "controllers" in more else {}),
    }


def test_a_mixed_asset_is_decided_per_role_and_the_ico_hears_about_our_own_data():
    profile = odl()
    roles = assess_by_role(parse_facts(RANSOMWARE), profile, ["lab-server"])

    assert roles.mixed
    mine, held = roles.part(ActingAs.CONTROLLER), roles.part(ActingAs.PROCESSOR)
    assert mine.facts.data_categories == ("basic_identity",)
    assert not mine.facts.vulnerable_subjects
    assert held.facts.data_categories == ("basic_identity", "date_of_birth", "health")
    assert held.facts.subjects_count == 6000
    assert held.groups == ("Patients of the practices",)
    # The patients' data is high risk in the processor's view, passed to the practices;
    # the ICO and the people hear about our own data, at its own risk.
    assert held.decision.risk == "high"
    assert held.decision.notify_controller
    assert (roles.decision.risk, roles.decision.notify_ico) == (mine.decision.risk, True)
    assert roles.decision.notify_subjects is False
    assert roles.decision.notify_controller is True
    assert [c.name for c in roles.controllers] == [
        "the dental practices that sent the prescriptions"
    ]


def test_the_combined_decision_asks_the_questions_that_change_either_duty():
    first_hour = {**RANSOMWARE, "breach_types": ["availability"]}
    roles = assess_by_role(parse_facts(first_hour), odl(), ["lab-server"])

    assert roles.decision.notify_ico
    assert roles.decision.provisional
    assert roles.decision.open_questions
    assert all(p.decision.open_questions for p in roles.parts)


def test_data_held_only_for_others_goes_to_the_controllers_not_the_ico():
    profile = lab(
        odl(),
        [group("Patients", "processor", ["health"], 300, controllers="the practices")],
    )
    facts = parse_facts({**RANSOMWARE, "data_categories": ["health"], "acting_as": "processor"})
    roles = assess_by_role(facts, profile, ["lab-server"])

    assert not roles.mixed
    assert (roles.decision.notify_controller, roles.decision.notify_ico) == (True, False)
    assert [c.line for c in roles.controllers] == ["The practices (for: Patients)"]


def test_data_the_dpo_says_is_held_for_others_goes_to_the_assets_controller_contacts():
    # The profile holds it as our own, but the DPO has recorded that we act as processor.
    contacts = [("surgery", "Hill Surgery", "controller", "Call the practice manager.")]
    profile = lab(odl(), [group("Patients", "controller", ["health"], 300)], contacts)
    facts = parse_facts({**RANSOMWARE, "data_categories": ["health"], "acting_as": "processor"})

    (told,) = assess_by_role(facts, profile, ["lab-server"]).controllers

    assert told.line == "Hill Surgery (for: Patients). Call the practice manager."


def test_controllers_are_told_only_of_data_held_for_them():
    profile = lab(odl(), [group("Practices", "controller", ["basic_identity"], 150)])
    roles = assess_by_role(parse_facts(RANSOMWARE), profile, ["lab-server"])

    assert roles.controllers == ()
    assert not roles.decision.notify_controller


def test_categories_no_group_holds_stay_with_our_own_data():
    groups = odl().asset("lab-server").groups
    facts = parse_facts({**RANSOMWARE, "data_categories": ["health", "payment_card"]})

    parts = split_by_role(facts, groups)

    assert parts[ActingAs.CONTROLLER].data_categories == ("payment_card",)
    assert parts[ActingAs.PROCESSOR].data_categories == ("health",)
    assert parts[ActingAs.PROCESSOR].vulnerable_subjects
