"""The playbooks directory: the shipped files, and the problems a broken copy reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from breachdesk.domain.playbooks import PHASES
from breachdesk.domain.playbooks import first_steps
from breachdesk.domain.playbooks import phase_rank
from breachdesk.domain.vocabulary import NOT_SURE_ASSET
from breachdesk.domain.vocabulary import Role
from breachdesk.services.checklists.library import PlaybookLibraryError
from breachdesk.services.checklists.library import check_playbooks
from breachdesk.services.checklists.library import load_playbooks

SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"

#: The agreed asset ids of both organisations, and the playbook each one runs.
PLAYBOOK_OF_ASSET = {
    "lab-server": "lab-server",
    "backups": "backups",
    "website": "website-host",
    "email": "email",
    "courier-address-books": "courier-address-books",
    "paper-records": "paper-records",
    "parcels": "misdirected-parcel",
    "office-pcs": "office-pcs",
    "web-host": "website-host",
    "mailbox": "email",
    "worldpay": "worldpay-alert",
    "filing-cabinet": "lost-order-letter",
    "recorded-delivery-slips": "lost-recorded-delivery-slip",
    "post": "misdirected-parcel",
    "technicians": "lost-order-letter",
    "natwest": "lost-order-letter",
    NOT_SURE_ASSET: "general",
}
ASSETS = set(PLAYBOOK_OF_ASSET)
#: Playbooks that can involve patients' data ODL holds for dental practices.
ODL_PATIENT_PLAYBOOKS = {
    "lab-server",
    "backups",
    "website-host",
    "email",
    "paper-records",
    "misdirected-parcel",
    "general",
}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped playbooks to break."""
    return Path(shutil.copytree(SHIPPED, tmp_path / "playbooks"))


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file; return the line number where it was."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def test_the_shipped_playbooks_have_no_problems():
    assert check_playbooks(SHIPPED, ASSETS) == []


def test_every_asset_of_both_organisations_has_its_agreed_playbook():
    library = load_playbooks(SHIPPED, ASSETS)

    assert {asset: library.for_asset(asset).id for asset in ASSETS} == PLAYBOOK_OF_ASSET
    assert len(library) == 12


def test_every_shipped_playbook_starts_with_a_staff_step_and_has_six_to_eighteen_steps():
    # The lab server's playbook is the longest: the server holds Transactor, Sage and the
    # stored email, so ransomware there needs the most hands (staff, Reliant, the DPO).
    for playbook in load_playbooks(SHIPPED, ASSETS):
        assert playbook.steps[0].role is Role.STAFF, playbook.id
        assert first_steps(playbook), playbook.id
        assert 6 <= len(playbook.steps) <= 18, playbook.id


def test_every_shipped_playbook_follows_the_phases_in_order_and_covers_them_all():
    for playbook in load_playbooks(SHIPPED, ASSETS):
        ranks = [phase_rank(step.phase) for step in playbook.steps]
        assert ranks == sorted(ranks), playbook.id
        assert {step.phase for step in playbook.steps} == set(PHASES), playbook.id


def test_every_shipped_playbook_records_the_decision_and_reports_to_the_ico():
    for playbook in load_playbooks(SHIPPED, ASSETS):
        ids = {step.id for step in playbook.steps}
        assert {"record-assessment", "notify-ico", "tell-people", "review-lessons"} <= ids
        notify_ico = next(step for step in playbook.steps if step.id == "notify-ico")
        assert notify_ico.within is not None
        assert notify_ico.within.total_seconds() == 72 * 3600


def test_odl_playbooks_with_patients_data_tell_the_practices_as_controllers():
    library = load_playbooks(SHIPPED, ASSETS)

    for playbook_id in ODL_PATIENT_PLAYBOOKS:
        step = next(s for s in library.get(playbook_id).steps if s.id == "tell-practices")
        assert "Art. 33(2)" in step.body_markdown


def test_a_breach_on_several_assets_gives_one_checklist_with_shared_steps_once():
    library = load_playbooks(SHIPPED, ASSETS)

    checklist = library.checklist(["lab-server", "backups", "lab-server"])
    ids = [step.id for step in checklist]

    assert len(ids) == len(set(ids))
    assert ids.count("notify-ico") == 1
    assert {"unplug-network", "report-backup-alert", "run-fresh-backup"} <= set(ids)
    assert [playbook.id for playbook in library.for_assets(["mailbox", "email"])] == ["email"]


def test_a_broken_copy_reports_the_file_and_line(copy: Path):
    line = edit(copy / "email.md", "- Who: dpo", "- Who: manager")

    with pytest.raises(PlaybookLibraryError) as raised:
        load_playbooks(copy, ASSETS)

    assert str(raised.value) == (
        f"playbooks/email.md:{line}: unknown role 'manager' (use staff, dpo or it)"
    )


def test_every_problem_in_every_file_is_listed_one_per_line(copy: Path):
    role_line = edit(copy / "email.md", "- Who: dpo", "- Who: manager")
    within_line = edit(copy / "backups.md", "- Within: 4 hours", "- Within: soon")

    with pytest.raises(PlaybookLibraryError) as raised:
        load_playbooks(copy, ASSETS)

    lines = str(raised.value).splitlines()
    assert len(lines) == 2 == len(raised.value.problems)
    assert lines[0].startswith(f"playbooks/backups.md:{within_line}: bad 'Within' value 'soon'")
    assert lines[1].startswith(f"playbooks/email.md:{role_line}: unknown role 'manager'")


def test_an_asset_no_profile_has_is_reported_at_the_assets_line(copy: Path):
    line = edit(copy / "backups.md", "assets: backups", "assets: backups, tape-drive")

    assert [str(p) for p in check_playbooks(copy, ASSETS)] == [
        f"playbooks/backups.md:{line}: asset 'tape-drive' is in no organisation profile"
    ]


def test_an_asset_claimed_by_two_playbooks_is_reported(copy: Path):
    line = edit(copy / "lab-server.md", "assets: lab-server", "assets: lab-server, backups")

    assert [str(p) for p in check_playbooks(copy, ASSETS)] == [
        f"playbooks/lab-server.md:{line}: asset 'backups' already has playbook 'backups'"
    ]


def test_the_same_playbook_id_in_two_files_is_reported(copy: Path):
    text = (copy / "general.md").read_text(encoding="utf-8")
    (copy / "general-copy.md").write_text(text.replace("not-sure", "spare"), encoding="utf-8")

    problems = [str(p) for p in check_playbooks(copy, ASSETS | {"spare"})]

    duplicate = "playbooks/general.md:2: playbook id 'general' is also in playbooks/general-copy.md"
    misnamed = "playbooks/general-copy.md:2: id 'general' differs from the file name: rename it"
    assert problems == [f"{misnamed} general.md", duplicate]


def test_a_shared_step_with_a_different_role_in_another_file_is_reported(copy: Path):
    path = copy / "general.md"
    text = path.read_text(encoding="utf-8")
    heading = text.index("### notify-ico")
    who = text.index("- Who: dpo", heading)
    path.write_text(text[:who] + "- Who: it" + text[who + len("- Who: dpo") :], encoding="utf-8")

    assert [str(p) for p in check_playbooks(copy, ASSETS)] == [
        f"playbooks/general.md:{text.count(chr(10), 0, heading) + 1}: step 'notify-ico' is for"
        " it, but for dpo in playbooks/backups.md"
    ]


def test_a_shared_step_for_a_processor_that_forgets_so_in_another_file_is_reported(copy: Path):
    path = copy / "general.md"
    text = path.read_text(encoding="utf-8")
    heading = text.index("### tell-practices")
    path.write_text(text.replace("- As: processor\n", "", 1), encoding="utf-8")

    assert [str(p) for p in check_playbooks(copy, ASSETS)] == [
        f"playbooks/general.md:{text.count(chr(10), 0, heading) + 1}: step 'tell-practices' has"
        " a different 'As' line in playbooks/backups.md"
    ]


def test_a_file_that_is_not_text_is_reported_at_line_one(copy: Path):
    (copy / "email.md").write_bytes(b"\xff\xfe\x00 not utf-8")

    problems = [str(p) for p in check_playbooks(copy, ASSETS - {"email", "mailbox"})]

    assert len(problems) == 1
    assert problems[0].startswith("playbooks/email.md:1: cannot be read as UTF-8 text")


def test_an_empty_directory_is_a_problem_and_the_readme_is_not_a_playbook(tmp_path: Path):
    (tmp_path / "playbooks").mkdir()
    shutil.copy(SHIPPED / "README.md", tmp_path / "playbooks" / "README.md")

    assert [str(p) for p in check_playbooks(tmp_path / "playbooks", ASSETS)] == [
        "playbooks: no playbook files (*.md) in this directory"
    ]
