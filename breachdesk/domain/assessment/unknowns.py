"""Facts not yet known: how they are weighed for the ICO decision, and the questions whose
answers would change the decision.

In the first hours of a breach most facts are unknown, and that is when the decision is
needed. Unknown is not zero: a fact that matters and is not yet known is weighed at its less
favourable plausible value for the ICO answer (WP250 rev.01 section II: where in doubt, err
on the side of caution; UK GDPR Art. 33(4): the report may be made in phases).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace

from breachdesk.domain.assessment.availability import LASTING_OUTAGE_HOURS
from breachdesk.domain.assessment.facts import Availability
from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.risk import Risk
from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Exfiltration

#: An outage not yet understood "may last days": beyond the 72 hours within which EDPB
#: Guidelines 01/2021 (para 24) call restoring advisable in any case.
DAYS_OF_OUTAGE = 96.0
#: Restored within hours, as in EDPB Guidelines 01/2021, Case No. 01.
HOURS_OF_OUTAGE = 4.0

Answer = bool | float | str


@dataclass(frozen=True, slots=True)
class Weighing:
    """One unknown fact and the less favourable value it was weighed at, in words."""

    field: str
    text: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The parts of a decision an answer can change."""

    risk: Risk
    notify_ico: bool
    notify_subjects: bool


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """An unknown fact whose answer would change the decision, and what it would then be.

    ``together_with`` names other answers needed as well, when several unknowns hold the
    decision up together and no single answer changes it.
    """

    field: str
    question: str
    answer: Answer
    then: Outcome
    together_with: tuple[tuple[str, Answer], ...] = ()


def weigh_unknowns(facts: Facts) -> tuple[Facts, tuple[Weighing, ...]]:
    """The facts with each unknown that matters at its less favourable plausible value."""
    weighings: list[Weighing] = []
    values: dict[str, object] = {}
    if BreachType.AVAILABILITY in facts.breach_types:
        avail = facts.availability or Availability()
        filled: dict[str, object] = {}
        if avail.outage_hours is None:
            filled["outage_hours"] = DAYS_OF_OUTAGE
            weighings.append(_OUTAGE)
        if avail.backup_available is None:
            filled["backup_available"] = False
            weighings.append(_BACKUP)
        lasting = replace(avail, **filled)
        if avail.people_affected is None and _people_depend_on_it(facts) and _lasts(lasting):
            filled["people_affected"] = True
            weighings.append(_FELT)
        if filled:
            values["availability"] = replace(avail, **filled)
    if facts.cause is Cause.MALICIOUS and facts.exfiltration is Exfiltration.UNKNOWN:
        values["exfiltration"] = Exfiltration.SUSPECTED
        weighings.append(_COPYING)
    return replace(facts, **values), tuple(weighings)


def favourable(facts: Facts) -> Facts:
    """The facts with every unknown that is weighed at its most favourable value instead."""
    values: dict[str, object] = {}
    if BreachType.AVAILABILITY in facts.breach_types:
        avail = facts.availability or Availability()
        best = {name: value for name, value in _BEST_AVAILABILITY if getattr(avail, name) is None}
        if best:
            values["availability"] = replace(avail, **best)
    if facts.cause is Cause.MALICIOUS and facts.exfiltration is Exfiltration.UNKNOWN:
        values["exfiltration"] = Exfiltration.RULED_OUT
    return replace(facts, **values) if values else facts


def outcome(decision: object) -> Outcome:
    """The parts of a decision (anything with risk, notify_ico, notify_subjects) to compare."""
    return Outcome(
        decision.risk,  # type: ignore[attr-defined]
        decision.notify_ico,  # type: ignore[attr-defined]
        decision.notify_subjects,  # type: ignore[attr-defined]
    )


def is_provisional(facts: Facts, decide: Callable[[Facts], object]) -> bool:
    """An unknown weighed at its less favourable value changed the answer."""
    best = favourable(facts)
    return best != facts and outcome(decide(best)) != outcome(decide(facts))


def open_questions(facts: Facts, decide: Callable[[Facts], object]) -> tuple[OpenQuestion, ...]:
    """Each unknown whose answer would change the decision: answers that change whether the
    ICO is told first, then whether the people are, then the level of risk alone."""
    current = outcome(decide(facts))
    found: list[OpenQuestion] = []
    for spec in _QUESTIONS:
        if not spec.unknown(facts):
            continue
        seen: set[Outcome] = {current}
        for answer in spec.answers:
            then = outcome(decide(spec.answered(facts, answer)))
            if then not in seen:
                seen.add(then)
                found.append(OpenQuestion(spec.field, spec.question, answer, then))
    found += _held_together(facts, decide, current, found)
    return tuple(
        sorted(
            found,
            key=lambda q: (q.then.notify_ico == current.notify_ico,
                           q.then.notify_subjects == current.notify_subjects),
        )
    )  # fmt: skip


def _held_together(
    facts: Facts,
    decide: Callable[[Facts], object],
    current: Outcome,
    found: list[OpenQuestion],
) -> list[OpenQuestion]:
    """Where several weighed unknowns hold the decision up together, say so: each of them,
    with the others, and the decision once all come out favourably."""
    best = favourable(facts)
    then = outcome(decide(best))
    if best == facts or then == current:
        return []
    answers = [
        (spec, spec.value(best)) for spec in _QUESTIONS if spec.value(best) != spec.value(facts)
    ]
    for spec, _answer in list(answers):
        # Drop answers the change does not need, so only what matters is asked.
        without = [(other, value) for other, value in answers if other is not spec]
        if outcome(decide(_answered_all(facts, without))) == then:
            answers = without
    asked = {(q.field, q.answer) for q in found}
    return [
        OpenQuestion(
            spec.field,
            spec.question,
            answer,
            then,
            tuple((other.field, value) for other, value in answers if other is not spec),
        )
        for spec, answer in answers
        if (spec.field, answer) not in asked
    ]


def _answered_all(facts: Facts, answers: list[tuple[_Question, Answer]]) -> Facts:
    for spec, answer in answers:
        facts = spec.answered(facts, answer)
    return facts


def _people_depend_on_it(facts: Facts) -> bool:
    return DataCategory.HEALTH in facts.data_categories or facts.vulnerable_subjects


def _lasts(avail: Availability) -> bool:
    """An outage long enough to be felt: a day or more, or with no backup to end it."""
    if avail.outage_hours is not None:
        return avail.outage_hours >= LASTING_OUTAGE_HOURS
    return avail.backup_available is False


@dataclass(frozen=True, slots=True)
class _Question:
    """How to ask about one fact, and the answers worth trying, least extreme first."""

    field: str
    question: str
    answers: tuple[Answer, ...]

    def value(self, facts: Facts) -> Answer | None:
        if self.field.startswith("availability."):
            avail = facts.availability or Availability()
            return getattr(avail, self.field.removeprefix("availability."))
        return getattr(facts, self.field)

    def unknown(self, facts: Facts) -> bool:
        if self.field.startswith("availability."):
            return BreachType.AVAILABILITY in facts.breach_types and self.value(facts) is None
        return self.value(facts) == "unknown"

    def answered(self, facts: Facts, answer: Answer) -> Facts:
        if self.field.startswith("availability."):
            avail = facts.availability or Availability()
            name = self.field.removeprefix("availability.")
            return replace(facts, availability=replace(avail, **{name: answer}))
        return replace(facts, **{self.field: answer})


_QUESTIONS = (
    _Question(
        "exfiltration",
        "Have the logs or the IT contractor shown whether any data was copied out?",
        (Exfiltration.RULED_OUT, Exfiltration.SUSPECTED, Exfiltration.CONFIRMED),
    ),
    _Question(
        "availability.backup_available",
        "Has anyone confirmed that a backup restores the data?",
        (True, False),
    ),
    _Question(
        "availability.people_affected",
        "Is anyone's treatment, care or order delayed by the outage?",
        (False, True),
    ),
    _Question(
        "availability.outage_hours",
        "How many hours will the data be unavailable, actually or at the latest estimate?",
        (HOURS_OF_OUTAGE, 48.0, DAYS_OF_OUTAGE),
    ),
    _Question("availability.permanent_loss", "Is any of the data lost for good?", (False, True)),
    _Question(
        "cause",
        "Was it deliberate (an attack or a theft) or a mistake?",
        (Cause.ACCIDENTAL, Cause.MALICIOUS),
    ),
)
_BEST_AVAILABILITY = (
    ("backup_available", True),
    ("outage_hours", HOURS_OF_OUTAGE),
    ("people_affected", False),
)

_OUTAGE = Weighing(
    "availability.outage_hours",
    "how long the data will be unavailable: weighed as days, beyond 72 hours",
)
_BACKUP = Weighing(
    "availability.backup_available",
    "whether a backup restores the data: weighed as no working backup",
)
_FELT = Weighing(
    "availability.people_affected",
    "whether the people feel the outage: weighed as felt, since they depend on this data for "
    "their care or are vulnerable",
)
_COPYING = Weighing(
    "exfiltration",
    "whether data was copied out: in an attack, weighed as suspected until ruled out, with "
    "the attacker counted as a recipient",
)


def answer_words(field: str, answer: Answer) -> str:
    """An answer to an open question in plain words, e.g. "no backup restores the data"."""
    if field == "availability.outage_hours":
        return f"the data is back within {answer:g} hours"
    words = _ANSWER_WORDS.get((field, answer))
    return words if words is not None else f"{field} is {answer}"


def outcome_words(then: Outcome) -> str:
    """What the decision would then be, as the DPO acts on it."""
    if then.notify_subjects:
        return "a high risk: tell the ICO and each person affected"
    if then.notify_ico and then.risk is Risk.HIGH:
        return "a high risk: tell the ICO (an exception spares telling each person)"
    if then.notify_ico:
        return "a risk: tell the ICO, not yet the people"
    if then.risk is Risk.UNLIKELY:
        return "unlikely to result in a risk: record it, tell nobody"
    return f"{then.risk} for the people whose data it is (for the controllers to weigh)"


_ANSWER_WORDS: dict[tuple[str, Answer], str] = {
    ("exfiltration", Exfiltration.RULED_OUT): "the logs rule out any copying",
    ("exfiltration", Exfiltration.SUSPECTED): "copying is even suspected",
    ("exfiltration", Exfiltration.CONFIRMED): "copying is confirmed",
    ("availability.backup_available", True): "a backup restores the data",
    ("availability.backup_available", False): "no backup restores the data",
    ("availability.people_affected", True): "someone's treatment, care or order is delayed",
    ("availability.people_affected", False): "nobody's treatment, care or order is delayed",
    ("availability.permanent_loss", True): "some of the data is lost for good",
    ("availability.permanent_loss", False): "none of the data is lost for good",
    ("cause", Cause.ACCIDENTAL): "it was a mistake",
    ("cause", Cause.MALICIOUS): "it was deliberate",
}
