"""What the shipped playbooks tell people, read against the organisations' own documents."""

from __future__ import annotations

from pathlib import Path

from breachdesk.domain.vocabulary import Role
from breachdesk.services.checklists.library import load_playbooks
from tests.services.test_playbook_library import ASSETS

SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"
LIBRARY = load_playbooks(SHIPPED, ASSETS)


def words(text: str) -> str:
    """Markdown as one line, so a phrase is found wherever the file wraps it."""
    return " ".join(text.replace("- ", " ").split())


def step(playbook_id: str, step_id: str):
    return next(s for s in LIBRARY.get(playbook_id).steps if s.id == step_id)


def test_odl_parcels_travel_with_a_delivery_note_and_the_prescription_stays_behind():
    intro = words(LIBRARY.get("misdirected-parcel").intro_markdown)

    assert "delivery note naming the patient" in intro
    assert "prescription stays in ODL's office" in intro
    assert "travels with its prescription" not in intro


def test_the_courier_address_books_hold_what_odls_notes_list_and_nothing_more():
    intro = words(LIBRARY.get("courier-address-books").intro_markdown)

    assert "name, address, practice telephone number and practice email address" in intro
    assert "personal mobile" not in intro


def test_lab_server_ransomware_tells_staff_to_phone_reliant_and_the_dpo_at_once():
    phone = step("lab-server", "phone-reliant-and-dpo")

    assert phone.role is Role.STAFF
    assert phone.within.total_seconds() == 15 * 60
    assert "Reliant" in phone.body_markdown
    assert "DPO" in phone.body_markdown


def test_lab_server_lists_the_stored_email_and_changes_the_passwords_saved_on_desktops():
    playbook = LIBRARY.get("lab-server")
    passwords = step("lab-server", "change-saved-passwords")

    assert "email is stored on it" in playbook.intro_markdown
    assert "photos" in step("lab-server", "list-affected-data").body_markdown
    for account in ("Royal Mail", "DPD", "UPS", "Sanda", "United Technologies"):
        assert account in passwords.body_markdown
    assert step("lab-server", "call-transactor-supplier").role is Role.DPO


def test_backups_say_how_far_back_the_restore_points_go():
    restore_points = step("backups", "list-restore-points")

    assert "oldest" in restore_points.record
    assert "photos" in LIBRARY.get("backups").intro_markdown


def test_evastore_is_asked_for_its_box_list_and_destruction_schedule():
    ask = step("paper-records", "ask-evastore-box-list")

    assert "box" in ask.title
    assert "destruction schedule" in ask.title


def test_the_lost_slip_notice_talks_about_the_slip_not_about_tracking_a_parcel():
    trace = step("lost-recorded-delivery-slip", "trace-post")

    assert "slip" in trace.notice
    assert "tracked the parcel" not in trace.notice
