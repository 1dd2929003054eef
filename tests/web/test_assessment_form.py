"""The DPO's assessment form: pre-fill, preview, recorded decisions, reassessment, access."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.desk import get_profile
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Assessment
from breachdesk.models import Incident
from breachdesk.models import IncidentAssignment
from breachdesk.models import IncidentFacts
from breachdesk.models import IncidentStatus
from breachdesk.models import User
from breachdesk.services.facts import change_facts
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
PAGE = f"/incidents/{REF}/assessment"

#: The lab-server ransomware facts as the form posts them; the recommendation for them is
#: tell the ICO (the practices' own data), not each person, and tell the practices.
FACTS = {
    "breach_types": ["confidentiality", "availability"],
    "cause": "malicious",
    "data_categories": ["basic_identity", "health"],
    "subjects_count": "6000",
    "vulnerable_subjects": "y",
    "identifiability": "direct",
    "protection": "none",
    "exfiltration": "unknown",
    "recipient": "unknown",
    "backup_available": "unknown",
    "outage_hours": "",
    "permanent_loss": "unknown",
    "people_affected": "unknown",
    "acting_as": "controller",
}
RECOMMENDED = {"notify_ico": "yes", "notify_people": "no", "notify_controller": "yes"}
#: A parcel opened by the wrong practice, who returned it: unlikely to harm anyone.
HARMLESS = {
    "breach_types": ["confidentiality"],
    "cause": "accidental",
    "data_categories": ["basic_identity"],
    "subjects_count": "1",
    "vulnerable_subjects": None,
    "recipient": "trusted",
    "data_recovered": "y",
}


@pytest.fixture
def dpo(app, login_as):
    """The DPO, signed in, with Sam's lab-server ransomware report filed."""
    sam = login_as("sam", Role.STAFF)
    assert report(sam).status_code == 200
    return login_as("dana", Role.DPO)


def post_form(browser, action: str, url: str = PAGE, **changes):
    data = {**FACTS, **RECOMMENDED, "action": action, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return browser.post(url, data, form_url=PAGE)


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def status(app) -> IncidentStatus:
    with app.app_context():
        return db.session.scalar(select(Incident.status).where(Incident.reference == REF))


def checked(page: str, name: str, value: str = "y") -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', page)
    return tag is not None and " checked" in tag.group(0)


def test_the_form_is_prefilled_from_the_report_and_the_profile_with_both_duties(dpo):
    page = dpo.get(PAGE).get_data(as_text=True)

    assert checked(page, "data_categories", "health")
    # Not answered for the profile: asked per incident, with the profile's hint beside it.
    assert not checked(page, "vulnerable_subjects")
    assert "Orthodontic patients are often children" in page
    assert checked(page, "breach_types", "availability")  # "will not open"
    assert checked(page, "acting_as", "controller")
    assert 'value="6000"' in page
    assert "Two duties" in page
    assert "Our own data (as controller)" in page
    assert "Data we hold for others (as processor)" in page
    assert "The dental practices that sent the prescriptions" in page
    assert "UK GDPR Art. 33(2)" in page  # each reason cites its provision
    assert "ENISA severity" in page
    assert checked(page, "notify_ico", "yes")
    assert checked(page, "notify_controller", "yes")
    assert "Who could now see the data?" in page


def test_preview_follows_the_facts_and_saves_nothing(app, dpo):
    before = dpo.get(PAGE).get_data(as_text=True)
    assert "A high risk to the people" in before

    response = post_form(dpo, "preview", **HARMLESS)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Unlikely to result in a risk to the people" in page
    assert "A high risk to the people" not in page
    assert "differs from the recommendation on telling the ICO" in page
    assert rows(app, Assessment) == 0
    assert rows(app, IncidentFacts) == 0
    assert status(app) is IncidentStatus.REPORTED


def test_the_live_preview_answers_with_the_recommendation_as_json(app, dpo):
    response = post_form(dpo, "preview", url=f"{PAGE}/preview", **HARMLESS)

    assert response.status_code == 200
    body = response.get_json()
    assert body["decision"]["notify_ico"] is False
    assert body["decision"]["risk"] == "unlikely"
    assert "Unlikely to result in a risk" in body["html"]
    assert "telling the ICO" in body["differs"]
    assert rows(app, Assessment) == 0


#: The hidden record of what the decision buttons were filled with when the page was drawn.
UNTOUCHED = {"prefilled_decision": "yes|no|yes"}


def test_updating_the_recommendation_moves_the_decision_buttons_left_alone(app, dpo):
    page = dpo.get(PAGE).get_data(as_text=True)
    assert 'name="prefilled_decision" type="hidden" value="yes|no|yes"' in page

    response = post_form(dpo, "preview", **HARMLESS, **UNTOUCHED)

    page = response.get_data(as_text=True)
    assert "Unlikely to result in a risk to the people" in page
    assert checked(page, "notify_ico", "no")
    assert checked(page, "notify_controller", "yes")  # the practices' data is still theirs
    assert "Your decision differs" not in page
    assert 'name="prefilled_decision" type="hidden" value="no|no|yes"' in page


def test_a_decision_the_dpo_chose_stays_when_the_recommendation_moves(app, dpo):
    chosen = {**UNTOUCHED, "notify_people": "yes"}  # changed from the pre-filled "no"

    page = post_form(dpo, "preview", **HARMLESS, **chosen).get_data(as_text=True)

    assert checked(page, "notify_people", "yes")
    assert checked(page, "notify_ico", "yes")
    assert "differs from the recommendation on telling the ICO" in page


def test_the_live_preview_says_which_buttons_follow_the_new_recommendation(app, dpo):
    url = f"{PAGE}/preview"
    body = post_form(dpo, "preview", url=url, **HARMLESS, **UNTOUCHED).get_json()

    assert body["follow"] == {"notify_ico": "no", "notify_people": "no", "notify_controller": "yes"}
    assert body["prefilled_decision"] == "no|no|yes"
    assert body["differs"] == ""
    touched = post_form(dpo, "preview", url=url, **HARMLESS, **{**UNTOUCHED, "notify_ico": "no"})
    assert touched.get_json()["follow"] is None


def test_recording_on_new_facts_shows_the_new_advice_first_then_records_it(app, dpo):
    response = post_form(dpo, "decide", **HARMLESS, **UNTOUCHED)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The recommendation changed with the facts you gave" in page
    assert checked(page, "notify_ico", "no")
    assert rows(app, Assessment) == 0

    again = post_form(
        dpo,
        "decide",
        **HARMLESS,
        notify_ico="no",
        notify_people="no",
        notify_controller="yes",
        prefilled_decision="no|no|yes",
    )

    assert again.status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(Assessment))
        assert decision.notify_ico is False
        assert decision.differs_from_recommendation is False


def test_the_live_preview_names_a_bad_field(dpo):
    response = post_form(dpo, "preview", url=f"{PAGE}/preview", subjects_count="lots")
    assert response.status_code == 400
    assert "subjects_count" in response.get_json()["errors"]


def test_a_different_decision_without_a_reason_is_refused_and_nothing_saved(app, dpo):
    response = post_form(dpo, "decide", notify_ico="no", override_reason="  ")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "differs from the recommendation on telling the ICO" in page
    assert re.search(r'class="error" id="override_reason-error"', page)
    assert "Nothing has been saved" in page
    assert rows(app, Assessment) == 0
    assert rows(app, IncidentFacts) == 0
    assert status(app) is IncidentStatus.REPORTED


def test_a_different_decision_with_a_reason_is_kept_and_the_incident_is_not_notifiable(app, dpo):
    reason = "Reliant restored the nightly backup; logs show nothing left the server."

    response = post_form(dpo, "decide", notify_ico="no", override_reason=reason, notes="N-1")

    assert response.status_code == 302
    assert status(app) is IncidentStatus.NOT_NOTIFIABLE
    with app.app_context():
        saved = db.session.scalar(select(Assessment))
        assert saved.differs_from_recommendation
        assert saved.override_reason == reason
        assert saved.notes == "N-1"
    page = dpo.get(PAGE).get_data(as_text=True)
    assert reason in page
    assert "Why the ICO is not told" in page  # the reasons kept with the decision


def test_the_recommended_decision_makes_the_incident_assessed(app, dpo):
    response = post_form(dpo, "decide")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/incidents/{REF}")
    assert status(app) is IncidentStatus.ASSESSED
    detail = dpo.get(f"/incidents/{REF}").get_data(as_text=True)
    assert "Decision in force" in detail
    assert "Decision recorded: tell the ICO: yes" in detail  # the audit trail


def test_every_decision_is_kept_and_the_latest_is_in_force(app, dpo):
    post_form(dpo, "decide")
    post_form(dpo, "decide", notify_ico="no", override_reason="Second look: no risk.")

    page = dpo.get(PAGE).get_data(as_text=True)

    assert rows(app, Assessment) == 2
    table = page.split("Decisions recorded", 1)[1]
    assert table.count("<tr>") == 3  # the header and both decisions
    assert table.count("In force") == 1
    assert table.index("Second look: no risk.") < table.index("Tell the ICO: yes")
    assert status(app) is IncidentStatus.NOT_NOTIFIABLE


def test_a_new_fact_after_the_decision_asks_to_confirm_or_revise(app, dpo):
    post_form(dpo, "decide")
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        dana = db.session.scalar(select(User).where(User.username == "dana"))
        change_facts(incident, get_profile(), {"misuse_observed": True}, dana, source="finding 1")
        db.session.commit()

    detail = dpo.get(f"/incidents/{REF}").get_data(as_text=True)
    page = dpo.get(PAGE).get_data(as_text=True)

    assert "New facts since the decision: confirm or revise" in detail
    assert "Recommendation on the new facts" in detail
    assert "New facts since the decision: confirm or revise" in page
    assert checked(page, "misuse_observed")
    post_form(dpo, "decide", misuse_observed="y", notify_people="yes")
    assert "confirm or revise" not in dpo.get(f"/incidents/{REF}").get_data(as_text=True)


def test_saving_the_facts_only_keeps_them_without_a_decision(app, dpo):
    response = post_form(dpo, "save_facts", subjects_count="120")

    assert response.status_code == 302
    assert rows(app, Assessment) == 0
    with app.app_context():
        assert db.session.scalar(select(IncidentFacts)).facts["subjects_count"] == 120
    assert 'value="120"' in dpo.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subjects_count": "lots"}, "Enter a number, like 40"),
        ({"subjects_count": ""}, "Give a rough number of people"),
        ({"breach_types": None}, "Tick at least one kind of loss"),
        ({"recipient": "the moon"}, "Choose one of the answers"),
        ({"outage_hours": "-2"}, "Enter a number of hours, 0 or more"),
        ({"notify_people": None}, "Choose one of the answers"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_saves_nothing(app, dpo, changes, message):
    response = post_form(dpo, "decide", **changes)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert rows(app, Assessment) == 0
    assert rows(app, IncidentFacts) == 0


def test_a_form_without_its_csrf_token_is_refused(app, dpo):
    response = dpo.client.post(PAGE, data={**FACTS, **RECOMMENDED, "action": "decide"})
    assert response.status_code == 400
    assert rows(app, Assessment) == 0


def test_staff_and_it_cannot_reach_the_assessment(app, dpo, login_as):
    sam = dpo.__class__(app)
    sam.login("sam")  # the reporter, who may see the incident itself
    it = login_as("reliant", Role.IT)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "reliant"))
        db.session.add(IncidentAssignment(incident_id=1, user_id=user.id))
        db.session.commit()

    for user in (sam, it):
        assert user.get(f"/incidents/{REF}").status_code == 200
        assert user.get(PAGE).status_code == 403
        assert user.client.post(f"{PAGE}/preview", data=FACTS).status_code in (400, 403)
        assert "Notifiable?" not in user.get(f"/incidents/{REF}").get_data(as_text=True)
    assert dpo.get("/incidents/BD-2026-0999/assessment").status_code == 404
    assert rows(app, Assessment) == 0


def test_a_recorded_no_to_telling_the_people_is_shown_as_decided_not_as_undecided(app, dpo):
    dashboard = dpo.get("/incidents/").get_data(as_text=True)
    assert "Not decided" in dashboard

    assert post_form(dpo, "decide").status_code == 302  # the ICO yes, the people no

    dashboard = dpo.get("/incidents/").get_data(as_text=True)
    assert "Not decided" not in dashboard
    assert "Not to be told" in dashboard
    incident = dpo.get(f"/incidents/{REF}").get_data(as_text=True)
    assert "Decided: the people affected are not to be told" in incident
    assert "No decision yet that the people affected must be told" not in incident


#: Patients' photos emailed to the wrong practice, which deleted them: the worst data, but
#: in safe hands. ENISA scores the data very high; the risk is unlikely.
SAFE_HANDS = {
    "breach_types": ["confidentiality"],
    "cause": "accidental",
    "data_categories": ["health"],
    "subjects_count": "1",
    "vulnerable_subjects": None,
    "recipient": "trusted",
    "data_recovered": "y",
}
SEVERITY_NOTE = re.compile(
    r"<dt>ENISA severity</dt><dd>([\d.]+) \(very high\)<br><span class=\"hint\">([^<]*)</span>"
)


def test_a_very_high_enisa_score_beside_an_unlikely_risk_says_why_on_both_panels(app, dpo):
    preview = post_form(dpo, "preview", **SAFE_HANDS).get_data(as_text=True)
    assert post_form(dpo, "save_facts", **SAFE_HANDS).status_code == 302
    incident_page = dpo.get(f"/incidents/{REF}").get_data(as_text=True)

    for page in (preview, incident_page):
        assert "<dd>Unlikely to result in a risk to the people</dd>" in page
        score, why = SEVERITY_NOTE.search(page).groups()
        assert float(score) >= 4
        # The engine's own reason, beside the score: what the ENISA score weighs, and what
        # lowers the risk in this breach.
        assert why == (
            "ENISA rates the severity very high from the kind of data and the circumstances "
            "of the breach; the likely risk to the people is still low, because the only "
            "recipient owes a duty of confidence and returned or deleted it."
        )


def test_an_enisa_band_that_agrees_with_the_risk_needs_no_note(dpo):
    page = dpo.get(PAGE).get_data(as_text=True)
    assert "A high risk to the people" in page
    assert "ENISA rates the severity" not in page
