"""Technical findings on the web: who may add and read them, evidence, and the DPO's decisions."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import AuditEvent
from breachdesk.models import EvidenceFile
from breachdesk.models import FactProposal
from breachdesk.models import Finding
from breachdesk.models import IncidentFacts
from breachdesk.models import ProposalState
from tests.web.test_access import assign
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
NEW = f"/incidents/{REF}/findings/new"
PAGE = f"/incidents/{REF}"
LOG = b"2026-11-20 03:12 outbound 4.2 GB to 185.220.101.4:443\n"
PDF = b"%PDF-1.7\n%%EOF\n"
EXE = b"MZ\x90\x00\x03" + b"\x00" * 80

GOOD = {
    "summary": "LockBit encrypted the Transactor share at 03:10.",
    "systems_affected": "Lab server (Transactor, Sage)",
    "exfiltration": "suspected",
    "encrypted": "yes",
    "key_safe": "no",
    "backups_state": "Solawinds copy from 02:00 is intact and offline.",
    "window_start": "2026-11-20T03:00",
    "window_end": "2026-11-20T03:30",
    "indicators": "185.220.101.4\nREADME-LOCKBIT.txt",
}


@pytest.fixture
def people(app, login_as):
    """Sam reports; Dana is the DPO; Ian is IT on the incident; Ivy is IT elsewhere."""
    sam = login_as("sam", Role.STAFF)
    report(sam)
    dana = login_as("dana", Role.DPO)
    ian = login_as("ian", Role.IT)
    ivy = login_as("ivy", Role.IT)
    assign(app, REF, "ian")
    return {"sam": sam, "dana": dana, "ian": ian, "ivy": ivy}


def add(browser, files=(), **changes):
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    if files:
        data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
    return browser.post(NEW, data, content_type="multipart/form-data")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def stored_files(app) -> list[Path]:
    folder = Path(app.config["EVIDENCE_DIR"])
    return sorted(folder.glob("*")) if folder.exists() else []


def nothing_saved(app) -> None:
    assert count(app, Finding) == 0
    assert count(app, EvidenceFile) == 0
    assert count(app, FactProposal) == 0
    assert stored_files(app) == []
    with app.app_context():
        kinds = db.session.scalars(
            select(AuditEvent.kind).where(AuditEvent.subject == "incident")
        ).all()
    assert "finding-added" not in kinds


def test_assigned_it_adds_a_finding_with_evidence_and_it_shows_on_the_incident(app, people):
    response = add(people["ian"], files=[("firewall.log", LOG), ("report.pdf", PDF)])

    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = people["dana"].get(PAGE).get_data(as_text=True)
    assert "LockBit encrypted the Transactor share" in page
    assert "firewall.log" in page
    assert "report.pdf" in page
    assert hashlib.sha256(LOG).hexdigest() in page
    with app.app_context():
        finding = db.session.scalar(select(Finding))
        assert finding.window_start.isoformat() == "2026-11-20T03:00:00+00:00"
        assert finding.encrypted is True
        assert finding.key_safe is False
        proposals = {p.field: p.value for p in finding.proposals}
    # Derived from the finding: copied out suspected; encrypted but the key is not safe.
    assert proposals == {"exfiltration": "suspected", "protection": "encrypted_key_compromised"}
    assert len(stored_files(app)) == 2


def test_explicit_proposals_are_checked_and_saved(app, people):
    response = add(
        people["ian"],
        propose_cause="malicious",
        propose_subjects_count="6,000",
        propose_backup_available="yes",
        propose_outage_hours="36",
    )
    assert response.status_code == 302
    with app.app_context():
        proposals = {p.field: p.value for p in db.session.scalars(select(FactProposal))}
    assert proposals["cause"] == "malicious"
    assert proposals["subjects_count"] == 6000
    assert proposals["availability.backup_available"] is True
    assert proposals["availability.outage_hours"] == 36


def test_a_file_over_the_limit_is_refused_and_nothing_is_saved(app, people):
    app.config["EVIDENCE_MAX_BYTES"] = 100
    response = add(people["ian"], files=[("small.log", LOG), ("big.log", b"x" * 101)])

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "big.log is larger than the 100 bytes limit" in page
    assert "Nothing has been saved" in page
    nothing_saved(app)


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_saved(app, people):
    disguised = [
        ("invoice.pdf", EXE),  # a program renamed .pdf
        ("invoice.pdf", b"<html><body>not a pdf</body></html>"),  # a web page named .pdf
        ("setup.exe", EXE),
    ]
    for name, content in disguised:
        response = add(people["ian"], files=[("firewall.log", LOG), (name, content)])
        assert response.status_code == 400, name
        assert name in response.get_data(as_text=True)
    nothing_saved(app)


def test_a_full_disk_answers_503_keeps_the_typing_and_saves_nothing(app, people, monkeypatch):
    real_write = os.write

    def full(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(app.config["EVIDENCE_DIR"]):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    response = add(people["ian"], files=[("firewall.log", LOG)])
    monkeypatch.undo()

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The files could not be kept because the disk is full on the server" in page
    assert "LockBit encrypted the Transactor share at 03:10." in page
    nothing_saved(app)


def test_path_tricks_in_a_file_name_are_stored_safely(app, people):
    response = add(people["ian"], files=[("../../../etc/passwd.log", LOG)])

    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(EvidenceFile))
        assert item.original_name == "passwd.log"
        assert "/" not in item.stored_name
        assert "passwd" not in item.stored_name
    [on_disk] = stored_files(app)
    assert on_disk.parent == Path(app.config["EVIDENCE_DIR"]).resolve()


def test_an_end_before_the_start_is_refused_beside_the_field(app, people):
    response = add(people["ian"], window_end="2026-11-20T02:00")
    assert response.status_code == 400
    assert "The end of the time range is before its start." in response.get_data(as_text=True)
    nothing_saved(app)


BAD_INPUT = [
    ({"summary": "  "}, "Say in a sentence or two what you found."),
    ({"propose_outage_hours": "lots"}, "Enter a number of hours"),
    ({"propose_subjects_count": "many"}, "Enter a number"),
    ({"exfiltration": "everything"}, "Not a valid choice"),
    ({"window_start": "tomorrow"}, "Not a valid datetime value"),
]


def test_bad_input_gets_a_message_and_saves_nothing(app, people):
    for changes, message in BAD_INPUT:
        response = add(people["ian"], files=[("firewall.log", LOG)], **changes)
        assert response.status_code == 400, changes
        assert message in response.get_data(as_text=True), changes
    nothing_saved(app)


def test_evidence_downloads_only_as_an_attachment_for_the_dpo_and_assigned_it(app, people):
    add(people["ian"], files=[("firewall.log", LOG)])
    with app.app_context():
        evidence_id = db.session.scalar(select(EvidenceFile.id))
    url = f"/incidents/{REF}/evidence/{evidence_id}"

    for who in ("dana", "ian"):
        response = people[who].get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "firewall.log" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert hashlib.sha256(response.data).hexdigest() == hashlib.sha256(LOG).hexdigest()
        response.close()
    assert people["ivy"].get(url).status_code == 404
    assert people["sam"].get(url).status_code == 404  # the reporter, but not DPO or IT


def test_unassigned_it_and_staff_cannot_add_or_see_findings(app, people):
    add(people["ian"])
    assert people["ivy"].get(NEW).status_code == 404
    assert people["sam"].get(NEW).status_code == 403
    assert "LockBit" in people["ian"].get(PAGE).get_data(as_text=True)
    assert "Technical findings" not in people["ivy"].get("/incidents/assigned").get_data(
        as_text=True
    )
    page = people["sam"].get(PAGE).get_data(as_text=True)
    assert "Technical findings" not in page
    assert "LockBit" not in page


def test_the_dpo_accepts_one_proposal_and_rejects_another_and_both_are_kept(app, people):
    add(people["ian"])
    with app.app_context():
        ids = {p.field: p.id for p in db.session.scalars(select(FactProposal))}
    dana = people["dana"]

    accepted = dana.post(
        f"/incidents/{REF}/proposals/{ids['protection']}",
        {f"p{ids['protection']}-accept": "Accept", f"p{ids['protection']}-note": "Key on server"},
        form_url=PAGE,
    )
    rejected = dana.post(
        f"/incidents/{REF}/proposals/{ids['exfiltration']}",
        {f"p{ids['exfiltration']}-reject": "Reject", f"p{ids['exfiltration']}-note": "No egress"},
        form_url=PAGE,
    )

    assert accepted.status_code == 302
    assert rejected.status_code == 302
    with app.app_context():
        by_field = {p.field: p for p in db.session.scalars(select(FactProposal))}
        assert by_field["protection"].state is ProposalState.ACCEPTED
        assert by_field["protection"].decision_note == "Key on server"
        assert by_field["protection"].decided_by.username == "dana"
        assert by_field["protection"].decided_at.isoformat() == "2026-11-20T12:00:00+00:00"
        assert by_field["exfiltration"].state is ProposalState.REJECTED
        facts = db.session.get(IncidentFacts, by_field["protection"].incident_id).facts
        assert facts["protection"] == "encrypted_key_compromised"
        assert facts["exfiltration"] == "unknown"  # rejected: unchanged
        kinds = db.session.scalars(
            select(AuditEvent.kind).where(AuditEvent.subject == "incident")
        ).all()
    assert {"proposal-accepted", "proposal-rejected", "facts-changed"} <= set(kinds)
    page = dana.get(PAGE).get_data(as_text=True)
    assert "Accepted" in page
    assert "Rejected" in page
    assert "No egress" in page


def test_it_cannot_accept_a_proposal(app, people):
    add(people["ian"])
    with app.app_context():
        proposal_id = db.session.scalar(select(FactProposal.id))
    ian = people["ian"]
    response = ian.post(
        f"/incidents/{REF}/proposals/{proposal_id}",
        {f"p{proposal_id}-accept": "Accept"},
        form_url=PAGE,
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(FactProposal, proposal_id).state is ProposalState.PROPOSED
        assert db.session.scalar(select(IncidentFacts)) is None


def test_a_proposal_cannot_be_decided_twice(app, people):
    add(people["ian"])
    with app.app_context():
        proposal_id = db.session.scalar(select(FactProposal.id))
    url = f"/incidents/{REF}/proposals/{proposal_id}"
    dana = people["dana"]
    assert dana.post(url, {f"p{proposal_id}-reject": "Reject"}, form_url=url).status_code == 302

    again = dana.post(url, {f"p{proposal_id}-accept": "Accept"}, form_url=PAGE)

    assert again.status_code == 409
    assert "already been decided" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(FactProposal, proposal_id).state is ProposalState.REJECTED


def test_a_decision_without_the_form_token_is_refused(app, people):
    add(people["ian"])
    with app.app_context():
        proposal_id = db.session.scalar(select(FactProposal.id))
    response = people["dana"].client.post(
        f"/incidents/{REF}/proposals/{proposal_id}", data={f"p{proposal_id}-accept": "Accept"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(FactProposal, proposal_id).state is ProposalState.PROPOSED


def test_markup_in_a_finding_is_shown_as_text(app, people):
    add(people["ian"], summary="<script>alert(1)</script> **bold**", indicators="<b>x</b>")
    page = people["dana"].get(PAGE).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<strong>bold</strong>" in page


def test_proposals_are_shown_in_plain_words_never_by_their_internal_names(app, people):
    add(people["ian"], propose_outage_hours="36", propose_cause="malicious")

    page = people["dana"].get(PAGE).get_data(as_text=True)
    proposals = page.split('class="list proposals"', 1)[1].split("</table>", 1)[0]
    for plain in (
        "Data copied out",
        "Suspected",
        "Our own encryption of the data",
        "Our own encryption, but the key may be in the wrong hands",
        "Hours without the data",
        "36 hours",
        "Deliberate: an attack, a theft or misuse",
    ):
        assert plain in proposals, plain
    for internal in ("availability.outage_hours", "encrypted_key_compromised", "exfiltration<"):
        assert internal not in proposals, internal


def test_the_encryption_questions_ask_about_our_protection_not_the_attackers(app, people):
    form = people["ian"].get(NEW).get_data(as_text=True)
    assert "Was the data encrypted?" not in form
    assert "Before the incident, was the data protected by our own encryption?" in form
    assert "Files an attacker has locked (ransomware) are not this" in form
    assert "is our key to it safe, out of the attacker&#39;s reach?" in form
