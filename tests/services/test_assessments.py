"""The assessment service: pre-filled facts, both duties, decisions kept, status follows."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.desk import get_desk
from breachdesk.desk import get_profile
from breachdesk.domain.assessment import FactsError
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import AuditEvent
from breachdesk.models import Incident
from breachdesk.models import IncidentFacts
from breachdesk.models import IncidentStatus
from breachdesk.models import Ongoing
from breachdesk.models import User
from breachdesk.services import assessments
from breachdesk.services import incidents
from breachdesk.services import reporting
from breachdesk.services.facts import change_facts
from breachdesk.services.facts import initial_estimates
from breachdesk.services.facts import initial_facts

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

RANSOMWARE = reporting.ReportInput(
    description="A ransom note is on the lab server screen; Transactor will not open.",
    occurred_at=None,
    noticed_at=datetime(2026, 11, 20, 11, 40, tzinfo=UTC),
    asset_ids=("lab-server",),
    data_categories=("basic_identity", "health"),
    data_notes="",
    people_count=6000,
    ongoing=Ongoing.YES,
    others_aware="",
)


@pytest.fixture
def ctx(app, make_user):
    """An app context with a DPO and an ODL lab-server ransomware report."""
    make_user("dana", Role.DPO)
    make_user("sam", Role.STAFF)
    with app.app_context():
        dpo = db.session.scalar(select(User).where(User.username == "dana"))
        sam = db.session.scalar(select(User).where(User.username == "sam"))
        incident = reporting.submit_report(
            sam, RANSOMWARE, get_profile(), get_desk().playbooks
        ).incident
        yield incident, dpo, get_profile()


def report_of(report: reporting.ReportInput, **changes) -> reporting.ReportInput:
    return reporting.ReportInput(**{**report.__dict__, **changes})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def recommended(incident, profile) -> assessments.Choice:
    facts = assessments.working_facts(incident, profile)
    return assessments.recommend(incident, profile, facts).answers


def test_lab_server_ransomware_facts_come_from_the_report_and_the_profile(ctx):
    incident, _dpo, profile = ctx

    facts = initial_facts(incident, profile)

    assert facts["data_categories"] == ["basic_identity", "health"]
    # ODL's notes do not say the patients are children or vulnerable: asked per incident,
    # with the profile's hint, instead of answered yes for every incident.
    assert facts["vulnerable_subjects"] is False
    estimates = initial_estimates(incident, profile)
    assert estimates.vulnerable_unasked
    assert "Orthodontic patients are often children" in estimates.vulnerable_hints[0]
    assert facts["subjects_count"] == 6000
    assert facts["breach_types"] == ["confidentiality", "availability"]
    assert facts["cause"] == "malicious"
    assert facts["acting_as"] == "controller"  # mixed: practices' data is ODL's own
    assert "became_aware_at" not in facts  # the incident's own, never copied


def test_a_mixed_asset_gets_both_duties_and_names_the_controllers(ctx):
    incident, dpo, profile = ctx
    # The DPO answers that some of the people are children or vulnerable adults.
    change_facts(incident, profile, {"vulnerable_subjects": True}, dpo, source="the DPO")

    rec = assessments.recommend(incident, profile, assessments.working_facts(incident, profile))

    assert rec.mixed
    mine, held = rec.parts
    assert (mine.role.value, held.role.value) == ("controller", "processor")
    assert held.facts.data_categories == ("basic_identity", "health")
    assert held.facts.subjects_count == 6000
    assert held.facts.vulnerable_subjects  # the patients, whom the answer is about
    assert mine.facts.data_categories == ("basic_identity",)
    # The practices (in Transactor and in Sage: the same people, counted once) and the
    # people who wrote through the contact form.
    assert mine.facts.subjects_count == 150 + 100
    assert not mine.facts.vulnerable_subjects
    assert held.decision.notify_controller
    assert not held.decision.notify_ico
    assert mine.decision.notify_ico  # the practices' own data: a risk, so the ICO is told
    assert rec.decision.notify_ico
    assert rec.decision.notify_controller
    # One answer to "which controllers": the practices, once, with how to reach them.
    assert rec.controllers == (
        "The dental practices that sent the prescriptions (for: Patients of the practices). "
        "Tell each practice whose patients are involved; their details are in Transactor.",
    )
    # Our own data decides the risk and the ICO; the practices' patients are theirs to tell.
    assert rec.decision.risk == mine.decision.risk
    assert held.decision.risk == "high"
    assert rec.decision.reasons[0].code == "controller-and-processor"


def test_processor_only_data_is_for_the_controllers_to_report(ctx, app):
    _incident, _dpo, profile = ctx
    sam = db.session.scalar(select(User).where(User.username == "sam"))
    parcel = report_of(
        RANSOMWARE,
        description="A practice received another practice's parcel with a prescription.",
        asset_ids=("parcels",),
        data_categories=("health",),
        people_count=1,
    )
    incident = reporting.submit_report(sam, parcel, profile, get_desk().playbooks).incident

    decision = assessments.recommendation_for(incident, profile)

    assert decision.notify_controller
    assert not decision.notify_ico
    assert assessments.controllers_to_tell(incident, profile)[0].startswith(
        "The dental practice the parcel was meant for"
    )


def test_recording_the_recommended_decision_sets_status_and_audits(ctx):
    incident, dpo, profile = ctx
    facts = assessments.working_facts(incident, profile)

    saved = assessments.record_decision(
        incident, profile, dpo, facts, recommended(incident, profile)
    )

    assert assessments.current_decision(incident).id == saved.id
    assert saved.notify_ico
    assert not saved.differs_from_recommendation
    assert saved.engine_version.startswith("breachdesk-rules")
    assert saved.recommendation["parts"][1]["acting_as"] == "processor"
    assert incident.status is IncidentStatus.ASSESSED
    kinds = db.session.scalars(
        select(AuditEvent.kind).where(AuditEvent.subject == "incident")
    ).all()
    assert "assessed" in kinds


def test_a_different_decision_without_a_reason_is_refused_and_nothing_saved(ctx):
    incident, dpo, profile = ctx
    facts = {**assessments.working_facts(incident, profile), "subjects_count": 12}
    choice = assessments.Choice(notify_ico=False, notify_people="no", notify_controller=True)

    with pytest.raises(assessments.AssessmentError) as refused:
        assessments.record_decision(incident, profile, dpo, facts, choice)

    assert refused.value.field == "override_reason"
    assert "telling the ICO" in str(refused.value)
    db.session.rollback()
    assert count(Assessment) == 0
    assert count(IncidentFacts) == 0
    assert db.session.get(Incident, incident.id).status is IncidentStatus.REPORTED


def test_a_decision_not_to_notify_keeps_its_reasons_and_stops_as_not_notifiable(ctx):
    incident, dpo, profile = ctx
    facts = assessments.working_facts(incident, profile)
    choice = assessments.Choice(
        False, "no", True, override_reason="Backups restored; logs show no copy.", notes="N1"
    )

    saved = assessments.record_decision(incident, profile, dpo, facts, choice)

    assert saved.differs_from_recommendation
    assert saved.override_reason == "Backups restored; logs show no copy."
    assert saved.notes == "N1"
    assert len(saved.recommendation["reasons"]) > 3
    assert incident.status is IncidentStatus.NOT_NOTIFIABLE


def test_new_facts_after_a_decision_ask_for_reassessment_and_all_decisions_are_kept(ctx):
    incident, dpo, profile = ctx
    facts = assessments.working_facts(incident, profile)
    first = assessments.record_decision(
        incident, profile, dpo, facts, recommended(incident, profile)
    )
    assert not assessments.needs_reassessment(incident)

    change_facts(incident, profile, {"exfiltration": "confirmed"}, dpo, source="finding 1")
    db.session.commit()

    assert assessments.needs_reassessment(incident)
    facts = assessments.working_facts(incident, profile)
    second = assessments.record_decision(
        incident, profile, dpo, facts, recommended(incident, profile)
    )
    assert not assessments.needs_reassessment(incident)
    assert [a.id for a in assessments.history(incident)] == [second.id, first.id]
    assert assessments.current_decision(incident).id == second.id


def test_awareness_is_read_from_the_incident_and_moved_only_there(ctx):
    incident, dpo, profile = ctx
    facts = assessments.working_facts(incident, profile)
    assert "became_aware_at" not in facts
    before = assessments.recommendation_for(incident, profile).ico_deadline
    assert before == datetime(2026, 11, 23, 11, 40, tzinfo=UTC)

    incidents.change_awareness(
        incident, dpo, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "The IT contractor saw it first"
    )

    after = assessments.recommend(incident, profile, facts).decision.ico_deadline
    assert after == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    moved = {"became_aware_at": "2026-11-19T09:00:00Z"}
    with pytest.raises(FactsError, match="change it there, with a reason"):
        change_facts(incident, profile, moved, dpo, source="the DPO")
    recorded = assessments.record_decision(
        incident, profile, dpo, facts, recommended(incident, profile)
    )
    assert recorded.facts["became_aware_at"] == "2026-11-20T09:00:00+00:00"  # what it rested on
    assert "became_aware_at" not in db.session.get(IncidentFacts, incident.id).facts


def test_status_stays_notified_once_the_ico_has_been_told(ctx):
    incident, dpo, profile = ctx
    incident.status = IncidentStatus.NOTIFIED
    facts = assessments.working_facts(incident, profile)

    assessments.record_decision(incident, profile, dpo, facts, recommended(incident, profile))

    assert incident.status is IncidentStatus.NOTIFIED


def test_invalid_facts_name_the_field_and_save_nothing(ctx):
    incident, dpo, profile = ctx
    facts = {**assessments.working_facts(incident, profile), "recipient": "the moon"}

    with pytest.raises(assessments.AssessmentError) as refused:
        assessments.record_decision(incident, profile, dpo, facts, recommended(incident, profile))

    assert refused.value.field == "recipient"
    db.session.rollback()
    assert count(Assessment) == 0


def test_acting_as_processor_on_the_form_turns_the_whole_decision_to_the_controllers(ctx):
    incident, _dpo, profile = ctx
    facts = {**assessments.working_facts(incident, profile), "acting_as": "processor"}

    rec = assessments.recommend(incident, profile, facts)

    assert not rec.mixed
    assert rec.decision.notify_controller
    assert not rec.decision.notify_ico
    assert rec.controllers
