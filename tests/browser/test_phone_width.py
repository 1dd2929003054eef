"""Every page the DPO, staff and IT reach fits a 390 px phone: nothing scrolls sideways."""

from __future__ import annotations

from urllib.parse import urldefrag
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from breachdesk.extensions import db
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import notices
from breachdesk.services.drafts import editing as drafts
from breachdesk.services.reminders.sweep import dispatch_due
from breachdesk.timeutil import utcnow
from tests.browser.demo import LOGINS
from tests.browser.demo import demo_app

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
#: Links that download a file or change something rather than show a page.
NOT_PAGES = (
    ".md", ".csv", ".json", ".txt", ".eml", ".zip", "/evidence/", "/export.", "/exports/",
    "/api/openapi",
)  # fmt: skip
MOST_PAGES = 80


@pytest.fixture
def live_app(tmp_path):
    """The demo, with one ICO clock stopped, reminders queued and a draft made."""
    live_app = demo_app(tmp_path)
    with live_app.app_context():
        profile = live_app.extensions["breachdesk"].profile
        dpo = db.session.scalar(select(User).where(User.username == "dpo"))
        incidents = db.session.scalars(select(Incident).order_by(Incident.id)).all()
        notices.record_notice(
            incidents[1], "ico", utcnow(), "IC-123456-A1B2", "ICO online form", "", None, dpo
        )
        drafts.current_drafts(
            incidents[0], profile, "ico", dpo, instance_path=live_app.instance_path
        )
        dispatch_due(utcnow())
    return live_app


def crawl(desk, start: str) -> dict[str, int]:
    """Follow every link inside the site from ``start``; the width of each page reached."""
    page = desk.page
    widths: dict[str, int] = {}
    queue = [start]
    while queue and len(widths) < MOST_PAGES:
        path = queue.pop(0)
        if path in widths:
            continue
        page.goto(desk.base_url + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url, _fragment = urldefrag(href)
            parts = urlsplit(url)
            if parts.netloc != urlsplit(desk.base_url).netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not any(marker in target for marker in NOT_PAGES) and target not in widths:
                queue.append(target)
    return widths


@pytest.mark.parametrize(
    ("username", "start", "at_least"),
    [("dpo", "/incidents/", 30), ("reliant", "/incidents/assigned", 5), ("sam", "/report/mine", 5)],
)
def test_no_page_is_wider_than_a_phone(desk, username, start, at_least):
    desk.sign_in(username, LOGINS[username])
    widths = crawl(desk, start)
    assert len(widths) >= at_least, sorted(widths)  # the crawl really went through the site
    too_wide = {path: width for path, width in widths.items() if width > PHONE_WIDTH}
    assert too_wide == {}
