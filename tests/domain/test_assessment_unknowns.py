"""Facts not yet known, and the rules that keep a false "no need to report" out.

Each test names the rule it pins (docs/facts.md, "Facts not yet known"); the worked cases in
tests/fixtures/assessment/rule-*.json carry the same rules as whole breaches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from breachdesk.domain.assessment import assess
from breachdesk.domain.assessment import decision_to_dict
from breachdesk.domain.assessment import parse_facts

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ransomware.json"


def decide(**facts: Any) -> dict[str, Any]:
    return decision_to_dict(assess(parse_facts(facts)))


def outcome(decision: dict[str, Any]) -> tuple[str, bool, bool]:
    return decision["risk"], decision["notify_ico"], decision["notify_subjects"]


def asked(decision: dict[str, Any]) -> dict[tuple[str, Any], dict[str, Any]]:
    return {(q["field"], q["if"]): q for q in decision["open_questions"]}


FIRST_HOUR = {
    "breach_types": ["availability"],
    "cause": "malicious",
    "data_categories": ["basic_identity", "health"],
    "subjects_count": 5000,
    "vulnerable_subjects": True,
}


# --- Unknown is not zero -----------------------------------------------------------------


def test_first_hour_ransomware_tells_the_ico_provisionally_and_asks_what_would_change_it():
    decision = decide(**FIRST_HOUR)
    assert outcome(decision) == ("risk", True, False)
    assert decision["provisional"] is True
    questions = asked(decision)
    high = {"risk": "high", "notify_ico": True, "notify_subjects": True}
    assert questions[("exfiltration", "suspected")]["then"] == high
    assert questions[("availability.people_affected", True)]["then"] == high
    assert questions[("availability.backup_available", False)]["then"] == high
    lifted = questions[("exfiltration", "ruled_out")]
    assert lifted["then"] == {"risk": "unlikely", "notify_ico": False, "notify_subjects": False}
    assert lifted["together_with"] == [{"field": "availability.outage_hours", "if": 4.0}]
    # What would lift the report comes first: it is what to find out first.
    assert decision["open_questions"][0]["then"]["notify_ico"] is False


def test_the_weighed_unknowns_are_named_in_the_reasons():
    reasons = {r["code"]: r["text"] for r in decide(**FIRST_HOUR)["reasons"]}
    weighed = reasons["unknowns-weighed"]
    for words in ("weighed as days", "no working backup", "weighed as felt", "suspected"):
        assert words in weighed
    assert "not yet required" in reasons["people-not-told"]
    assert "on what is known they are not affected" not in " ".join(reasons.values())


def test_the_documented_example_is_the_first_hour_of_a_ransomware_attack():
    facts = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    decision = decision_to_dict(assess(parse_facts(facts)))
    assert outcome(decision) == ("risk", True, False)
    assert decision["provisional"] is True
    assert decision["open_questions"]


def test_an_unknown_outage_of_simple_data_is_weighed_as_lasting_days():
    # The backup is known to exist, the length of the outage is not.
    decision = decide(
        breach_types=["availability"],
        cause="accidental",
        data_categories=["basic_identity"],
        subjects_count=200,
        availability={"backup_available": True, "people_affected": False},
    )
    assert outcome(decision) == ("risk", True, False)
    assert decision["provisional"] is True
    assert asked(decision)[("availability.outage_hours", 4.0)]["then"]["notify_ico"] is False


def test_a_lasting_outage_of_vulnerable_peoples_data_is_weighed_as_felt():
    known = {"backup_available": True, "outage_hours": 30}
    decision = decide(
        breach_types=["availability"],
        cause="accidental",
        data_categories=["basic_identity"],
        subjects_count=60,
        vulnerable_subjects=True,
        availability=known,
    )
    assert outcome(decision) == ("risk", True, False)
    felt = {**known, "people_affected": False}
    assert outcome(
        decide(
            breach_types=["availability"],
            cause="accidental",
            data_categories=["basic_identity"],
            subjects_count=60,
            vulnerable_subjects=True,
            availability=felt,
        )
    ) == ("unlikely", False, False)


def test_records_altered_in_an_attack_with_no_backup_confirmed_are_reported():
    # The outage was short, but whether a backup holds the correct records is not known:
    # weighed as no working backup, the altered records cannot be put right.
    decision = decide(
        breach_types=["integrity", "availability"],
        cause="malicious",
        data_categories=["basic_identity"],
        subjects_count=50,
        exfiltration="ruled_out",
        recipient="none",
        availability={"outage_hours": 2, "people_affected": False},
    )
    assert outcome(decision) == ("risk", True, False)
    backup = asked(decision)[("availability.backup_available", True)]
    assert backup["then"]["notify_ico"] is False


def test_copying_not_ruled_out_in_an_attack_is_weighed_as_suspected():
    # Access to the data came back within hours, nobody was affected: only the copying is
    # unknown, and in an attack that alone is enough to tell the ICO.
    decision = decide(
        breach_types=["availability"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=300,
        availability={"backup_available": True, "outage_hours": 2, "people_affected": False},
    )
    assert outcome(decision) == ("risk", True, False)
    ruled_out = asked(decision)[("exfiltration", "ruled_out")]
    assert ruled_out["then"]["notify_ico"] is False
    assert "together_with" not in ruled_out


def test_weighing_never_makes_the_risk_high_by_itself():
    # Telling the people (Art. 34) rests on what is known: every unknown of the first hour
    # weighed against the patients still leaves the decision to tell them to the answers.
    decision = decide(**FIRST_HOUR)
    assert decision["notify_subjects"] is False
    assert decision["subject_channel"] is None


def test_a_decision_with_everything_known_is_not_provisional():
    decision = decide(
        breach_types=["availability"],
        cause="malicious",
        data_categories=["basic_identity"],
        subjects_count=40,
        exfiltration="ruled_out",
        recipient="none",
        availability={
            "backup_available": True,
            "outage_hours": 4,
            "permanent_loss": False,
            "people_affected": False,
        },
    )
    assert (decision["provisional"], decision["open_questions"]) == (False, [])


# --- The attacker is a recipient; copying ruled out leaves a loss of access ----------------


@pytest.mark.parametrize("recorded", ["none", "trusted", "unknown", "known_untrusted"])
def test_in_an_attack_the_attacker_is_a_recipient_whatever_was_recorded(recorded: str):
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=40,
        recipient=recorded,
    )
    assert outcome(decision) == ("high", True, True)
    assert "attacker-had-access" in {r["code"] for r in decision["reasons"]}


def test_copying_ruled_out_in_an_attack_is_a_loss_of_access_not_of_secrecy():
    decision = decide(
        breach_types=["confidentiality", "availability"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=20_000,
        exfiltration="ruled_out",
        recipient="malicious",
        availability={
            "backup_available": True,
            "outage_hours": 4,
            "permanent_loss": False,
            "people_affected": False,
        },
    )
    assert outcome(decision) == ("unlikely", False, False)
    assert "access-not-secrecy" in {r["code"] for r in decision["reasons"]}


def test_data_sent_to_someone_was_disclosed_whatever_the_logs_say():
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "health"],
        subjects_count=15,
        exfiltration="ruled_out",
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("risk", True, False)


# --- Recovery counts only where nobody could read the data meanwhile -----------------------


def test_records_recovered_after_days_in_unknown_hands_are_still_reported():
    lost = {
        "breach_types": ["confidentiality"],
        "cause": "accidental",
        "data_categories": ["basic_identity", "health"],
        "subjects_count": 800,
        "recipient": "unknown",
    }
    recovered = decide(**lost, data_recovered=True)
    assert outcome(recovered) == outcome(decide(**lost))
    assert recovered["notify_ico"] is True
    assert "recovered-after-exposure" in {r["code"] for r in recovered["reasons"]}


def test_records_returned_by_a_trusted_recipient_are_only_recorded():
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "health"],
        subjects_count=800,
        recipient="trusted",
        data_recovered=True,
    )
    assert outcome(decision) == ("unlikely", False, False)
    assert "data-recovered" in {r["code"] for r in decision["reasons"]}


# --- The number of people: boundaries, and no cliff for contact details --------------------


@pytest.mark.parametrize(
    ("count", "risk"), [(1, "risk"), (100, "risk"), (101, "high"), (5000, "high")]
)
def test_more_than_a_hundred_people_raise_the_weight_of_health_data(count: int, risk: str):
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["health"],
        subjects_count=count,
        recipient="known_untrusted",
    )
    assert decision["risk"] == risk
    code = "large-number-of-people" if count > 100 else "number-of-people"
    assert code in {r["code"] for r in decision["reasons"]}


@pytest.mark.parametrize(
    ("count", "risk"), [(100, "risk"), (101, "risk"), (10_000, "risk"), (10_001, "high")]
)
def test_more_than_ten_thousand_people_raise_the_weight_of_financial_data(count: int, risk: str):
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["financial"],
        subjects_count=count,
        recipient="known_untrusted",
    )
    assert decision["risk"] == risk


@pytest.mark.parametrize("count", [100, 101, 10_000, 10_001, 250_000])
def test_a_lost_staff_telephone_list_is_not_reportable_at_any_size(count: int):
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "professional"],
        subjects_count=count,
        recipient="unknown",
    )
    assert outcome(decision) == ("unlikely", False, False)
    assert "little-harm-whatever-the-number" in {r["code"] for r in decision["reasons"]}


@pytest.mark.parametrize("count", [30, 10_000, 10_001])
def test_a_staff_telephone_list_altered_by_mistake_is_not_reportable_at_any_size(count: int):
    decision = decide(
        breach_types=["integrity"],
        cause="accidental",
        data_categories=["basic_identity", "professional"],
        subjects_count=count,
    )
    assert outcome(decision) == ("unlikely", False, False)


# --- Misused protected data gets no Art. 34(3)(a) exception ---------------------------------


def test_encrypted_data_that_has_been_misused_means_telling_each_person():
    facts = {
        "breach_types": ["confidentiality"],
        "cause": "malicious",
        "data_categories": ["payment_card"],
        "subjects_count": 300,
        "protection": "encrypted",
        "recipient": "malicious",
    }
    assert outcome(decide(**facts)) == ("unlikely", False, False)
    misused = decide(**facts, misuse_observed=True)
    assert outcome(misused) == ("high", True, True)
    assert misused["subject_channel"] == "direct"
    assert "art-34-3-a" not in {r["code"] for r in misused["reasons"]}


def test_hashed_credentials_that_have_been_misused_are_high_risk():
    facts = {
        "breach_types": ["confidentiality"],
        "cause": "malicious",
        "data_categories": ["credentials"],
        "subjects_count": 1200,
        "protection": "hashed",
        "exfiltration": "confirmed",
        "recipient": "malicious",
    }
    assert outcome(decide(**facts)) == ("unlikely", False, False)
    assert outcome(decide(**facts, misuse_observed=True)) == ("high", True, True)


def test_hashed_passwords_with_readable_health_data_leave_the_people_to_be_told():
    # Art. 34(3)(a) covers the hashed passwords, not the health data beside them.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["credentials", "health"],
        subjects_count=300,
        protection="hashed",
        exfiltration="confirmed",
        recipient="malicious",
    )
    assert outcome(decision) == ("high", True, True)


# --- A severe ENISA score beside an unlikely risk says why -------------------------------


def test_a_very_high_enisa_score_beside_an_unlikely_risk_says_why_they_differ():
    decision = decide(
        breach_types=["availability", "confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "financial"],
        subjects_count=20_000,
        exfiltration="ruled_out",
        recipient="malicious",
        availability={"backup_available": True, "outage_hours": 4, "people_affected": False},
    )
    assert decision["risk"] == "unlikely"
    assert decision["severity"]["band"] == "very high"
    why = next(r["text"] for r in decision["reasons"] if r["code"] == "severity-and-risk")
    assert "evidence rules out copying" in why
    assert "access came back quickly and nobody was affected" in why


def test_a_minor_mistaken_change_says_so_beside_a_high_enisa_score_not_see_above():
    decision = decide(
        breach_types=["integrity"],
        cause="accidental",
        data_categories=["financial"],
        subjects_count=1,
        recipient="trusted",
    )
    assert decision["risk"] == "unlikely"
    assert decision["severity"]["band"] == "high"
    why = next(r["text"] for r in decision["reasons"] if r["code"] == "severity-and-risk")
    assert why.endswith(
        "because the change was a mistake with no sign of misuse, unlikely to harm anyone."
    )
