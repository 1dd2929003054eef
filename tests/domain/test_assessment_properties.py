"""Properties the engine keeps for every possible breach, checked on generated facts."""

from __future__ import annotations

import random
from datetime import UTC
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from breachdesk.domain.assessment import Facts
from breachdesk.domain.assessment import FactsError
from breachdesk.domain.assessment import Risk
from breachdesk.domain.assessment import assess
from breachdesk.domain.assessment import decide
from breachdesk.domain.assessment import decision_to_dict
from breachdesk.domain.assessment import facts_to_dict
from breachdesk.domain.assessment import parse_facts
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Identifiability
from breachdesk.domain.vocabulary import Protection
from breachdesk.domain.vocabulary import Recipient

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def values(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([str(member) for member in enum])


availability = st.fixed_dictionaries(
    {},
    optional={
        "backup_available": st.booleans(),
        "outage_hours": st.one_of(
            st.integers(0, 10_000), st.floats(0, 10_000, allow_nan=False, allow_infinity=False)
        ),
        "permanent_loss": st.booleans(),
        "people_affected": st.booleans(),
    },
)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone below
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, ZoneInfo("Europe/London")]),
).map(lambda instant: instant.isoformat())

valid_facts = st.fixed_dictionaries(
    {
        "breach_types": st.lists(values(BreachType), min_size=1, max_size=3, unique=True),
        "data_categories": st.lists(values(DataCategory), max_size=6, unique=True),
        "subjects_count": st.integers(0, 2_000_000),
    },
    optional={
        "cause": values(Cause),
        "records_count": st.integers(0, 10_000_000),
        "vulnerable_subjects": st.booleans(),
        "identifiability": values(Identifiability),
        "protection": values(Protection),
        "exfiltration": values(Exfiltration),
        "recipient": values(Recipient),
        "misuse_observed": st.booleans(),
        "data_recovered": st.booleans(),
        "availability": availability,
        "mitigated": st.booleans(),
        "disproportionate_effort": st.booleans(),
        "became_aware_at": instants,
        "acting_as": values(ActingAs),
    },
)


def risk_of(facts: dict[str, Any]) -> int:
    # The risk alone: the open questions (what assess adds) never change it.
    return decide(parse_facts(facts)).risk.rank


@FAST
@given(valid_facts, values(DataCategory))
def test_adding_a_data_category_never_lowers_the_risk(facts: dict[str, Any], extra: str):
    wider = {**facts, "data_categories": [*facts["data_categories"], extra]}
    assert risk_of(wider) >= risk_of(facts)


@FAST
@given(valid_facts, st.integers(1, 1_000_000))
def test_more_people_never_lowers_the_risk(facts: dict[str, Any], more: int):
    bigger = {**facts, "subjects_count": facts["subjects_count"] + more}
    assert risk_of(bigger) >= risk_of(facts)


@FAST
@given(valid_facts)
def test_observed_misuse_never_lowers_the_risk(facts: dict[str, Any]):
    seen = {**facts, "misuse_observed": True}
    unseen = {**facts, "misuse_observed": False}
    assert risk_of(seen) >= risk_of(unseen)


@FAST
@given(valid_facts)
def test_encryption_never_raises_the_risk_compared_with_no_protection(facts: dict[str, Any]):
    encrypted = {**facts, "protection": "encrypted"}
    unprotected = {**facts, "protection": "none"}
    assert risk_of(encrypted) <= risk_of(unprotected)


@FAST
@given(valid_facts)
def test_the_same_facts_always_give_the_same_decision(facts: dict[str, Any]):
    first = decision_to_dict(assess(parse_facts(facts)))
    again = decision_to_dict(assess(parse_facts(dict(reversed(list(facts.items()))))))
    assert first == again


@FAST
@given(valid_facts)
def test_facts_survive_a_round_trip_through_a_dict(facts: dict[str, Any]):
    parsed = parse_facts(facts)
    assert parse_facts(facts_to_dict(parsed)) == parsed


@MANY
@given(valid_facts)
def test_any_valid_facts_give_a_coherent_decision(facts: dict[str, Any]):
    parsed = parse_facts(facts)
    decision = assess(parsed)
    controller = parsed.acting_as is ActingAs.CONTROLLER
    breach = bool(parsed.data_categories)
    assert decision.personal_data_breach is breach
    assert decision.notify_ico is (controller and breach and decision.risk is not Risk.UNLIKELY)
    assert decision.notify_controller is (not controller and breach)
    if decision.notify_subjects:
        assert decision.risk is Risk.HIGH
        assert decision.subject_channel == "direct"
    if decision.risk is not Risk.HIGH:
        assert decision.subject_channel is None
    assert (decision.ico_deadline is None) is (parsed.became_aware_at is None)
    assert decision.reasons
    assert all(r.ref for r in decision.reasons)


def _random_facts(rng: random.Random) -> dict[str, Any]:
    """Valid facts drawn quickly from a seeded generator, for volume rather than shrinking."""
    facts: dict[str, Any] = {
        "breach_types": rng.sample([str(t) for t in BreachType], rng.randint(1, 3)),
        "data_categories": rng.sample([str(c) for c in DataCategory], rng.randint(0, 5)),
        "subjects_count": rng.choice([0, 1, 2, 15, 100, 101, 5000, 10_001, 250_000]),
    }
    for name, enum in _OPTIONAL_ENUMS.items():
        if rng.random() < 0.8:
            facts[name] = rng.choice([str(member) for member in enum])
    for name in ("vulnerable_subjects", "misuse_observed", "data_recovered", "mitigated"):
        facts[name] = rng.random() < 0.3
    facts["disproportionate_effort"] = rng.random() < 0.2
    if rng.random() < 0.6:
        facts["availability"] = {
            "backup_available": rng.choice([True, False]),
            "outage_hours": rng.choice([0, 0.5, 12, 24, 30, 72, 73, 500]),
            "permanent_loss": rng.random() < 0.2,
            "people_affected": rng.choice([True, False]),
        }
    return facts


_OPTIONAL_ENUMS = {
    "cause": Cause,
    "identifiability": Identifiability,
    "protection": Protection,
    "exfiltration": Exfiltration,
    "recipient": Recipient,
    "acting_as": ActingAs,
}


def test_thousands_of_random_valid_facts_never_crash_the_engine():
    rng = random.Random(20261120)
    seen = set()
    for _ in range(5000):
        decision = assess(parse_facts(_random_facts(rng)))
        seen.add((decision.risk, decision.notify_subjects, decision.subject_channel))
    assert {Risk.UNLIKELY, Risk.RISK, Risk.HIGH} <= {risk for risk, _, _ in seen}


def _corruptions() -> st.SearchStrategy[tuple[str, Any]]:
    bad_enum = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans())
    bad_count = st.one_of(st.integers(max_value=-1), st.booleans(), st.text(), st.floats())
    bad_bool = st.one_of(st.integers(), st.text(), st.none(), st.floats())
    field_and_value = st.one_of(
        st.tuples(st.just("subjects_count"), bad_count),
        st.tuples(st.just("records_count"), bad_count.filter(lambda v: v is not None)),
        st.tuples(st.sampled_from(["cause", "recipient", "protection", "acting_as"]), bad_enum),
        st.tuples(st.sampled_from(["mitigated", "misuse_observed"]), bad_bool),
        st.tuples(st.just("breach_types"), st.one_of(st.just([]), st.lists(bad_enum, min_size=1))),
        st.tuples(st.just("data_categories"), st.lists(bad_enum, min_size=1)),
        st.tuples(st.just("availability"), st.one_of(st.lists(st.integers()), st.text())),
        st.tuples(st.just("became_aware_at"), st.sampled_from(["2026-01-01T10:00", "soon", 3])),
        st.tuples(st.text(min_size=1).filter(lambda k: k not in _SPEC_FIELDS), st.integers()),
    )
    return field_and_value.filter(lambda pair: not _accidentally_valid(*pair))


_SPEC_FIELDS = set(Facts.__dataclass_fields__)


def _accidentally_valid(field: str, value: Any) -> bool:
    """A generated 'bad' value that happens to be valid (such as 'unknown' for cause)."""
    try:
        parse_facts({**_BASE, field: value})
    except FactsError:
        return False
    return True


_BASE = {"breach_types": ["confidentiality"], "data_categories": [], "subjects_count": 1}


@FAST
@given(valid_facts, _corruptions())
@example(dict(_BASE), ("\n", 0))
@example(dict(_BASE), ("\r\x00\u2028", 0))
def test_random_invalid_facts_always_raise_a_facts_error(facts: dict[str, Any], bad: tuple):
    field, value = bad
    with pytest.raises(FactsError) as caught:
        parse_facts({**facts, field: value})
    assert len(str(caught.value).splitlines()) == 1


# --- Monotone in every factor, and unknown is never better than the best it can be ---------

#: Each factor's values from the most favourable to the people to the least.
ORDERED: dict[str, list[Any]] = {
    "cause": ["accidental", "unknown", "malicious"],
    "exfiltration": ["ruled_out", "unknown", "suspected", "confirmed"],
    "identifiability": ["none", "pseudonymised", "indirect", "direct"],
    "protection": ["encrypted", "hashed", "none"],
    "vulnerable_subjects": [False, True],
    "misuse_observed": [False, True],
    "data_recovered": [True, False],
}
AVAILABILITY_ORDERED: dict[str, list[Any]] = {
    "backup_available": [True, False],
    "outage_hours": [0, 4, 23.9, 24, 48, 72, 72.5, 500],
    "permanent_loss": [False, True],
    "people_affected": [False, True],
}
#: The most favourable value of each fact that may be unknown.
MOST_FAVOURABLE: dict[str, Any] = {
    "cause": "accidental",
    "exfiltration": "ruled_out",
    "recipient": "none",
}


@MANY
@given(valid_facts, st.sampled_from(sorted(ORDERED)), st.data())
def test_a_worse_value_of_any_factor_never_lowers_the_risk(facts, name, data):
    better, worse = better_and_worse(ORDERED[name], data)
    assert risk_of({**facts, name: worse}) >= risk_of({**facts, name: better})


@MANY
@given(valid_facts, st.sampled_from(sorted(AVAILABILITY_ORDERED)), st.data())
def test_a_worse_outage_never_lowers_the_risk(facts, name, data):
    better, worse = better_and_worse(AVAILABILITY_ORDERED[name], data)
    outage = facts.get("availability") or {}
    assert risk_of({**facts, "availability": {**outage, name: worse}}) >= risk_of(
        {**facts, "availability": {**outage, name: better}}
    )


def better_and_worse(values: list[Any], data: st.DataObject) -> tuple[Any, Any]:
    """Two values of a factor, the first more favourable to the people than the second."""
    low = data.draw(st.integers(0, len(values) - 2))
    return values[low], values[data.draw(st.integers(low + 1, len(values) - 1))]


@MANY
@given(valid_facts, values(BreachType))
def test_another_kind_of_loss_never_lowers_the_risk(facts, extra):
    wider = {**facts, "breach_types": list(dict.fromkeys([*facts["breach_types"], extra]))}
    assert risk_of(wider) >= risk_of(facts)


@MANY
@given(valid_facts, st.sampled_from(sorted(MOST_FAVOURABLE)))
def test_an_unknown_fact_replaced_by_its_most_favourable_value_never_raises_the_risk(facts, name):
    unknown = {**facts, name: "unknown"}
    assert risk_of({**facts, name: MOST_FAVOURABLE[name]}) <= risk_of(unknown)


@MANY
@given(valid_facts, st.sampled_from(sorted(AVAILABILITY_ORDERED)))
def test_an_unknown_outage_detail_replaced_by_its_best_value_never_raises_the_risk(facts, name):
    outage = {k: v for k, v in (facts.get("availability") or {}).items() if k != name}
    unknown = {**facts, "availability": outage}
    best = {**facts, "availability": {**outage, name: AVAILABILITY_ORDERED[name][0]}}
    assert risk_of(best) <= risk_of(unknown)


@MANY
@given(
    valid_facts,
    st.lists(st.sampled_from(["basic_identity", "professional"]), min_size=1, unique=True),
    st.integers(0, 200_000),
)
@example({**_BASE, "breach_types": ["integrity"]}, ["basic_identity"], 10_000)
@example({**_BASE, "recipient": "unknown", "cause": "accidental"}, ["basic_identity"], 100)
def test_one_more_person_never_makes_names_and_contact_details_reportable(facts, data, count):
    # ICO: a staff telephone list is not normally reportable; no cliff at any number.
    listed = {
        **facts,
        "data_categories": data,
        "vulnerable_subjects": False,
        "misuse_observed": False,
    }
    one_more = {**listed, "subjects_count": count + 1}
    assert risk_of(one_more) == risk_of({**listed, "subjects_count": count})


@MANY
@given(valid_facts)
def test_a_provisional_decision_always_says_what_to_find_out(facts: dict[str, Any]):
    decision = assess(parse_facts(facts))
    if decision.provisional:
        assert decision.open_questions
    for question in decision.open_questions:
        assert question.question.endswith("?")
        changed = (question.then.risk, question.then.notify_ico, question.then.notify_subjects)
        assert changed != (decision.risk, decision.notify_ico, decision.notify_subjects)
        if question.then.notify_subjects:
            assert question.then.risk is Risk.HIGH
