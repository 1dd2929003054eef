"""The drafts in the browser: DPO only, text shown as text, versions, sending, exports, merge."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import DraftDoc
from breachdesk.models import DraftMerge
from breachdesk.models import DraftVersion
from tests.support.demo_values import without_demo_values
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
INCIDENT = f"/incidents/{REF}"
HOSTILE = (
    "Ransom note <script>alert('x')</script> on the server. See [the note](http://evil.example) "
    "and **act now** {{ org_name }}"
)


@pytest.fixture
def dpo(app, login_as):
    """A DPO, with one reported incident whose description is full of markup."""
    staff = login_as("sam", Role.STAFF)
    report(staff, description=HOSTILE)
    return login_as("dana", Role.DPO)


def make(dpo, group: str):
    response = dpo.post(f"{INCIDENT}/drafts/make", {"group": group}, form_url=INCIDENT)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def test_only_the_dpo_sees_and_opens_drafts(app, dpo, login_as):
    url = make(dpo, "ico")
    assert "Drafted messages" in dpo.get(INCIDENT).get_data(as_text=True)
    it = login_as("reliant", Role.IT)
    staff = login_as("pat", Role.STAFF)
    for user in (it, staff):
        assert user.get(url).status_code in (403, 404)
        assert user.get(f"{url}/export.md").status_code in (403, 404)
    reporter = login_as("sam2", Role.STAFF)
    assert "Drafted messages" not in reporter.get(INCIDENT).get_data(as_text=True)


def test_markup_typed_into_a_report_is_shown_as_text_on_the_draft_page(app, dpo):
    page = dpo.get(make(dpo, "ico")).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert 'href="http://evil.example"' not in page
    assert "<strong>act now</strong>" not in page
    assert "{{ org_name }}" in page  # what was typed, shown as typed


def test_each_section_can_be_copied_on_its_own_without_inline_script(app, dpo):
    response = dpo.get(make(dpo, "ico"))
    page = response.get_data(as_text=True)
    assert page.count("<textarea") >= 10
    assert 'class="copy-button"' in page
    assert "js/copy.js" in page
    assert "<script>" not in page.replace("<script src", "")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_an_edit_makes_a_new_version_and_a_placeholder_is_refused(app, dpo):
    url = make(dpo, "staff")
    response = dpo.post(f"{url}/edit", {"subject": "S", "body": "Hi {{ name }}"}, form_url=url)
    assert response.status_code == 400
    assert "Replace or remove every" in response.get_data(as_text=True)
    ok = dpo.post(f"{url}/edit", {"subject": "Staff note", "body": "All fine."}, form_url=url)
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftVersion)) == 2


def test_a_sent_draft_is_kept_and_an_edit_after_sending_is_a_new_version(app, dpo):
    url = make(dpo, "staff")
    assert dpo.post(f"{url}/approve", {}, form_url=url).status_code == 302
    sent = dpo.post(
        f"{url}/sent",
        {"sent_at": "2026-11-20T11:30", "channel": "email", "sent_to": "all staff"},
        form_url=url,
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:3000]
    with app.app_context():
        before = db.session.scalar(select(DraftVersion))
        kept = (before.subject, before.body_markdown, before.sent_at)
    page = dpo.get(url).get_data(as_text=True)
    assert "kept exactly as it went" in page
    edit = dpo.post(f"{url}/edit", {"subject": "New", "body": "Changed."}, form_url=url)
    assert edit.status_code == 302
    with app.app_context():
        first, second = db.session.scalars(select(DraftVersion).order_by(DraftVersion.number))
        assert (first.subject, first.body_markdown, first.sent_at) == kept
        assert second.sent_at is None


def test_marking_sent_needs_when_how_and_whom_and_writes_nothing_otherwise(app, dpo):
    url = make(dpo, "staff")
    dpo.post(f"{url}/approve", {}, form_url=url)
    response = dpo.post(f"{url}/sent", {"sent_at": "2026-11-20T11:30"}, form_url=url)
    assert response.status_code == 400
    assert "Say how it was sent." in response.get_data(as_text=True)
    future = dpo.post(
        f"{url}/sent",
        {"sent_at": "2026-11-21T11:30", "channel": "email", "sent_to": "staff"},
        form_url=url,
    )
    assert future.status_code == 400
    assert "cannot be in the future" in future.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(DraftVersion.sent_at)) is None


def test_exports_and_the_print_view(app, dpo):
    url = make(dpo, "people")
    md = dpo.get(f"{url}/export.md")
    assert md.status_code == 200
    assert md.headers["Content-Disposition"].endswith('.md"')
    assert md.get_data(as_text=True).startswith("# Important: a problem")
    txt = dpo.get(f"{url}/export.txt").get_data(as_text=True)
    assert "and **act now** {{ org_name }}" in txt  # typed text, with no escapes left
    assert "## " not in txt
    eml = dpo.get(f"{url}/export.eml")
    assert eml.mimetype == "message/rfc822"
    assert b"Subject: Important: a problem" in eml.get_data()
    printed = dpo.get(f"{url}/print").get_data(as_text=True)
    assert "css/print.css" in printed
    assert "Sign out" not in printed  # no app chrome on a letter
    assert "DEMO address" in printed  # the letterhead from the profile
    assert dpo.get(f"{url}/export.pdf").status_code == 404


def test_a_malformed_recipients_file_is_refused_with_its_line_and_nothing_is_made(app, dpo):
    url = make(dpo, "people")
    bad = b"name,email,address\nAnn,ann@example.com,\nBob,bob@,\n"
    response = dpo.post(
        f"{url}/merge",
        {"recipients": (io.BytesIO(bad), "people.csv")},
        form_url=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "line 3" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftMerge)) == 0


def test_a_mail_merge_gives_email_files_and_a_printable_letter_run(app, dpo):
    url = make(dpo, "people")
    rows = b"name,email,address\nAnn Smith,ann@example.com,1 High St\nBob Jones,,2 Low Rd\n"
    response = dpo.post(
        f"{url}/merge",
        {"recipients": (io.BytesIO(rows), "people.csv")},
        form_url=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = dpo.get(url).get_data(as_text=True)
    zip_url, letters_url = re.findall(r'href="([^"]+/merges/\d+/[^"]+)"', page)
    archive = zipfile.ZipFile(io.BytesIO(dpo.get(zip_url).get_data()))
    assert len(archive.namelist()) == 1  # Bob has no email address: his copy goes by post
    letters = dpo.get(letters_url).get_data(as_text=True)
    assert letters.count('class="letter"') == 2
    assert "Dear Bob Jones," in letters


def test_a_form_without_its_csrf_token_is_refused(app, dpo):
    url = make(dpo, "staff")
    response = dpo.client.post(f"{url}/approve", data={})
    assert response.status_code == 400
    with app.app_context():
        doc = db.session.scalar(select(DraftDoc))
        assert doc.current.approved_at is None


def approve_ico_report(app, dpo, url: str):
    """Approve an ICO report drafted from the demo: its DEMO values replaced, sent in phases."""
    with app.app_context():
        version = db.session.scalar(select(DraftDoc)).current
        subject, body = version.subject, version.body_markdown
    own = without_demo_values(body)
    dpo.post(f"{url}/edit", {"subject": subject, "body": own}, form_url=url)
    return dpo.post(f"{url}/approve", {"phased": "y"}, form_url=url)


def test_an_ico_report_is_approved_only_without_demo_values_and_as_a_phased_report(app, dpo):
    url = make(dpo, "ico")
    demo = dpo.post(f"{url}/approve", {}, form_url=url)
    assert demo.status_code == 409
    assert "example values" in demo.get_data(as_text=True)
    with app.app_context():
        version = db.session.scalar(select(DraftDoc)).current
        subject, body = version.subject, version.body_markdown
    own = without_demo_values(body)
    assert (
        dpo.post(f"{url}/edit", {"subject": subject, "body": own}, form_url=url).status_code == 302
    )
    page = dpo.get(url).get_data(as_text=True)
    assert "Report in phases" in page
    refused = dpo.post(f"{url}/approve", {}, form_url=url)
    assert refused.status_code == 409
    assert "Confirm that you mean to report in phases" in refused.get_data(as_text=True)
    assert dpo.post(f"{url}/approve", {"phased": "y"}, form_url=url).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(DraftDoc)).current.approved_at is not None


def test_the_dpo_puts_what_happened_in_plain_words_for_the_people(app, dpo):
    plain = "Someone may have seen your details on our server. We have locked it down."
    saved = dpo.post(
        f"{INCIDENT}/drafts/people-summary", {"people_summary": plain}, form_url=INCIDENT
    )
    assert saved.status_code == 302
    assert plain in dpo.get(INCIDENT).get_data(as_text=True)
    letter = dpo.get(make(dpo, "people")).get_data(as_text=True)
    assert plain in letter
    empty = dpo.post(
        f"{INCIDENT}/drafts/people-summary", {"people_summary": " "}, form_url=INCIDENT
    )
    assert empty.status_code == 400


def section_boxes(page: str) -> dict[str, tuple[str, str]]:
    """{title: (field name, text)} of the section editor on a draft page."""
    found = re.findall(
        r'<label for="section-edit-\d+">([^<]+)</label>.*?'
        r'<textarea id="section-edit-\d+" name="(sections-\d+)"[^>]*>(.*?)</textarea>',
        page,
        re.S,
    )
    return {html.unescape(t): (name, html.unescape(text)) for t, name, text in found}


def sections_post(page: str, **changes) -> dict:
    """The section editor's form as the browser sends it, with some sections' words changed."""
    data = {name: text for name, text in section_boxes(page).values()}
    boxes = section_boxes(page)
    for title, text in changes.items():
        data[boxes[title][0]] = text
    data["subject"] = html.unescape(re.search(r'name="subject"[^>]*value="([^"]*)"', page)[1])
    data["based_on"] = re.search(r'name="based_on" type="hidden" value="(\d+)"', page)[1]
    return data


def send_section(dpo, url: str, title: str, words: str, action: str):
    """Type ``words`` into the section called ``title`` on a fresh page, then press ``action``."""
    page = dpo.get(url).get_data(as_text=True)
    data = {**sections_post(page, **{title: words}), "action": action}
    return dpo.post(f"{url}/sections", data, form_url=url)


def test_each_section_is_edited_in_its_own_plain_text_box(app, dpo):
    page = dpo.get(make(dpo, "ico")).get_data(as_text=True)

    boxes = section_boxes(page)

    assert "What has happened" in boxes
    assert "Your organisation" in boxes
    assert "Ransom note" in boxes["What has happened"][1]
    assert "\\" not in "".join(text for _, text in boxes.values())  # no Markdown escapes to edit
    assert page.count('class="copy-button"') >= 10  # the copy boxes stay


def test_saving_one_section_makes_a_version_that_changes_that_section_only(app, dpo):
    url = make(dpo, "ico")
    words = "A ransom note appeared on the lab server at 08:40; Transactor would not open."

    saved = send_section(dpo, url, "What has happened", words, "save")

    assert saved.status_code == 302
    with app.app_context():
        first, second = db.session.scalars(select(DraftVersion).order_by(DraftVersion.number))
        before, after = first.body_markdown, second.body_markdown
    assert "A ransom note appeared on the lab server at 08:40; Transactor would not open." in after
    assert "Ransom note &lt;script&gt;" not in after.split("## What has happened")[1][:300]
    for section in before.split("\n## ")[1:]:
        if not section.startswith("What has happened"):
            assert section in after  # every other section kept byte for byte


def test_a_preview_shows_the_new_words_and_saves_nothing(app, dpo):
    url = make(dpo, "ico")
    typed = "Someone **typed** [a link](http://evil.example) here."

    response = send_section(dpo, url, "What has happened", typed, "preview")

    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    preview = shown.split('id="preview"', 1)[1].split("</div>", 1)[0]
    assert "Someone **typed** [a link](http://evil.example) here." in preview
    assert 'href="http://evil.example"' not in shown
    assert typed in section_boxes(shown)["What has happened"][1]  # the words are kept to save
    assert count_versions(app) == 1


def test_an_edit_made_on_an_older_version_is_refused_and_the_words_are_kept(app, dpo):
    url = make(dpo, "staff")
    page = dpo.get(url).get_data(as_text=True)
    first_title = next(iter(section_boxes(page)))
    dpo.post(f"{url}/edit", {"subject": "Staff note", "body": "All fine."}, form_url=url)

    stale = dpo.post(
        f"{url}/sections",
        {**sections_post(page, **{first_title: "My careful words."}), "action": "save"},
        form_url=url,
    )

    assert stale.status_code == 409
    shown = stale.get_data(as_text=True)
    assert "This draft changed since you opened it (it is now version 2)" in shown
    assert "My careful words." in shown
    assert count_versions(app) == 2


def test_the_summary_on_top_says_what_to_do_next_and_by_when(app, dpo):
    url = make(dpo, "ico")
    summary = dpo.get(url).get_data(as_text=True).split('id="summary"', 1)[1].split("</section>")[0]
    assert 'then <a href="#approve">approve it</a>' in summary
    words = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
    assert "ICO deadline Mon 23 Nov 2026, 11:40 GMT : 71 hours 40 minutes left" in words

    assert approve_ico_report(app, dpo, url).status_code == 302

    page = dpo.get(url).get_data(as_text=True)
    summary = page.split('id="summary"', 1)[1].split("</section>")[0]
    assert "copy each section into the ICO's online form" in summary
    assert '<a href="#mark-sent">mark it as sent</a>' in summary
    assert '<details class="panel" id="copy" open>' in page  # ready to paste


def count_versions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DraftVersion))
