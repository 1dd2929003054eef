"""What the profile stands in for until the DPO confirms it: the count and the vulnerable answer.

Drafts to the ICO say "estimate from our records" and "To follow" until then, and a
profile with no phone number never has a draft say "call us" or print an empty phone line.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.domain.drafting import DraftKind
from breachdesk.domain.drafting import draft_ico_report
from breachdesk.domain.drafting import draft_people_notice
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import Incident
from breachdesk.services import demo
from breachdesk.services import incident_questions
from breachdesk.services.drafts.context import build_context
from breachdesk.services.drafts.templates import PACKAGE_TEMPLATES
from breachdesk.services.facts import change_facts
from breachdesk.services.facts import estimates_of
from tests.services.test_drafts import DEMO_AT
from tests.services.test_drafts import ODL_REF
from tests.services.test_drafts import SUNRAY_REF
from tests.services.test_drafts import incident
from tests.services.test_drafts import sunray_app  # noqa: F401  (a fixture)
from tests.services.test_drafts import text_of
from tests.services.test_drafts import user

pytestmark = pytest.mark.freeze_time(DEMO_AT)


def load_template(kind: DraftKind, _profile=None) -> str:
    return (PACKAGE_TEMPLATES / f"{kind.value}.md").read_text(encoding="utf-8")


def ico_text(found) -> str:
    ctx = build_context(found, get_profile())
    return draft_ico_report(ctx, load_template(DraftKind.ICO, get_profile())).body_markdown


def test_a_count_from_the_profile_is_called_our_estimate_until_the_dpo_confirms_it(app):
    with app.app_context():
        demo.load_demo(get_profile())
        found = incident(ODL_REF)  # the ransomware report gives no count
        before = ico_text(found)
        incident_questions.confirm_count(found, get_profile(), user("dpo"))
        after = ico_text(found)
        trail = db.session.scalars(select(AuditEvent.kind)).all()

    assert "People affected: About 6,250 (estimate from our records)" in before
    assert "People affected: About 6,250\n" in after
    assert "count-confirmed" in trail


def test_a_corrected_count_is_no_longer_an_estimate(app):
    with app.app_context():
        demo.load_demo(get_profile())
        found = incident(ODL_REF)
        change_facts(found, get_profile(), {"subjects_count": 4200}, user("dpo"), source="the DPO")
        estimates = estimates_of(found, get_profile())
        text = ico_text(found)

    assert not estimates.count_estimated
    assert "People affected: About 4,200\n" in text


def test_a_count_the_reporter_gave_is_never_called_our_estimate(app):
    with app.app_context():
        demo.load_demo(get_profile())
        parcel = db.session.scalar(select(Incident).where(Incident.reference == "BD-2026-0002"))
        assert not estimates_of(parcel, get_profile()).count_estimated


def test_children_or_vulnerable_adults_is_to_follow_until_the_dpo_answers(app):
    with app.app_context():
        demo.load_demo(get_profile())
        found = incident(ODL_REF)
        before = ico_text(found)
        hints = estimates_of(found, get_profile()).vulnerable_hints
        incident_questions.answer_vulnerable(found, get_profile(), user("dpo"), True)
        after = ico_text(found)

    question = "Are children or vulnerable adults (such as patients) affected?"
    assert f"{question} To follow" in before
    assert "Orthodontic patients are often children" in hints[0]
    assert f"{question} Yes" in after


def test_answering_no_is_recorded_even_though_the_fact_was_already_false(app):
    with app.app_context():
        demo.load_demo(get_profile())
        found = incident(ODL_REF)
        incident_questions.answer_vulnerable(found, get_profile(), user("dpo"), False)
        text = ico_text(found)
        trail = db.session.scalars(select(AuditEvent.summary)).all()

    assert "affected? No" in text
    assert "Children or vulnerable adults among the people: No" in trail


def test_sunrays_drafts_never_say_call_us_nor_print_an_empty_phone_line(sunray_app):  # noqa: F811
    with sunray_app.app_context():
        demo.load_demo(get_profile())
        texts = [t for group in ("ico", "people", "staff") for t in text_of(SUNRAY_REF, group)]
        letter = draft_people_notice(
            build_context(incident(SUNRAY_REF), get_profile()),
            load_template(DraftKind.PEOPLE_LETTER, get_profile()),
            channel="letter",
        ).body_markdown

    assert texts
    for text in [*texts, letter]:
        assert "call us" not in text.lower()
        assert "Phone:" not in text
        assert "Email: support@sunrayvision.co.uk" in text or "support@sunrayvision" in text
