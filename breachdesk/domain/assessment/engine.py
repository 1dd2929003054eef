"""The notifiability decision: breach facts in, recommendation out (spec/assessment.md).

The engine is a recommendation: the DPO records the final decision, with a reason where
it differs. Pure and deterministic: the same facts always give the same decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from typing import Any

from breachdesk.domain.assessment.availability import assess_availability
from breachdesk.domain.assessment.availability import assess_integrity
from breachdesk.domain.assessment.confidentiality import assess_confidentiality
from breachdesk.domain.assessment.facts import Facts
from breachdesk.domain.assessment.notification import DOCUMENT
from breachdesk.domain.assessment.notification import SubjectChannel
from breachdesk.domain.assessment.notification import deadline_reason
from breachdesk.domain.assessment.notification import decide_duties
from breachdesk.domain.assessment.notification import ico_deadline
from breachdesk.domain.assessment.risk import Finding
from breachdesk.domain.assessment.risk import Reason
from breachdesk.domain.assessment.risk import Risk
from breachdesk.domain.assessment.risk import readable_categories
from breachdesk.domain.assessment.risk import worst
from breachdesk.domain.assessment.severity import Band
from breachdesk.domain.assessment.severity import Severity
from breachdesk.domain.assessment.severity import enisa_severity
from breachdesk.domain.assessment.unknowns import OpenQuestion
from breachdesk.domain.assessment.unknowns import Weighing
from breachdesk.domain.assessment.unknowns import is_provisional
from breachdesk.domain.assessment.unknowns import open_questions
from breachdesk.domain.assessment.unknowns import weigh_unknowns
from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Protection

__all__ = [
    "ENGINE_VERSION",
    "Decision",
    "Reason",
    "Risk",
    "Severity",
    "SubjectChannel",
    "assess",
    "decide",
    "decision_to_dict",
    "severity_note",
    "with_open_questions",
]

#: The rule set and its date, recorded with every decision: the ICO's guidance is being
#: revised after the Data (Use and Access) Act 2025.
ENGINE_VERSION = "breachdesk-rules 2026-11 (UK GDPR as amended; EDPB 9/2022, 01/2021; ENISA 2013)"

_ASSESSORS = {
    BreachType.CONFIDENTIALITY: assess_confidentiality,
    BreachType.INTEGRITY: assess_integrity,
    BreachType.AVAILABILITY: assess_availability,
}
_LOSS_NAMES = {
    BreachType.CONFIDENTIALITY: "confidentiality",
    BreachType.INTEGRITY: "integrity",
    BreachType.AVAILABILITY: "availability",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """The recommended decision, shaped as the spec's JSON output."""

    personal_data_breach: bool
    risk: Risk
    notify_ico: bool
    notify_subjects: bool
    subject_channel: SubjectChannel | None
    notify_controller: bool
    severity: Severity
    reasons: tuple[Reason, ...]
    ico_deadline: datetime | None
    provisional: bool = False
    open_questions: tuple[OpenQuestion, ...] = ()
    engine_version: str = ENGINE_VERSION


def assess(facts: Facts) -> Decision:
    """Recommend whether the breach is notifiable, to whom, and why; say whether unknown
    facts shaped the answer and which answers would change it."""
    return with_open_questions(facts, decide)


def with_open_questions(facts: Facts, deciding: Callable[[Facts], Decision]) -> Decision:
    """``deciding(facts)``, marked provisional where an unknown weighed against the people
    changed it, with the open questions whose answers would change it."""
    decision = deciding(facts)
    if not decision.personal_data_breach:
        return decision
    return replace(
        decision,
        provisional=is_provisional(facts, deciding),
        open_questions=open_questions(facts, deciding),
    )


def decide(facts: Facts) -> Decision:
    """The decision on these facts, unknowns weighed, without the open questions.

    The ICO answer weighs each unknown that matters at its less favourable plausible value;
    the people's answer (Art. 34, a high risk) rests on what is known or likely on what is
    known, so weighing never makes the risk high by itself.
    """
    severity = enisa_severity(facts)
    deadline = ico_deadline(facts.became_aware_at)
    closing: tuple[Reason, ...] = ()
    if deadline is not None:
        closing += (deadline_reason(facts, deadline),)
    closing += (DOCUMENT,)
    if not facts.data_categories:
        reasons = (_NOT_PERSONAL_DATA, _severity_reason(severity), *closing)
        return Decision(
            False, Risk.UNLIKELY, False, False, None, False, severity, reasons, deadline
        )
    known = _findings(facts)
    weighed_facts, weighings = weigh_unknowns(facts)
    weighed = _findings(weighed_facts) if weighings else known
    effective = {
        kind: worst([known[kind].risk if kind in known else Risk.UNLIKELY, _capped(finding.risk)])
        for kind, finding in weighed.items()
    }
    risk = worst(list(effective.values()))
    raised = risk.rank > worst([f.risk for f in known.values()]).rank
    answers_risk = _protection_answers_risk(facts, known, risk)
    duties = decide_duties(facts, risk, answers_risk, weighed=raised)
    added = {kind: f for kind, f in weighed.items() if kind not in known and raised}
    reasons = (
        *_finding_reasons({**known, **added}),
        *_weighing_reasons(weighings, raised),
        _conclusion(effective, risk, raised),
        *duties.reasons,
        _severity_reason(severity),
        *_severity_differs(severity, risk, known),
        *closing,
    )
    return Decision(
        True,
        risk,
        duties.notify_ico,
        duties.notify_subjects,
        duties.subject_channel,
        duties.notify_controller,
        severity,
        reasons,
        deadline,
    )


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """Render a Decision exactly as the spec's JSON object."""
    deadline = decision.ico_deadline
    channel = decision.subject_channel
    return {
        "personal_data_breach": decision.personal_data_breach,
        "risk": str(decision.risk),
        "notify_ico": decision.notify_ico,
        "notify_subjects": decision.notify_subjects,
        "subject_channel": None if channel is None else str(channel),
        "notify_controller": decision.notify_controller,
        "severity": {
            "method": decision.severity.method,
            "score": decision.severity.score,
            "band": str(decision.severity.band),
        },
        "reasons": [{"code": r.code, "text": r.text, "ref": r.ref} for r in decision.reasons],
        "ico_deadline": None if deadline is None else deadline.isoformat(),
        "provisional": decision.provisional,
        "open_questions": [_question_to_dict(q) for q in decision.open_questions],
        "engine_version": decision.engine_version,
    }


def severity_note(decision: Decision) -> str | None:
    """Why the decision's ENISA band and its risk seem to disagree, in the engine's own
    reason; None where they agree."""
    return next((r.text for r in decision.reasons if r.code == _SEVERITY_AND_RISK), None)


def _question_to_dict(question: OpenQuestion) -> dict[str, Any]:
    then = question.then
    out: dict[str, Any] = {
        "field": question.field,
        "question": question.question,
        "if": _plain(question.answer),
        "then": {
            "risk": str(then.risk),
            "notify_ico": then.notify_ico,
            "notify_subjects": then.notify_subjects,
        },
    }
    if question.together_with:
        out["together_with"] = [
            {"field": field, "if": _plain(answer)} for field, answer in question.together_with
        ]
    return out


def _plain(answer: bool | float | str) -> bool | float | str:
    return str(answer) if isinstance(answer, str) else answer


def _findings(facts: Facts) -> dict[BreachType, Finding]:
    """The risk of each kind of loss. Data copied out, or suspected to be, is a loss of
    confidentiality whatever the breach types say (EDPB Guidelines 01/2021, para 16)."""
    kinds = list(facts.breach_types)
    copied = facts.exfiltration in (Exfiltration.SUSPECTED, Exfiltration.CONFIRMED)
    if copied and BreachType.CONFIDENTIALITY not in kinds:
        kinds.append(BreachType.CONFIDENTIALITY)
    return {kind: _ASSESSORS[kind](facts) for kind in kinds}


def _capped(risk: Risk) -> Risk:
    """Weighing unknowns decides the ICO answer; it never makes the risk high by itself."""
    return Risk.RISK if risk is Risk.HIGH else risk


def _weighing_reasons(weighings: tuple[Weighing, ...], raised: bool) -> tuple[Reason, ...]:
    if not weighings:
        return ()
    listed = "; ".join(w.text for w in weighings)
    if raised:
        text = (
            f"Not yet known, so weighed at the less favourable plausible value for the "
            f"decision to report: {listed}. On what is known alone the breach would be "
            "unlikely to result in a risk; weighed so, it is, and the report to the ICO can "
            "be completed in phases as the facts come in. The open questions say what to find "
            "out first."
        )
    else:
        text = (
            f"Not yet known, and weighed at the less favourable plausible value: {listed}. "
            "Weighed so, they do not change the decision."
        )
    return (Reason("unknowns-weighed", text, _CAUTION_REFS),)


_CAUTION_REFS = (
    "WP250 rev.01 (EDPB Guidelines 9/2022), section II; UK GDPR Art. 33(4); "
    "EDPB Guidelines 01/2021, para 9"
)


def _protection_answers_risk(facts: Facts, findings: dict[BreachType, Finding], risk: Risk) -> bool:
    """Art. 34(3)(a) applies only where unintelligible data is what the high risk was about.

    Encryption keeps data secret; it does nothing for patients whose records are unavailable
    (WP250 rev.01 section III.C: a backup is needed too), so it cannot excuse telling them
    of a high risk that comes from a loss of availability or integrity.
    """
    if risk is not Risk.HIGH or facts.misuse_observed:
        return False
    unintelligible = facts.protection is Protection.ENCRYPTED or (
        facts.protection is Protection.HASHED and not readable_categories(facts)
    )
    high_from = {kind for kind, finding in findings.items() if finding.risk is Risk.HIGH}
    return unintelligible and high_from <= {BreachType.CONFIDENTIALITY}


def _finding_reasons(findings: dict[BreachType, Finding]) -> list[Reason]:
    seen: dict[str, Reason] = {}
    for finding in findings.values():
        for reason in finding.reasons:
            seen.setdefault(reason.code, reason)
    return list(seen.values())


def _conclusion(effective: dict[BreachType, Risk], risk: Risk, weighed: bool) -> Reason:
    drivers = [_LOSS_NAMES[kind] for kind, level in effective.items() if level is risk]
    loss = " and ".join(drivers)
    if risk is Risk.HIGH:
        text = "Overall the breach is likely to result in a high risk to the people's rights "
        text += f"and freedoms, because of the loss of {loss}."
        return Reason("high-risk", text, "UK GDPR Art. 34(1); Recital 75")
    if risk is Risk.RISK and weighed:
        text = (
            "Overall, with the facts not yet known weighed as above, the breach is likely to "
            f"result in a risk to the people's rights and freedoms (from the loss of {loss}). "
            "Whether the risk is high rests on what is known: the open questions say which "
            "answers would make it high."
        )
        return Reason("risk", text, "UK GDPR Arts. 33(1) and 34(1); Recital 75")
    if risk is Risk.RISK:
        text = "Overall the breach is likely to result in a risk to the people's rights and "
        text += f"freedoms (from the loss of {loss}), but not a high risk."
        return Reason("risk", text, "UK GDPR Art. 33(1); Recital 75")
    text = "Overall the breach is unlikely to result in a risk to the people's rights and "
    text += "freedoms."
    return Reason("risk-unlikely", text, "UK GDPR Art. 33(1); Recital 85")


def _severity_reason(severity: Severity) -> Reason:
    text = (
        f"ENISA severity {severity.score} ({severity.band}): data processing context "
        f"{severity.dpc} x ease of identification {severity.ei:g} + circumstances of the "
        f"breach {severity.cb:g}. The score informs the risk decision but does not make it."
    )
    return Reason("enisa-severity", text, "ENISA 2013 severity methodology")


def _severity_differs(
    severity: Severity, risk: Risk, known: dict[BreachType, Finding]
) -> tuple[Reason, ...]:
    """Say why a severe ENISA score sits beside an unlikely risk, or a mild one beside a
    high risk, so that the register does not seem to contradict itself."""
    if severity.band in (Band.HIGH, Band.VERY_HIGH) and risk is Risk.UNLIKELY:
        codes = [r.code for f in known.values() for r in f.reasons]
        why = [_LOWERS[code] for code in dict.fromkeys(codes) if code in _LOWERS]
        because = "; ".join(why) or "the circumstances make harm unlikely (see above)"
        text = (
            f"ENISA rates the severity {severity.band} from the kind of data and the "
            "circumstances of the breach; the likely risk to the people is still low, "
            f"because {because}."
        )
    elif severity.band in (Band.LOW, Band.MEDIUM) and risk is Risk.HIGH:
        text = (
            f"ENISA rates the severity {severity.band}, but its score leaves out the number "
            "of people, and the risk weighs it with who has the data and what it lets them do: "
            "the risk is high."
        )
    else:
        return ()
    return (Reason(_SEVERITY_AND_RISK, text, "ENISA 2013; " + _SEVERITY_REF),)


_SEVERITY_AND_RISK = "severity-and-risk"
_SEVERITY_REF = "WP250 rev.01 (EDPB Guidelines 9/2022), section IV.B"
#: What lowers the likelihood of harm, in the words of the sentence above.
_LOWERS = {
    "encrypted-data": "the data is unintelligible to whoever has it",
    "not-identifiable": "nobody can be identified from it",
    "access-not-secrecy": "evidence rules out copying, so nothing left our systems",
    "trusted-recipient": "the only recipient owes a duty of confidence and returned or deleted it",
    "no-recipient": "nobody outside the organisation could read it",
    "hashed-secrets": "the passwords cannot practically be recovered",
    "short-outage": "access came back quickly and nobody was affected",
    "little-harm-whatever-the-number": "the data is only names and contact or work details",
    "integrity-restored": "the altered data was put right before anyone relied on it",
    "altered-minor": "the change was a mistake with no sign of misuse, unlikely to harm anyone",
}


_NOT_PERSONAL_DATA = Reason(
    "not-personal-data",
    "No personal data was involved, so this is not a personal data breach and nothing is "
    "notifiable; record the incident and why no personal data was involved.",
    "UK GDPR Art. 4(12)",
)
