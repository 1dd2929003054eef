"""Drafts from the database: the demo incidents' messages, versions, sending and mail merge.

Golden files: BREACHDESK_REGENERATE_GOLDEN=1 pytest tests/services/test_drafts.py -k golden
rewrites tests/golden/drafts/demo-*.md; read every changed file as a DPO would first.
"""

from __future__ import annotations

import email
import email.policy
import io
import os
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.config import SHIPPED_PROFILES
from breachdesk.desk import get_desk
from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import DraftMerge
from breachdesk.models import DraftState
from breachdesk.models import DraftVersion
from breachdesk.models import Incident
from breachdesk.models import NoticeRecord
from breachdesk.models import Ongoing
from breachdesk.models import User
from breachdesk.services import assessments
from breachdesk.services import demo
from breachdesk.services import findings
from breachdesk.services import reporting
from breachdesk.services.checklists import runs as checklists
from breachdesk.services.checklists import steps as checklist_steps
from breachdesk.services.drafts import editing as drafts
from breachdesk.services.drafts import exports as draft_exports
from breachdesk.services.drafts import sending as draft_sending
from breachdesk.services.drafts.context import build_context
from breachdesk.services.drafts.context import context_from_json
from breachdesk.services.drafts.context import context_to_json
from breachdesk.services.drafts.context import ico_report_out_of_date
from breachdesk.services.facts import change_facts
from breachdesk.timeutil import utcnow
from tests.support.demo_values import without_demo_values

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "drafts"
#: An instance folder with no templates of the organisation's own: the shipped ones apply.
INSTANCE = Path(__file__).resolve().parent / "no-instance"
#: The demo is loaded at this moment; the drafts are made two hours later.
DEMO_AT = "2026-03-10 09:00:00"
ODL_REF = "BD-2026-0001"
SUNRAY_REF = "BD-2026-0001"


# Building the demo incidents as the app would, after the response has started.


def user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def incident(reference: str) -> Incident:
    return db.session.scalar(select(Incident).where(Incident.reference == reference))


def decide(found: Incident, **fact_changes) -> None:
    """Record the DPO's decision as the engine recommends, on the facts as corrected."""
    profile = get_profile()
    facts = {**assessments.working_facts(found, profile), **fact_changes}
    choice = assessments.recommend(found, profile, facts).answers
    assessments.record_decision(found, profile, user("dpo"), facts, choice)


def approve_as_the_dpo(doc, *, phased: bool = False) -> None:
    """Approve a demo draft as the DPO would: the profile's DEMO examples replaced first."""
    body = without_demo_values(doc.current.body_markdown)
    if body != doc.current.body_markdown:
        drafts.edit(doc, doc.current.subject, body, "Our own details", user("dpo"))
    draft_sending.approve(doc, user("dpo"), phased=phased)


def ico_report_sent(found: Incident, reference: str):
    """Make, approve (as a phased report) and send the ICO report; return its draft."""
    (first,) = drafts.current_drafts(found, get_profile(), "ico", instance_path=INSTANCE)
    approve_as_the_dpo(first, phased=True)
    draft_sending.mark_sent(
        first, user("dpo"), sent_at=utcnow(), channel="ICO form", sent_to="ICO",
        ico_reference=reference,
    )  # fmt: skip
    return first


def odl_ransomware_in_progress(freezer) -> Incident:
    """ODL's ransomware demo: steps ticked, Reliant's finding accepted, decision recorded."""
    profile = get_profile()
    demo.load_demo(profile)
    found = incident(ODL_REF)
    checklists.start_checklists(found, get_desk().playbooks, profile)
    freezer.tick(timedelta(minutes=20))
    for item in checklists.checklist(found)[:2]:
        checklist_steps.tick(found, item, user("dpo"))
    freezer.tick(timedelta(minutes=40))
    finding = findings.add_finding(
        found,
        user("reliant"),
        findings.FindingInput(
            summary="Ransomware encrypted the server's shared drive overnight.",
            systems_affected="Lab server shared drive (Transactor and Sage data)",
            exfiltration=Exfiltration.SUSPECTED,
            encrypted=False,
            backups_state="Last night's Solawinds backup is intact; the attack did not reach it.",
        ),
        profile,
    )
    for proposal in finding.proposals:
        findings.decide_proposal(found, proposal, user("dpo"), profile, accept=True)
    decide(found, cause="malicious", records_count=14500)
    freezer.tick(timedelta(hours=1))
    return found


def sunray_misdirected_email(freezer) -> Incident:
    """Sunray's demo: the order confirmation emailed to the wrong customer, decided."""
    demo.load_demo(get_profile())
    found = incident(SUNRAY_REF)
    freezer.tick(timedelta(minutes=30))
    decide(found, cause="accidental", recipient="known_untrusted", records_count=1)
    freezer.tick(timedelta(hours=1))
    return found


@pytest.fixture
def sunray_app(app):
    """The app serving Sunray Vision, whose demo set is the Sunray one."""
    from breachdesk.desk import load_desk
    from breachdesk.services.profiles import load_profile

    app.config["PROFILE"] = "sunray"
    sunray = SHIPPED_PROFILES / "sunray.toml"
    app.config["PROFILE_PATH"] = str(sunray)
    app.extensions["breachdesk"] = load_desk(app)
    assert load_profile(sunray).id == "sunray"
    return app


def text_of(reference: str, group: str, fmt: str = "md") -> list[str]:
    found = incident(reference)
    docs = drafts.current_drafts(found, get_profile(), group, instance_path=INSTANCE)
    return [draft_exports.export(doc, fmt, get_profile()).content.decode() for doc in docs]


# UK GDPR Art. 33(3) and 34(2) in the demo incidents' drafts


@pytest.mark.freeze_time(DEMO_AT)
def test_odl_ransomware_ico_report_has_every_article_33_3_element(app, freezer):
    with app.app_context():
        odl_ransomware_in_progress(freezer)
        (report,) = text_of(ODL_REF, "ico")
    # (a) the nature of the breach, categories and approximate numbers of people and records
    assert "A red screen on the lab server" in report
    assert "Health data" in report
    assert "Patients: Patients of the practices" in report
    # The reporter gave no number: the profile's groups stand in, each counted once (the
    # patients, the practices and the people who wrote through the contact form).
    assert "People affected: About 6,250" in report
    assert "Personal data records: About 14,500" in report
    # (b) the DPO or other contact point
    assert "Name: Practice Manager" in report
    assert "Email: dpo@odl.example" in report
    # (c) the likely consequences
    assert "Loss of confidentiality of health data" in report
    # Our own data: the practices, not their patients (the practices decide about those).
    assert "Our assessment of the risk: A risk to people, but not a high one" in report
    # (d) measures taken and proposed, with what the IT contractor found
    assert "GMT: Unplug the server's network cable. Do not switch it off." in report
    assert "Rebuild and restore from the last clean backup" in report
    assert "Solawinds backup is intact" in report
    assert "Suspected: there are signs data may have been copied" in report
    # and the rest of the ICO's form
    assert "ICO registration number: ZA000000" in report
    assert "Was the breach caused by a cyber incident? Yes" in report
    assert "Staff read ODL's data-protection notes" in report
    assert "deciding whether to tell the people is theirs (UK GDPR Art. 34)" in report
    assert "the dental practices that sent the prescriptions" in report
    assert "{{" not in report


@pytest.mark.freeze_time(DEMO_AT)
def test_odl_ransomware_notice_to_people_has_every_article_34_2_element(app, freezer):
    with app.app_context():
        odl_ransomware_in_progress(freezer)
        letter, mail = text_of(ODL_REF, "people")
    for notice in (letter, mail):
        assert "A red screen on the lab server" in notice  # the nature of the breach
        assert "please contact Practice Manager" in notice  # the contact point
        assert "dpo@odl.example" in notice
        # ODL's own people are the practices, clinicians and enquirers, whose contact details
        # are ODL's own data; the patients' health data is the practices' to tell them about.
        assert "Someone could use your name or contact details to trick you." in notice
        assert "your health" not in notice
        assert "Dear customer," in notice
        assert "We took the affected computer off our network" in notice  # measures taken
        assert "Be careful of calls" in notice  # what they can do, for contact details
        assert "{{" not in notice


@pytest.mark.freeze_time(DEMO_AT)
def test_the_people_read_what_was_done_in_plain_words_never_the_steps_for_staff(app, freezer):
    with app.app_context():
        odl_ransomware_in_progress(freezer)
        letter, mail = text_of(ODL_REF, "people")
    done = (
        "- We took the affected computer off our network to stop the attack spreading.\n"
        "- Our staff stopped using the affected software on all our computers.\n"
    )
    for notice in (letter, mail):
        assert done in notice  # the two steps ticked, in the order they were done
        assert "Unplug" not in notice
        assert "update this playbook" not in notice
        assert "Rebuild and restore" not in notice  # steps still to come are not promised
        assert "Done Tuesday" not in notice


@pytest.mark.freeze_time(DEMO_AT)
def test_the_ico_report_still_lists_each_step_done_with_its_time(app, freezer):
    with app.app_context():
        odl_ransomware_in_progress(freezer)
        (report,) = text_of(ODL_REF, "ico")
    assert "- Done Tuesday 10 March 2026 at 09:20 GMT: Unplug the server's network cable." in report
    assert "09:20 GMT: Stop using Transactor and Sage on every computer" in report
    assert "We took the affected computer" not in report


@pytest.mark.freeze_time(DEMO_AT)
def test_before_any_step_is_done_the_people_read_to_follow_not_the_plans(app, freezer):
    with app.app_context():
        demo.load_demo(get_profile())
        found = incident(ODL_REF)
        checklists.start_checklists(found, get_desk().playbooks, get_profile())
        ctx = build_context(found, get_profile())
        letter, _ = text_of(ODL_REF, "people")
    assert ctx.people_measures == ()
    assert ctx.measures_proposed  # the ICO still hears what is planned
    assert "## What we have done\n\nTo follow" in letter
    assert "update this playbook" not in letter


@pytest.mark.freeze_time(DEMO_AT)
def test_the_ico_hears_the_lessons_to_learn_in_its_own_words_never_the_playbook_s(app):
    with app.app_context():
        demo.load_demo(get_profile())
        found = incident(ODL_REF)
        checklists.start_checklists(found, get_desk().playbooks, get_profile())
        (report,) = text_of(ODL_REF, "ico")
    assert "- Review how the breach happened and make the changes it shows are needed" in report
    assert "playbook" not in report.lower()


@pytest.mark.freeze_time(DEMO_AT)
def test_done_steps_add_their_notice_and_steps_without_one_add_nothing(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        for item in checklists.checklist(found):
            if item.step_id in ("record-assessment", "call-reliant"):
                checklist_steps.tick(found, item, user("dpo"))
        ctx = build_context(found, get_profile())
    assert ctx.people_measures == (
        "We took the affected computer off our network to stop the attack spreading.",
        "Our staff stopped using the affected software on all our computers.",
        "Our IT support company kept the computers off our network, changed passwords and kept "
        "a record of what happened.",
    )


@pytest.mark.freeze_time(DEMO_AT)
def test_sunray_misdirected_email_drafts_have_every_article_33_3_and_34_2_element(
    sunray_app, freezer
):
    with sunray_app.app_context():
        sunray_misdirected_email(freezer)
        (report,) = text_of(SUNRAY_REF, "ico")
        letter, mail = text_of(SUNRAY_REF, "people")
    assert "order confirmation email for Mrs A's order went to another customer" in report
    assert "Health data" in report
    assert "Customers or prospective customers: Customers" in report
    assert "People affected: 1" in report
    assert "Personal data records: 1" in report
    assert "Name: Clive Durham" in report
    assert "Email: support@sunrayvision.co.uk" in report
    assert "Likely consequences for the people" in report
    assert "Was the breach caused by a cyber incident? No" in report
    assert "Cause: Accidental: a mistake" in report
    assert "Containment and recovery" in report
    for notice in (letter, mail):
        assert "Mrs A's order" in notice
        assert "please contact Clive Durham" in notice
        assert "What this could mean for you" in notice
        assert "What you can do" in notice
        assert "{{" not in notice


@pytest.mark.freeze_time(DEMO_AT)
def test_no_placeholder_is_left_in_any_draft_in_any_format(app, freezer):
    with app.app_context():
        odl_ransomware_in_progress(freezer)
        for group in drafts.GROUPS:
            for fmt in draft_exports.FORMATS:
                for text in text_of(ODL_REF, group, fmt):
                    assert "{{" not in text
                    assert "}}" not in text


@pytest.mark.freeze_time(DEMO_AT)
def test_what_is_not_known_yet_is_marked_to_follow_never_invented(app):
    with app.app_context():
        demo.load_demo(get_profile())
        ctx = build_context(incident(ODL_REF), get_profile())
        (report,) = text_of(ODL_REF, "ico")
    assert ctx.risk is None
    assert ctx.records_count is None
    assert ctx.backups_state is None
    assert "Personal data records: Not yet known" in report  # the form's own answer
    assert "State of the backups: To follow" in report
    assert "Our assessment of the risk: To follow" in report
    # The ransom note says it: a cyber incident before anyone has added a finding.
    assert "Was the breach caused by a cyber incident? Yes" in report


@pytest.mark.freeze_time(DEMO_AT)
def test_a_context_survives_being_stored_as_json(app, freezer):
    with app.app_context():
        ctx = build_context(odl_ransomware_in_progress(freezer), get_profile())
        assert context_from_json(context_to_json(ctx)) == ctx


# Versions, approval and sending


@pytest.mark.freeze_time(DEMO_AT)
def test_a_sent_draft_never_changes_and_an_edit_makes_a_new_version(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        (doc,) = drafts.current_drafts(found, get_profile(), "staff", instance_path=INSTANCE)
        draft_sending.approve(doc, user("dpo"))
        sent_text = doc.current.body_markdown
        draft_sending.mark_sent(
            doc, user("dpo"), sent_at=utcnow(), channel="email", sent_to="all staff"
        )
        with pytest.raises(drafts.DraftError):
            draft_sending.approve(doc, user("dpo"))
        drafts.edit(doc, doc.current.subject, sent_text + "\nOne more thing.", "", user("dpo"))
        db.session.expire_all()
        versions = db.session.scalars(select(DraftVersion).order_by(DraftVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].body_markdown == sent_text
    assert versions[0].state is DraftState.SENT
    assert versions[1].state is DraftState.DRAFT
    assert "One more thing." in versions[1].body_markdown


@pytest.mark.freeze_time(DEMO_AT)
def test_an_edit_keeping_a_placeholder_is_refused_and_nothing_is_saved(app, freezer):
    with app.app_context():
        (doc,) = drafts.current_drafts(
            odl_ransomware_in_progress(freezer), get_profile(), "staff", instance_path=INSTANCE
        )
        with pytest.raises(drafts.DraftError, match="placeholder"):
            drafts.edit(doc, "Subject", "Dear {{ name }},", "", user("dpo"))
        assert db.session.scalar(select(func.count()).select_from(DraftVersion)) == 1


@pytest.mark.freeze_time(DEMO_AT)
def test_marking_the_ico_report_sent_records_the_notice_with_the_ico_reference(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        (doc,) = drafts.current_drafts(found, get_profile(), "ico", instance_path=INSTANCE)
        with pytest.raises(drafts.DraftError, match="Approve"):
            draft_sending.mark_sent(doc, user("dpo"), sent_at=utcnow(), channel="x", sent_to="ICO")
        approve_as_the_dpo(doc, phased=True)
        with pytest.raises(drafts.DraftError) as missing:
            draft_sending.mark_sent(
                doc, user("dpo"), sent_at=utcnow(), channel="ICO online form", sent_to="ICO"
            )
        assert missing.value.field == "ico_reference"
        draft_sending.mark_sent(
            doc,
            user("dpo"),
            sent_at=utcnow(),
            channel="ICO online form",
            sent_to="Information Commissioner's Office",
            ico_reference="IC-123456-A1B2",
        )
        notice = db.session.scalar(select(NoticeRecord))
        assert notice.audience.value == "ico"
        assert notice.reference == "IC-123456-A1B2"
        assert notice.draft_id == doc.id
        assert doc.state is DraftState.SENT


@pytest.mark.freeze_time(DEMO_AT)
def test_a_late_ico_report_without_reasons_is_refused_and_nothing_is_recorded(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        (doc,) = drafts.current_drafts(found, get_profile(), "ico", instance_path=INSTANCE)
        approve_as_the_dpo(doc, phased=True)
        freezer.tick(timedelta(hours=80))
        with pytest.raises(drafts.DraftError) as refused:
            draft_sending.mark_sent(
                doc, user("dpo"), sent_at=utcnow(), channel="ICO form", sent_to="ICO",
                ico_reference="IC-1",
            )  # fmt: skip
        assert refused.value.field == "delay_reasons"
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(NoticeRecord)) == 0
        assert db.session.get(DraftVersion, doc.current.id).sent_at is None


@pytest.mark.freeze_time(DEMO_AT)
def test_a_follow_up_report_quotes_the_case_reference_and_carries_only_what_changed(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        ico_report_sent(found, "IC-777")
        freezer.tick(timedelta(hours=5))
        decide(found, cause="malicious", records_count=16000)
        follow = draft_sending.start_follow_up(
            found, get_profile(), user("dpo"), instance_path=INSTANCE
        )
        (current,) = drafts.current_drafts(found, get_profile(), "ico", instance_path=INSTANCE)
        text = follow.current.body_markdown
    assert current.id == follow.id
    assert follow.report_kind == "follow-up"
    assert "Report type: Follow-up report" in text
    assert "ICO case reference: IC-777" in text
    assert "About 16,000" in text
    assert "Who the ICO should contact" not in text  # unchanged, so not repeated
    assert "Staff training" not in text


@pytest.mark.freeze_time(DEMO_AT)
def test_a_draft_holding_the_profiles_demo_values_cannot_be_approved(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        (doc,) = drafts.current_drafts(found, get_profile(), "ico", instance_path=INSTANCE)
        with pytest.raises(drafts.DraftError, match="example values") as refused:
            draft_sending.approve(doc, user("dpo"), phased=True)
        assert "DEMO address: replace with ODL's address" in str(refused.value)
        assert doc.current.approved_at is None


@pytest.mark.freeze_time(DEMO_AT)
def test_an_ico_report_with_elements_to_follow_is_approved_only_as_a_phased_report(app):
    with app.app_context():
        demo.load_demo(get_profile())  # the first hour: no decision, records not counted
        (doc,) = drafts.current_drafts(
            incident(ODL_REF), get_profile(), "ico", instance_path=INSTANCE
        )
        with pytest.raises(drafts.DraftError, match="report in phases") as refused:
            approve_as_the_dpo(doc)
        assert refused.value.field == "phased"
        assert "in: What has happened, Personal data placed at risk, Likely" in str(refused.value)
        assert "Who the ICO should contact" not in str(refused.value)  # all known
        assert doc.current.approved_at is None
        draft_sending.approve(doc, user("dpo"), phased=True)
        assert doc.current.approved_at is not None
        trail = db.session.scalars(select(AuditEvent.summary)).all()
    assert any("as a phased report (to follow:" in line for line in trail)


@pytest.mark.freeze_time(DEMO_AT)
def test_data_held_only_for_others_needs_a_reason_to_report_it_in_our_own_name(app):
    with app.app_context():
        profile = get_profile()
        demo.load_demo(profile)
        parcel = reporting.ReportInput(
            description="A practice received another practice's parcel with a prescription.",
            occurred_at=None,
            noticed_at=utcnow(),
            asset_ids=("parcels",),
            data_categories=("health",),
            data_notes="",
            people_count=1,
            ongoing=Ongoing.NO,
            others_aware="",
        )
        found = reporting.submit_report(user("sam"), parcel, profile, get_desk().playbooks).incident
        for group in ("ico", "people"):
            with pytest.raises(drafts.DraftError, match="controllers' decisions") as refused:
                drafts.current_drafts(found, profile, group, user("dpo"), instance_path=INSTANCE)
            assert refused.value.field == "reason"
        assert drafts.drafts_for(found) == []
        (to_practice,) = drafts.current_drafts(
            found, profile, "controllers", user("dpo"), instance_path=INSTANCE
        )
        why = "The practice asked us to report it for them."
        (report,) = drafts.current_drafts(
            found, profile, "ico", user("dpo"), reason=why, instance_path=INSTANCE
        )
        trail = db.session.scalars(select(AuditEvent.summary)).all()
    assert to_practice.kind == "controller"
    assert report.kind == "ico"
    assert any(why in line for line in trail)


@pytest.mark.freeze_time(DEMO_AT)
def test_the_people_are_told_what_happened_in_the_dpos_plain_words(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        assert drafts.people_summary(found) == found.description  # filled from the report
        with pytest.raises(drafts.DraftError, match="a sentence or two"):
            drafts.set_people_summary(found, "   ", user("dpo"))
        plain = "Criminals locked the computer that holds our records and asked for money."
        drafts.set_people_summary(found, plain, user("dpo"))
        letter, mail = text_of(ODL_REF, "people")
        (report,) = text_of(ODL_REF, "ico")
    for notice in (letter, mail):
        assert plain in notice
        assert "Bitcoin" not in notice
    assert "asks for Bitcoin" in report  # the ICO reads the facts as reported


@pytest.mark.freeze_time(DEMO_AT)
def test_new_facts_after_the_report_was_sent_mark_it_out_of_date_until_a_follow_up(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        first = ico_report_sent(found, "IC-778")
        assert ico_report_out_of_date(found, drafts.drafts_for(found)) is None
        freezer.tick(timedelta(hours=2))
        change_facts(found, get_profile(), {"exfiltration": "confirmed"}, user("dpo"), source="x")
        db.session.commit()
        sent = ico_report_out_of_date(found, drafts.drafts_for(found))
        assert sent == first.last_sent.sent_at
        draft_sending.start_follow_up(found, get_profile(), user("dpo"), instance_path=INSTANCE)
        assert ico_report_out_of_date(found, drafts.drafts_for(found)) is None


# The CSV mail merge


@pytest.mark.freeze_time(DEMO_AT)
def test_a_malformed_recipients_file_is_refused_with_its_line_and_nothing_is_made(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        letter, _ = drafts.current_drafts(found, get_profile(), "people", instance_path=INSTANCE)
        bad = b"name,email,address\nAnn Smith,ann@example.com,\nBob Jones,not-an-email,\n"
        with pytest.raises(drafts.DraftError, match="line 3"):
            draft_exports.merge_recipients(letter, bad, "people.csv", user("dpo"))
        assert db.session.scalar(select(func.count()).select_from(DraftMerge)) == 0


@pytest.mark.freeze_time(DEMO_AT)
def test_a_mail_merge_makes_one_email_file_and_one_letter_per_person(app, freezer):
    with app.app_context():
        found = odl_ransomware_in_progress(freezer)
        letter, _ = drafts.current_drafts(found, get_profile(), "people", instance_path=INSTANCE)
        rows = (
            "name,email,address\n"
            'Ann Smith,ann@example.com,"1 High St\nLeeds LS1 1AA"\n'
            "Bob *Jones*,,2 Low Rd\n"
        )
        merge = draft_exports.merge_recipients(letter, rows.encode(), "p.csv", user("dpo"))
        letters = draft_exports.merged_drafts(merge)
        archive = zipfile.ZipFile(io.BytesIO(draft_exports.eml_zip(merge, get_profile()).content))
    assert len(letters) == 2
    assert "Dear Ann Smith," in letters[0].body_markdown
    assert "1 High St" in letters[0].body_markdown
    assert "Dear Bob \\*Jones\\*," in letters[1].body_markdown  # markup in a name stays text
    (name,) = archive.namelist()
    message = email.message_from_bytes(archive.read(name), policy=email.policy.default)
    assert message["To"] == "Ann Smith <ann@example.com>"
    assert "Dear Ann Smith," in message.get_content()


# Golden files: the demo drafts exactly as the app produces them


def golden_demo(name: str, reference: str, group: str, index: int, build, setup_app, freezer):
    with setup_app.app_context():
        build(freezer)
        return text_of(reference, group)[index]


DEMO_GOLDEN = {
    "demo-odl-ransomware-ico.md": (ODL_REF, "ico", 0, odl_ransomware_in_progress, False),
    "demo-odl-ransomware-people-letter.md": (
        ODL_REF, "people", 0, odl_ransomware_in_progress, False
    ),
    "demo-sunray-misdirected-email-ico.md": (SUNRAY_REF, "ico", 0, sunray_misdirected_email, True),
    "demo-sunray-misdirected-email-people-email.md": (
        SUNRAY_REF, "people", 1, sunray_misdirected_email, True
    ),
}  # fmt: skip


@pytest.mark.freeze_time(DEMO_AT)
@pytest.mark.parametrize("name", sorted(DEMO_GOLDEN))
def test_demo_draft_matches_its_reviewed_golden_file(name, app, monkeypatch, request, freezer):
    reference, group, index, build, sunray = DEMO_GOLDEN[name]
    setup_app = request.getfixturevalue("sunray_app") if sunray else app
    produced = golden_demo(name, reference, group, index, build, setup_app, freezer)
    if os.environ.get("BREACHDESK_REGENERATE_GOLDEN"):
        (GOLDEN / name).write_text(produced, encoding="utf-8")
    assert produced == (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.freeze_time(DEMO_AT)
@pytest.mark.parametrize(
    ("description", "cause", "answer"),
    [
        ("Ransomware: a note on the lab server asks for payment.", None, "Yes"),
        ("Someone has been hacking into the lab's email account.", None, "Yes"),
        ("A cyber attack took the website down overnight.", None, "Yes"),
        ("A virus scan found malware on the reception PC.", None, "Yes"),
        ("A parcel went to the wrong practice.", "accidental", "No"),
        ("Paper account forms are missing from the office in Hackney.", None, "Not yet known"),
    ],
)
def test_the_ico_report_says_a_cyber_incident_when_the_report_says_so_and_unknown_only_when_so(
    app, description, cause, answer
):
    with app.app_context():
        profile = get_profile()
        demo.load_demo(profile)
        report = reporting.ReportInput(
            description=description,
            occurred_at=None,
            noticed_at=utcnow(),
            asset_ids=("email",),
            data_categories=("basic_identity",),
            data_notes="",
            people_count=3,
            ongoing=Ongoing.NO,
            others_aware="",
        )
        found = reporting.submit_report(user("sam"), report, profile, get_desk().playbooks).incident
        if cause:
            change_facts(found, profile, {"cause": cause}, user("dpo"), source="the DPO")
        (ico,) = text_of(found.reference, "ico")
    assert f"Was the breach caused by a cyber incident? {answer}\n" in ico
