"""The decision engine against the contract: the worked examples, the output contract,
the duties of Arts. 33 and 34, the deadline and the strict parsing of facts."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from breachdesk.domain.assessment import ENGINE_VERSION
from breachdesk.domain.assessment import Availability
from breachdesk.domain.assessment import Facts
from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import assess
from breachdesk.domain.assessment import band_for
from breachdesk.domain.assessment import decision_to_dict
from breachdesk.domain.assessment import facts_to_dict
from breachdesk.domain.assessment import parse_facts
from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import DataCategory

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "assessment"
OUTPUT_KEYS = [
    "personal_data_breach",
    "risk",
    "notify_ico",
    "notify_subjects",
    "subject_channel",
    "notify_controller",
    "severity",
    "reasons",
    "ico_deadline",
    "provisional",
    "open_questions",
    "engine_version",
]


def example_files() -> list[Path]:
    """The worked examples in the test fixtures; a missing folder is a failure, never a skip."""
    files = sorted(EXAMPLES.glob("*.json"))
    if not files:
        raise AssertionError(f"no worked examples found in {EXAMPLES}")
    return files


def facts(**overrides: Any) -> dict[str, Any]:
    """A small, valid confidentiality breach, changed by the given fields."""
    base: dict[str, Any] = {
        "breach_types": ["confidentiality"],
        "data_categories": ["basic_identity"],
        "subjects_count": 10,
    }
    base.update(overrides)
    return base


def decide(**overrides: Any) -> dict[str, Any]:
    return decision_to_dict(assess(parse_facts(facts(**overrides))))


# --- The worked examples ----------------------------------------------------------------


def test_the_worked_examples_folder_is_present():
    assert EXAMPLES.is_dir(), f"missing {EXAMPLES}"
    assert len(example_files()) >= 7


@pytest.mark.parametrize("path", example_files(), ids=lambda path: path.stem)
def test_each_worked_example_reaches_the_guidance_decision(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    decision = decision_to_dict(assess(parse_facts(case["facts"])))
    for key in case["asserts"]:
        assert decision[key] == case["expected"][key], f"{case['id']}: {key}"
    if "expected_ico_deadline_utc" in case:
        assert decision["ico_deadline"] == case["expected_ico_deadline_utc"]


# --- The output contract --------------------------------------------------------------------


def test_decision_json_has_exactly_the_spec_keys_in_order():
    decision = decide()
    assert list(decision) == OUTPUT_KEYS
    assert list(decision["severity"]) == ["method", "score", "band"]
    assert decision["engine_version"] == ENGINE_VERSION
    json.dumps(decision)  # plain JSON types only


def test_every_reason_is_plain_text_citing_a_provision():
    decision = decide(
        data_categories=["health", "payment_card"],
        vulnerable_subjects=True,
        recipient="public",
        became_aware_at="2026-11-20T09:15:00+00:00",
    )
    assert decision["reasons"]
    for reason in decision["reasons"]:
        assert reason["code"]
        assert reason["code"] == reason["code"].lower()
        assert reason["text"].endswith(".")
        assert any(word in reason["ref"] for word in ("UK GDPR", "EDPB", "WP250", "ENISA", "ICO"))


def test_enisa_severity_is_given_as_a_reason_with_its_score():
    decision = decide(data_categories=["basic_identity", "date_of_birth", "other"])
    enisa = [r for r in decision["reasons"] if r["code"] == "enisa-severity"]
    assert len(enisa) == 1
    assert enisa[0]["ref"] == "ENISA 2013 severity methodology"
    assert str(decision["severity"]["score"]) in enisa[0]["text"]


def test_enisa_score_is_context_times_identification_plus_circumstances():
    # Health (DPC 4) x direct (EI 1) + unknown number of recipients 0.5 + malice 0.5.
    decision = decide(data_categories=["health"], recipient="public", cause="malicious")
    assert decision["severity"] == {"method": "ENISA 2013", "score": 5.0, "band": "very high"}


@pytest.mark.parametrize(
    ("score", "band"),
    [(0.5, "low"), (1.99, "low"), (2, "medium"), (2.99, "medium"), (3, "high"), (4, "very high")],
)
def test_enisa_bands_follow_the_methodology(score: float, band: str):
    assert band_for(score) == band


# --- Arts. 33 and 34 ------------------------------------------------------------------------


def test_no_personal_data_means_no_personal_data_breach_and_nothing_to_notify():
    decision = decide(data_categories=[], recipient="public", cause="malicious")
    assert decision["personal_data_breach"] is False
    assert decision["risk"] == "unlikely"
    assert decision["notify_ico"] is False
    assert decision["notify_subjects"] is False
    assert decision["reasons"][0]["code"] == "not-personal-data"


def test_a_processor_tells_the_controller_whatever_the_risk():
    low = decide(acting_as="processor", recipient="trusted", data_recovered=True)
    high = decide(acting_as="processor", data_categories=["health"], recipient="public")
    for decision in (low, high):
        assert decision["notify_controller"] is True
        assert decision["notify_ico"] is False
        assert decision["notify_subjects"] is False
        assert decision["subject_channel"] is None
    assert (low["risk"], high["risk"]) == ("unlikely", "high")


def test_a_processor_with_no_personal_data_has_nothing_to_pass_on():
    decision = decide(acting_as="processor", data_categories=[])
    assert decision["notify_controller"] is False


def test_a_mitigated_high_risk_is_still_reported_but_people_need_not_be_told():
    decision = decide(data_categories=["health"], recipient="public", mitigated=True)
    assert (decision["risk"], decision["notify_ico"]) == ("high", True)
    assert decision["notify_subjects"] is False
    assert decision["subject_channel"] is None
    assert "art-34-3-b" in {r["code"] for r in decision["reasons"]}


def test_disproportionate_effort_alone_means_a_public_communication():
    decision = decide(data_categories=["health"], recipient="public", disproportionate_effort=True)
    assert (decision["notify_subjects"], decision["subject_channel"]) == (False, "public")


def test_disproportionate_effort_with_mitigation_needs_no_communication_at_all():
    decision = decide(
        data_categories=["health"],
        recipient="public",
        disproportionate_effort=True,
        mitigated=True,
    )
    assert (decision["notify_subjects"], decision["subject_channel"]) == (False, None)


def test_a_high_risk_with_no_exception_means_telling_each_person_directly():
    decision = decide(data_categories=["payment_card"], recipient="malicious")
    assert (decision["notify_subjects"], decision["subject_channel"]) == (True, "direct")


def test_a_breach_that_is_a_risk_but_not_high_goes_to_the_ico_only():
    decision = decide(data_categories=["basic_identity", "date_of_birth"], recipient="unknown")
    assert (decision["risk"], decision["notify_ico"], decision["notify_subjects"]) == (
        "risk",
        True,
        False,
    )


def test_unlikely_risk_is_recorded_with_the_reason_for_not_reporting():
    decision = decide(recipient="trusted", data_recovered=True)
    codes = {r["code"] for r in decision["reasons"]}
    assert {"no-report-to-ico", "record-in-register", "trusted-recipient"} <= codes


def test_a_leaked_encryption_key_makes_encrypted_data_count_as_readable():
    safe = decide(data_categories=["health"], recipient="malicious", protection="encrypted")
    leaked = decide(
        data_categories=["health"], recipient="malicious", protection="encrypted_key_compromised"
    )
    assert (safe["risk"], leaked["risk"]) == ("unlikely", "high")


def test_impersonation_already_seen_is_high_risk_even_with_simple_data():
    decision = decide(data_categories=["basic_identity", "other"], misuse_observed=True)
    assert decision["risk"] == "high"


def test_pseudonymised_data_weighs_less_than_directly_identifying_data():
    direct = decide(data_categories=["health"], recipient="known_untrusted", subjects_count=200)
    pseudo = decide(
        data_categories=["health"],
        recipient="known_untrusted",
        subjects_count=200,
        identifiability="pseudonymised",
    )
    assert (direct["risk"], pseudo["risk"]) == ("high", "risk")


def test_a_short_outage_of_non_clinical_data_with_a_backup_is_only_recorded():
    decision = decide(
        breach_types=["availability"],
        availability={"backup_available": True, "outage_hours": 3, "people_affected": False},
    )
    assert decision["risk"] == "unlikely"


def test_an_outage_beyond_72_hours_is_reported():
    decision = decide(breach_types=["availability"], availability={"outage_hours": 96})
    assert decision["risk"] == "risk"


# --- The 72-hour deadline -------------------------------------------------------------------


def test_deadline_is_72_elapsed_hours_across_the_spring_clock_change():
    decision = decide(became_aware_at="2026-03-28T10:00:00+00:00")
    assert decision["ico_deadline"] == "2026-03-31T10:00:00+00:00"  # 11:00 BST


def test_deadline_crosses_the_autumn_clock_change_in_elapsed_hours():
    decision = decide(became_aware_at="2026-10-24T23:30:00+01:00")
    assert decision["ico_deadline"] == "2026-10-27T22:30:00+00:00"
    deadline_text = next(r["text"] for r in decision["reasons"] if r["code"] == "ico-deadline")
    assert "22:30 GMT on Tuesday 27 October 2026" in deadline_text


def test_deadline_is_given_even_when_no_report_is_needed():
    decision = decide(recipient="trusted", became_aware_at="2026-11-20T09:15:00Z")
    assert decision["notify_ico"] is False
    assert decision["ico_deadline"] == "2026-11-23T09:15:00+00:00"


def test_deadline_is_null_when_awareness_is_not_recorded():
    assert decide()["ico_deadline"] is None


# --- Parsing the facts ----------------------------------------------------------------------


def test_defaults_follow_the_spec():
    parsed = parse_facts(facts())
    assert parsed == Facts(
        breach_types=(BreachType.CONFIDENTIALITY,),
        data_categories=(DataCategory.BASIC_IDENTITY,),
        subjects_count=10,
    )
    assert (parsed.cause, parsed.identifiability, parsed.protection) == (
        "unknown",
        "direct",
        "none",
    )
    assert (parsed.exfiltration, parsed.recipient, parsed.acting_as) == (
        "unknown",
        "unknown",
        "controller",
    )


def test_facts_round_trip_through_a_dict():
    original = parse_facts(
        facts(
            records_count=30,
            availability={"backup_available": True, "outage_hours": 1.5},
            became_aware_at="2026-07-01T09:00:00+01:00",
            mitigated=True,
        )
    )
    assert parse_facts(facts_to_dict(original)) == original
    assert original.became_aware_at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert original.availability == Availability(backup_available=True, outage_hours=1.5)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"subjects_count": "lots"},
            "subjects_count: must be a whole number of 0 or more, got 'lots'",
        ),
        ({"subjects_count": True}, "subjects_count: must be a whole number of 0 or more"),
        ({"subjects_count": -1}, "subjects_count: must be a whole number of 0 or more"),
        ({"subjects_count": 2.5}, "subjects_count: must be a whole number of 0 or more"),
        ({"records_count": False}, "records_count: must be a whole number of 0 or more"),
        ({"breach_types": []}, "breach_types: must name at least one of"),
        ({"breach_types": "confidentiality"}, "breach_types: must be a list of"),
        ({"data_categories": ["medical"]}, "data_categories: must be one of"),
        ({"cause": "hacker"}, "cause: must be one of malicious, accidental, unknown"),
        ({"recipient": None}, "recipient: must be one of"),
        ({"vulnerable_subjects": "yes"}, "vulnerable_subjects: must be true or false"),
        ({"colour": "red"}, "colour: is not a known field"),
        ({"availability": []}, "availability: must be an object"),
        ({"availability": {"outage_hours": -2}}, "availability.outage_hours: must be a number"),
        ({"availability": {"outage_hours": True}}, "availability.outage_hours: must be a number"),
        ({"availability": {"backup": True}}, "availability.backup: is not a known field"),
        ({"availability": {"permanent_loss": 1}}, "availability.permanent_loss: must be true"),
        ({"became_aware_at": "2026-11-20T09:15:00"}, "became_aware_at: must include a UTC"),
        ({"became_aware_at": "yesterday"}, "became_aware_at: must be an ISO 8601 date-time"),
        ({"became_aware_at": 1700000000}, "became_aware_at: must be an ISO 8601 date-time"),
    ],
)
def test_invalid_facts_are_rejected_naming_the_field(overrides: dict[str, Any], message: str):
    with pytest.raises(FactsError) as caught:
        parse_facts(facts(**overrides))
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_missing_required_fields_are_named():
    for name in ("breach_types", "data_categories", "subjects_count"):
        incomplete = facts()
        del incomplete[name]
        with pytest.raises(FactsError, match=f"^{name}: is required$"):
            parse_facts(incomplete)


def test_facts_that_are_not_an_object_are_rejected():
    with pytest.raises(FactsError, match="^facts: must be a JSON object, got a list$"):
        parse_facts([facts()])


def test_facts_error_keeps_the_field_and_message_apart():
    error = FactsError("subjects_count", "must be a whole number of 0 or more, got 'lots'")
    assert (error.field, error.message) == (
        "subjects_count",
        "must be a whole number of 0 or more, got 'lots'",
    )
