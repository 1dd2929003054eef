"""Drafting the breach messages: the ICO report, the people's notice, partners, staff."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.domain.drafting import INVISIBLE_CONTROLS
from breachdesk.domain.drafting import TO_FOLLOW
from breachdesk.domain.drafting import ContactDetails
from breachdesk.domain.drafting import DraftContext
from breachdesk.domain.drafting import DraftKind
from breachdesk.domain.drafting import OrgDetails
from breachdesk.domain.drafting import Recipient
from breachdesk.domain.drafting import RecipientsError
from breachdesk.domain.drafting import TemplateError
from breachdesk.domain.drafting import about
from breachdesk.domain.drafting import draft_controller_notices
from breachdesk.domain.drafting import draft_ico_report
from breachdesk.domain.drafting import draft_people_notice
from breachdesk.domain.drafting import draft_processor_notices
from breachdesk.domain.drafting import draft_public_notice
from breachdesk.domain.drafting import draft_staff_summary
from breachdesk.domain.drafting import escape_inline
from breachdesk.domain.drafting import flesch_reading_ease
from breachdesk.domain.drafting import parse_recipients_csv
from breachdesk.domain.drafting import personalise
from breachdesk.domain.drafting import plain_inline
from breachdesk.domain.drafting import render
from breachdesk.domain.drafting import sections
from breachdesk.domain.drafting import to_eml
from breachdesk.domain.drafting import to_markdown
from breachdesk.domain.drafting import to_text
from breachdesk.domain.vocabulary import DataCategory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "breachdesk" / "draft_templates"
GOLDEN = ROOT / "tests" / "golden" / "drafts"


def template(kind: DraftKind) -> str:
    """The default template shipped with breachdesk."""
    return (TEMPLATES / f"{kind.value}.md").read_text(encoding="utf-8")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


ODL = OrgDetails(
    name="ODL",
    legal_name="ODL Dental Laboratory Ltd",
    address="Unit 3, Riverside Works, Canal Road, Leeds LS12 2AB",
    website="www.odl-lab.example",
    ico_registration="ZA123456",
    dpo_name="Jane Harper",
    dpo_role="Data Protection Officer",
    dpo_email="dpo@odl-lab.example",
    dpo_phone="0113 496 0000",
    reports_to="ico",
    staff_training=(
        "All staff complete data protection and cyber security training when they join, "
        "with a refresher every year. The last refresher was in January 2026."
    ),
)

SUNRAY = OrgDetails(
    name="Sunray Vision",
    legal_name="Sunray Vision",
    address="Unit 12, The Sycamores, Heatherwood Grove, Darlington, County Durham DL3 9PH",
    website="www.sunrayvision.co.uk",
    ico_registration="ZB765432",
    dpo_name="Clive Durham",
    dpo_role="Data Protection Officer",
    dpo_email="support@sunrayvision.co.uk",
    dpo_phone="01632 960123",
    reports_to="ico",
    staff_training="The DPO is the only person who handles customer data and reviews "
    "the ICO's guidance for small businesses every year.",
)


def odl_ransomware() -> DraftContext:
    """Ransomware on ODL's lab server: patients' names, dates of birth and shades."""
    return DraftContext(
        org=ODL,
        reference="ODL-2026-004",
        summary=(
            "At 07:40 the lab manager found a ransom note on the lab server's screen. "
            "Transactor (our laboratory software) and Sage would not open, and the files on "
            "the server had been encrypted by ransomware."
        ),
        people_summary=(
            "We are ODL, the dental laboratory that makes crowns, dentures and other dental "
            "work for your dentist. Criminals attacked our computer system. They locked our "
            "files so that we could not use them. The files hold some details about you, "
            "because your dentist sent us work to make for you."
        ),
        how_discovered=(
            "The lab manager saw the ransom note and called Reliant (UK) Ltd, our IT "
            "contractor, who confirmed ransomware at 09:30."
        ),
        occurred_at=utc(2026, 3, 10, 2, 15),
        noticed_at=utc(2026, 3, 10, 7, 40),
        aware_at=utc(2026, 3, 10, 9, 30),
        reported_at=utc(2026, 3, 11, 14, 0),
        ico_contact="No",
        assets=("Lab server (Transactor laboratory software and Sage accounts)",),
        data_categories=(
            DataCategory.BASIC_IDENTITY,
            DataCategory.DATE_OF_BIRTH,
            DataCategory.HEALTH,
        ),
        people_groups=("patients of the dental practices we work for", "clinicians"),
        subjects_count=6000,
        records_count=14500,
        vulnerable=True,
        cyber_incident=True,
        cause="malicious",
        ongoing="No: the server was disconnected from the network at 07:55 and the attack "
        "is contained.",
        exfiltration="suspected",
        encrypted=False,
        backups_state=(
            "The nightly backup at Solawinds (data centre in Slough) is intact; the attack "
            "did not reach it. Reliant checked it on 10 March 2026."
        ),
        likely_consequences=(
            "Loss of confidentiality of patients' health data (the shade of their dental "
            "work, tied to their name)",
            "Identity fraud or scams using patients' names and dates of birth, if the data "
            "was copied",
            "Delays to patients' dental work while the server is restored",
        ),
        people_consequences=(
            "Someone could use your name and date of birth to try to pretend to be you.",
            "Someone could learn private things about your dental treatment.",
            "Your dental work could take a little longer while we get our system back.",
        ),
        measures_taken=(
            "We cut the server off from the network at 07:55 on 10 March.",
            "Our IT firm is checking how the attack got in and if data was copied.",
            "We changed all staff and admin passwords.",
        ),
        measures_proposed=(
            "We will restore the server from the safe backup once it is clean.",
            "We will add a second check, a code sent to a phone, for remote log-ins.",
        ),
        risk="high",
        notify_ico=True,
        notify_subjects=True,
        subject_channel="direct",
        reasons=(
            "Health data tied to named patients is special category data (UK GDPR Art. 9).",
            "A criminal attack where copying of data is suspected (EDPB Guidelines 01/2021).",
            "About 6,000 patients, who are vulnerable people, are involved.",
        ),
        people_told=(
            "With the agreement of the dental practices, which are the controllers for their "
            "patients, we are writing to each patient by 13 March 2026."
        ),
        ico_deadline=utc(2026, 3, 13, 9, 30),
        others_told=("Action Fraud (police), on 10 March 2026",),
        controllers=("Smile Dental Practice", "Harbour Dental Care", "Parkside Orthodontics"),
        contacts=(
            ContactDetails(
                "reliant",
                "Reliant (UK) Ltd",
                "processor",
                "IT support",
                "help@reliant.example",
                "0113 496 0111",
            ),
            ContactDetails(
                "solawinds",
                "Solawinds",
                "processor",
                "nightly server backups",
                "support@solawinds.example",
            ),
            ContactDetails(
                "sanda",
                "Sanda Creative Design LTD",
                "processor",
                "website hosting",
                "hello@sanda.example",
            ),
            ContactDetails("dpd", "DPD", "partner", "courier address book"),
            ContactDetails("ico", "Information Commissioner's Office", "authority", "regulator"),
        ),
    )


def sunray_misdirected_email() -> DraftContext:
    """Sunray Vision: an order confirmation with a prescription sent to the wrong customer."""
    return DraftContext(
        org=SUNRAY,
        reference="SV-2026-001",
        summary=(
            "An order confirmation email for one customer was sent to another customer after "
            "two orders were mixed up while one was being edited by hand. It showed the "
            "customer's name, delivery address and lens prescription."
        ),
        people_summary=(
            "We sent an email about your order to another customer by mistake. The email "
            "showed your name, your address and your lens prescription."
        ),
        how_discovered="The customer who received the email replied to tell us.",
        occurred_at=utc(2026, 6, 2, 10, 12),
        noticed_at=utc(2026, 6, 2, 14, 30),
        aware_at=utc(2026, 6, 2, 14, 30),
        reported_at=utc(2026, 6, 3, 9, 0),
        ico_contact="Yes: Jo Bloggs on the ICO helpline, 2 June 2026.",
        assets=("Order emails (one.com mail server)",),
        data_categories=(DataCategory.BASIC_IDENTITY, DataCategory.HEALTH),
        people_groups=("customers",),
        subjects_count=1,
        records_count=1,
        vulnerable=False,
        cyber_incident=False,
        cause="accidental",
        ongoing="No",
        exfiltration="Yes: the email went to one other customer, who has deleted it.",
        encrypted=False,
        backups_state="Not affected: no data was lost or changed.",
        measures_taken=(
            "We asked the person who got the email to delete it. They have told us in "
            "writing that they did.",
            "We sent the right email to you.",
        ),
        measures_proposed=("We no longer edit orders by hand. We cancel and enter them again.",),
        risk="risk",
        notify_ico=True,
        notify_subjects=True,
        subject_channel="direct",
        reasons=("A lens prescription is health data (UK GDPR Art. 9).",),
        people_told="We are emailing the customer today, as our privacy notice promises.",
        ico_deadline=utc(2026, 6, 5, 14, 30),
    )


GOLDEN_DRAFTS = {
    "odl-ransomware-ico.md": lambda: draft_ico_report(odl_ransomware(), template(DraftKind.ICO)),
    "odl-ransomware-people-letter.md": lambda: draft_people_notice(
        odl_ransomware(), template(DraftKind.PEOPLE_LETTER), channel="letter"
    ),
    "sunray-misdirected-email-people-email.md": lambda: draft_people_notice(
        sunray_misdirected_email(), template(DraftKind.PEOPLE_EMAIL), channel="email"
    ),
}


def ico_section(draft, heading: str) -> str:
    return dict(sections(draft))[heading]


def as_html(draft) -> str:
    return markdown.markdown(draft.body_markdown)


# The ICO report (UK GDPR Art. 33(3))


@pytest.mark.parametrize("context", [odl_ransomware, sunray_misdirected_email])
def test_ico_report_carries_every_article_33_3_element(context):
    ctx = context()
    draft = draft_ico_report(ctx, template(DraftKind.ICO))
    data = ico_section(draft, "Personal data placed at risk")
    # (a) nature, categories and approximate numbers of people and records
    assert ctx.summary.split(".")[0] in ico_section(draft, "What has happened")
    assert "Health data" in data
    assert "Basic personal identifiers" in data
    assert f"People affected: {about(ctx.subjects_count)}" in data
    assert f"Personal data records: {about(ctx.records_count)}" in data
    # (b) the DPO's name and contact details
    contact = ico_section(draft, "Who the ICO should contact")
    assert ctx.org.dpo_name in contact
    assert ctx.org.dpo_email in contact
    assert ctx.org.dpo_phone in contact
    # (c) likely consequences, (d) measures taken and proposed
    assert ico_section(draft, "Likely consequences for the people").startswith("- ")
    containment = ico_section(draft, "Containment and recovery")
    for measure in ctx.measures_taken + ctx.measures_proposed:
        assert measure in containment
    assert draft.to_follow == ()


def test_ico_report_follows_the_ico_forms_sections_in_order():
    draft = draft_ico_report(odl_ransomware(), template(DraftKind.ICO))
    assert [heading for heading, _ in sections(draft)] == [
        "Personal data breach report from ODL (our reference ODL-2026-004)",
        "About this report",
        "Your organisation",
        "Who the ICO should contact",
        "What has happened",
        "How and when we found out",
        "When the breach happened",
        "Personal data placed at risk",
        "Likely consequences for the people",
        "Containment and recovery",
        "Staff training and guidance",
        "Telling the people affected",
        "Reasons for any delay",
        "Other organisations told",
    ][1:]


def test_ico_report_names_data_and_people_in_the_icos_own_terms():
    draft = draft_ico_report(odl_ransomware(), template(DraftKind.ICO))
    data = ico_section(draft, "Personal data placed at risk")
    assert "- Patients: patients of the dental practices we work for" in data
    assert "Special category or criminal offence data: Yes: Health data (UK GDPR Art. 9)" in data
    assert "Are children or vulnerable adults (such as patients) affected? Yes" in data


def test_ico_report_derives_likely_consequences_from_the_data_when_none_are_given():
    draft = draft_ico_report(sunray_misdirected_email(), template(DraftKind.ICO))
    consequences = ico_section(draft, "Likely consequences for the people")
    assert "Loss of confidentiality of health data" in consequences
    assert "Phishing, scam calls or letters" in consequences


def test_unknown_facts_say_to_follow_and_are_never_invented():
    ctx = replace(odl_ransomware(), occurred_at=None, subjects_count=None, cyber_incident=None)
    draft = draft_ico_report(ctx, template(DraftKind.ICO))
    assert f"People affected: {TO_FOLLOW}" in ico_section(draft, "Personal data placed at risk")
    # Where the ICO's form itself accepts "not yet known", that is the answer, not a gap.
    assert ico_section(draft, "When the breach happened") == "Not yet known"
    assert "cyber incident? Not yet known" in ico_section(draft, "What has happened")
    assert draft.to_follow == ("Personal data placed at risk",)


def test_the_report_asks_whether_ico_staff_were_already_spoken_to():
    asked = draft_ico_report(replace(odl_ransomware(), ico_contact=None), template(DraftKind.ICO))
    about_it = ico_section(asked, "About this report")
    assert "Have we already spoken to ICO staff about this breach, and who? To follow" in about_it
    told = replace(odl_ransomware(), ico_contact="Yes: Jo Bloggs on the helpline.")
    answer = ico_section(draft_ico_report(told, template(DraftKind.ICO)), "About this report")
    assert "and who? Yes: Jo Bloggs on the helpline." in answer


def test_late_report_gives_the_reasons_for_delay():
    ctx = replace(odl_ransomware(), late=True, delay_reasons="The only director was abroad.")
    delay = ico_section(draft_ico_report(ctx, template(DraftKind.ICO)), "Reasons for any delay")
    assert "later than 72 hours" in delay
    assert "Friday 13 March 2026 at 09:30 GMT" in delay
    assert "The only director was abroad." in delay


def test_late_report_without_reasons_marks_them_to_follow():
    ctx = replace(odl_ransomware(), late=True)
    draft = draft_ico_report(ctx, template(DraftKind.ICO))
    assert "Reasons for any delay" in draft.to_follow


def test_report_says_why_people_are_not_told():
    ctx = replace(
        sunray_misdirected_email(),
        notify_subjects=False,
        people_told=None,
        reasons=("The only recipient is known and confirmed deletion (Art. 34(3)(b)).",),
    )
    telling = ico_section(
        draft_ico_report(ctx, template(DraftKind.ICO)), "Telling the people affected"
    )
    assert telling.startswith("No.")
    assert "confirmed deletion" in telling


def test_dspt_organisation_reports_through_the_toolkit_with_the_same_content():
    ctx = replace(odl_ransomware(), org=replace(ODL, reports_to="dspt"))
    draft = draft_ico_report(ctx, template(DraftKind.ICO))
    assert draft.title == "DSPT incident report (initial)"
    assert "Data Security and Protection Toolkit" in ico_section(draft, "About this report")
    assert "Personal data placed at risk" in dict(sections(draft))


def test_follow_up_report_carries_only_what_changed_and_the_case_reference():
    first = odl_ransomware()
    follow_up = replace(
        first,
        report_kind="follow-up",
        ico_case_reference="IC-445566-Z9Y8",
        previous=first,
        reported_at=utc(2026, 3, 16, 10, 0),
        exfiltration="ruled_out",
    )
    draft = draft_ico_report(follow_up, template(DraftKind.ICO))
    headings = [heading for heading, _ in sections(draft)]
    assert headings == ["About this report", "What has happened"]
    about = ico_section(draft, "About this report")
    assert "Follow-up report" in about
    assert "IC-445566-Z9Y8" in about
    assert "only what has changed since our report of Wednesday 11 March 2026" in about
    assert "no sign that data left our systems" in ico_section(draft, "What has happened")
    assert draft.title == "Report to the ICO (follow-up)"


def test_follow_up_without_its_case_reference_marks_it_to_follow():
    first = odl_ransomware()
    follow_up = replace(first, report_kind="follow-up", previous=first)
    draft = draft_ico_report(follow_up, template(DraftKind.ICO))
    assert draft.to_follow == ("About this report",)


# Notices to the people (UK GDPR Art. 34(2))


@pytest.mark.parametrize(
    ("context", "channel"),
    [(odl_ransomware, "letter"), (sunray_misdirected_email, "email")],
)
def test_people_notice_carries_every_article_34_2_element(context, channel):
    ctx = context()
    kind = DraftKind.PEOPLE_LETTER if channel == "letter" else DraftKind.PEOPLE_EMAIL
    draft = draft_people_notice(ctx, template(kind), channel=channel)
    parts = dict(sections(draft))
    assert ctx.people_summary in parts["What happened"]
    assert ctx.org.dpo_name in parts["Who to contact"]
    assert ctx.org.dpo_email in parts["Who to contact"]
    assert parts["What this could mean for you"].startswith("- Someone could")
    assert ctx.measures_taken[0] in parts["What we have done"]
    assert "Be careful of calls, letters or emails" in parts["What you can do"]
    assert "Information Commissioner's Office" in parts["Your right to complain"]
    assert draft.kind is kind
    assert draft.to_follow == ()


def test_the_people_read_what_was_done_for_them_instead_of_the_measures_for_the_ico():
    ctx = replace(odl_ransomware(), people_measures=("We took the server off our network.",))
    draft = draft_people_notice(ctx, template(DraftKind.PEOPLE_LETTER))
    done = dict(sections(draft))["What we have done"]
    assert done == "- We took the server off our network."
    report = dict(sections(draft_ico_report(ctx, template(DraftKind.ICO))))
    assert ctx.measures_taken[0] in report["Containment and recovery"]


def test_when_nothing_is_done_yet_the_notice_says_to_follow():
    ctx = replace(odl_ransomware(), people_measures=(), measures_taken=())
    draft = draft_people_notice(ctx, template(DraftKind.PEOPLE_EMAIL), channel="email")
    assert dict(sections(draft))["What we have done"].startswith("To follow")
    assert "What we have done" in draft.to_follow
    assert all(m not in draft.body_markdown for m in ctx.measures_proposed)


def test_steps_done_but_not_yet_written_for_the_people_never_read_to_follow():
    ctx = replace(odl_ransomware(), people_measures=())
    draft = draft_people_notice(ctx, template(DraftKind.PEOPLE_EMAIL), channel="email")
    done = dict(sections(draft))["What we have done"]
    assert (
        done == "- We acted as soon as we knew, to stop the problem and limit its effects, "
        "and we are looking into how it happened."
    )
    assert "What we have done" not in draft.to_follow
    assert all(m not in draft.body_markdown for m in ctx.measures_taken)  # staff's words


def test_advice_is_chosen_by_the_data_involved():
    card = replace(
        sunray_misdirected_email(),
        data_categories=(DataCategory.PAYMENT_CARD, DataCategory.CREDENTIALS),
    )
    advice = dict(sections(draft_people_notice(card, template(DraftKind.PEOPLE_LETTER))))
    tips = advice["What you can do"]
    assert "tell your bank or card company" in tips
    assert "Change your password" in tips
    assert "Cifas" not in tips
    assert "treatment" not in tips


def test_identity_data_brings_the_cifas_advice():
    letter = draft_people_notice(odl_ransomware(), template(DraftKind.PEOPLE_LETTER))
    tips = dict(sections(letter))["What you can do"]
    assert "Cifas for Protective Registration" in tips
    assert "the practice that treats you will contact you" in tips


@pytest.mark.parametrize(
    ("context", "kind", "channel"),
    [
        (odl_ransomware, DraftKind.PEOPLE_LETTER, "letter"),
        (sunray_misdirected_email, DraftKind.PEOPLE_EMAIL, "email"),
        (sunray_misdirected_email, DraftKind.PEOPLE_LETTER, "letter"),
    ],
)
def test_notices_to_people_are_plain_english(context, kind, channel):
    draft = draft_people_notice(context(), template(kind), channel=channel)
    assert flesch_reading_ease(to_text(draft)) >= 60


def test_public_notice_is_plain_english_and_addressed_to_no_one():
    draft = draft_public_notice(odl_ransomware(), template(DraftKind.PUBLIC_NOTICE))
    assert draft.kind is DraftKind.PUBLIC_NOTICE
    assert draft.recipient is None
    assert "Dear" not in draft.body_markdown
    assert flesch_reading_ease(to_text(draft)) >= 60


def test_reading_ease_scores_hard_text_low_and_plain_text_high():
    plain = "We lost a letter. It had your name on it. We are sorry."
    legal = (
        "Notwithstanding the aforementioned circumstances, the organisation's "
        "contractual obligations necessitate comprehensive investigative procedures."
    )
    assert flesch_reading_ease(plain) > 80
    assert flesch_reading_ease(legal) < 20


def test_people_notice_refuses_an_unknown_channel():
    with pytest.raises(ValueError, match="channel"):
        draft_people_notice(odl_ransomware(), template(DraftKind.PEOPLE_LETTER), channel="sms")


# Processors, partners, controllers and staff


def test_one_notice_per_processor_or_partner_and_none_for_the_regulator():
    drafts = draft_processor_notices(odl_ransomware(), template(DraftKind.PROCESSOR))
    assert [d.recipient for d in drafts] == [
        "Reliant (UK) Ltd",
        "Solawinds",
        "Sanda Creative Design LTD",
        "DPD",
    ]
    reliant = dict(sections(drafts[0]))
    assert "Keep all logs" in reliant["What we need from you"]
    assert "Reset any passwords" in reliant["What we need from you"]
    assert "confidential" in reliant["Confidentiality"]
    assert drafts[0].subject.startswith("Confidential: personal data breach at ODL")
    assert "our partner for courier address book" in drafts[3].body_markdown


def test_one_notice_per_controller_with_what_it_needs_for_its_own_report():
    ctx = odl_ransomware()
    drafts = draft_controller_notices(ctx, template(DraftKind.CONTROLLER))
    assert [d.recipient for d in drafts] == list(ctx.controllers)
    for draft, controller in zip(drafts, ctx.controllers, strict=True):
        parts = dict(sections(draft))
        assert f"Dear {controller}," in draft.body_markdown
        assert "Art. 33(2)" in draft.body_markdown
        assert "your 72 hours may run from this notice" in parts["Your 72 hours"]
        assert "People: About 6,000" in parts["Personal data and people involved"]
        assert "Health data" in parts["Personal data and people involved"]
        assert ctx.likely_consequences[0] in parts["Likely consequences"]
        assert ctx.measures_taken[0] in parts["Measures taken and proposed"]
        assert ctx.org.dpo_email in parts["Our contact"]
        assert draft.kind is DraftKind.CONTROLLER


def test_staff_summary_tells_staff_what_to_do_and_whom_to_ask():
    draft = draft_staff_summary(odl_ransomware(), template(DraftKind.STAFF))
    parts = dict(sections(draft))
    assert "Do not discuss the incident outside work" in parts["What you should do"]
    assert "Jane Harper" in parts["Who to contact"]
    assert "Friday 13 March 2026 at 09:30 GMT" in parts["What happens next"]


# The template renderer


HOSTILE = (
    "<script>alert(1)</script> see [x](javascript:alert(1)) and {{ org_name }}\n"
    "# not a heading\n- not a list\n1. not numbered\n    not code\n> not a quote\n===\n"
)


@pytest.mark.parametrize(
    ("kind", "drafter"),
    [
        (DraftKind.ICO, draft_ico_report),
        (DraftKind.STAFF, draft_staff_summary),
        (DraftKind.PEOPLE_EMAIL, lambda c, t: draft_people_notice(c, t, channel="email")),
    ],
)
def test_user_text_can_never_become_markup(kind, drafter):
    ctx = replace(odl_ransomware(), summary=HOSTILE, people_summary=HOSTILE)
    draft = drafter(ctx, template(kind))
    page = as_html(draft)
    assert "<script>" not in page
    assert "href" not in page
    assert "&lt;script&gt;" in page
    assert "<h1>" not in page
    assert "<pre>" not in page
    assert "<blockquote>" not in page
    assert "<ol>" not in page
    assert "{{" not in to_markdown(draft)
    assert "}}" not in to_markdown(draft)
    text = to_text(draft)
    assert "<script>alert(1)</script> see [x](javascript:alert(1))" in text
    assert "\n# not a heading\n- not a list\n1. not numbered\n" in text


@given(st.text())
def test_any_typed_text_shows_as_typed_and_never_as_markup(typed):
    escaped = escape_inline(typed)
    visible = INVISIBLE_CONTROLS.sub("", typed)
    assert plain_inline(escaped) == " ".join(visible.split())
    assert "{{" not in escaped
    assert "}}" not in escaped
    assert "<" not in markdown.markdown(escaped).removeprefix("<p>").removesuffix("</p>")


def test_a_typed_markdown_marker_character_brings_no_markup_back():
    # Python-Markdown keeps STX and ETX as its own markers: typed, they once made a heading.
    escaped = escape_inline("\x03# Not a heading \x02")

    assert markdown.markdown(escaped) == "<p># Not a heading</p>"


def test_unknown_placeholder_is_an_error_naming_it():
    with pytest.raises(TemplateError, match="'dpo_shoe_size'"):
        render("# Subject\n\n{{ dpo_shoe_size }}", {}, TO_FOLLOW)


def test_malformed_placeholder_never_reaches_the_output():
    with pytest.raises(TemplateError, match="malformed"):
        render("# Subject\n\n{{ org name }}", {"org": "ODL"}, TO_FOLLOW)


def test_template_without_a_subject_line_is_an_error():
    with pytest.raises(TemplateError, match="subject"):
        draft_staff_summary(odl_ransomware(), "No heading here.")


def test_lists_render_as_markdown_bullets_and_the_dpo_comment_is_dropped():
    out = render("<!-- for the DPO -->\n# S\n\n{{ items }}", {"items": ("a*b", "[c]")}, "")
    assert out == "# S\n\n- a\\*b\n- \\[c\\]"


# Mail merge


CSV = (
    "name,email,address\n"
    "Amy Patel,amy@example.com,\n"
    'Bob Jones,,"4 Mill Lane\nLeeds LS1 1AA"\n'
    "\n"
    "Cara O'Neill,cara@example.com,9 High Street\n"
)


def test_recipients_csv_reads_every_row_including_multi_line_addresses():
    recipients = parse_recipients_csv(CSV)
    assert recipients == (
        Recipient("Amy Patel", "amy@example.com", None),
        Recipient("Bob Jones", None, "4 Mill Lane\nLeeds LS1 1AA"),
        Recipient("Cara O'Neill", "cara@example.com", "9 High Street"),
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name,email,address\nAmy,amy@example.com,\nBob,,\n", "line 3"),
        ("name,email,address\nAmy,amy@example.com,\nBob,not-an-email,\n", "line 3"),
        ("name,email,address\nAmy,amy@example.com,\nBob,b@example.com\n", "line 3"),
        ('name,email,address\nAmy,amy@example.com,"5 Lane\nLeeds\n\nBob,b@x.com,\n', "line"),
        ("name,mail,address\nAmy,amy@example.com,\n", "line 1"),
        ("name,email,address\n", "line 2"),
        ('name,email,address\nA,a@example.com,\n"B"x,b@example.com,\n', "line 3"),
    ],
)
def test_malformed_recipients_file_is_refused_with_its_line_number(text, line):
    with pytest.raises(RecipientsError, match=line):
        parse_recipients_csv(text)


def test_personalised_letter_greets_the_person_and_carries_their_address():
    letter = draft_people_notice(odl_ransomware(), template(DraftKind.PEOPLE_LETTER))
    bob = parse_recipients_csv(CSV)[1]
    mine = personalise(letter, bob)
    assert "Dear Bob Jones," in mine.body_markdown
    assert "Dear patient" not in mine.body_markdown
    assert "Bob Jones  \n4 Mill Lane  \nLeeds LS1 1AA" in mine.body_markdown
    assert "Name and address of the person" not in mine.body_markdown
    assert mine.recipient == "Bob Jones"
    assert letter.body_markdown != mine.body_markdown


def test_personalised_email_is_addressed_to_the_person():
    notice = draft_people_notice(
        sunray_misdirected_email(), template(DraftKind.PEOPLE_EMAIL), channel="email"
    )
    mine = personalise(notice, Recipient("<b>Amy</b> [x](javascript:1)", "amy@example.com", None))
    assert "Dear &lt;b&gt;Amy&lt;/b&gt; \\[x\\](javascript:1)," in mine.body_markdown
    assert mine.recipient.endswith("<amy@example.com>")


# Exports


def test_eml_parses_back_with_the_subject_and_plain_text_body():
    notice = draft_people_notice(
        sunray_misdirected_email(), template(DraftKind.PEOPLE_EMAIL), channel="email"
    )
    raw = to_eml(
        notice, "support@sunrayvision.co.uk", "amy@example.com", sent_at=utc(2026, 6, 3, 9, 30)
    )
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "A problem with your personal information at Sunray Vision"
    assert message["To"] == "amy@example.com"
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert "Dear customer," in body
    assert "**" not in body
    assert "## " not in body
    assert message["Date"] == "Wed, 03 Jun 2026 09:30:00 +0000"


def test_plain_text_has_no_markdown_left():
    text = to_text(draft_ico_report(odl_ransomware(), template(DraftKind.ICO)))
    assert "##" not in text
    assert "\\" not in text
    assert "&amp;" not in text
    assert text.startswith("Personal data breach report from ODL (our reference ODL-2026-004)\n")


def test_contexts_refuse_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        replace(odl_ransomware(), reported_at=datetime(2026, 3, 11, 14, 0))  # noqa: DTZ001


# Golden files: the drafts a DPO reviewed, compared exactly


@pytest.mark.parametrize("name", sorted(GOLDEN_DRAFTS))
def test_draft_matches_its_reviewed_golden_file(name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert to_markdown(GOLDEN_DRAFTS[name]()) == expected
