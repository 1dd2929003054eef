"""What the whole-journey test needs besides the story: devices, screenshots and the checks
made on every page (no console error, nothing wider than the phone's screen)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from tests.browser.demo import LOGINS

# A test run photographs into a scratch folder; `make journey` refreshes docs/journey, so an
# ordinary run never rewrites the pictures the README shows.
SHOTS = Path(os.environ.get("JOURNEY_SHOTS") or Path(tempfile.gettempdir()) / "breachdesk-journey")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Story:
    """One organisation's worst day, in the words its people would type."""

    profile: str
    reporter: str  # who reports it from a phone
    technician: str | None  # the IT contractor's login; None: the DPO works the technical steps
    asset: str  # the place the data was, as the report form names it
    categories: tuple[str, ...]  # the kinds of data ticked on the report form
    description: str
    awareness_reason: str
    finding: str
    copied_out: str  # the finding's answer to "Was data copied out?"
    log_name: str
    log_text: str
    new_words: str  # typed into "What has happened" on the ICO report


@dataclass
class Journey:
    """People on their own devices, each page photographed at phone and desktop width."""

    chromium: object
    base_url: str
    story: Story
    problems: list[str] = field(default_factory=list)
    shots: list[str] = field(default_factory=list)
    _contexts: list = field(default_factory=list)

    def sign_in(self, username: str, viewport: dict):
        """A new browser for ``username`` on a phone or a desktop, signed in."""
        context = self.chromium.new_context(viewport=viewport)
        context.set_default_timeout(15_000)
        self._contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: self._console(username, m))
        page.on("pageerror", lambda e: self.problems.append(f"{username}: script error {e}"))
        page.goto(f"{self.base_url}/auth/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).fill(LOGINS[username])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    def _console(self, username: str, message) -> None:
        if message.type == "error":
            self.problems.append(f"{username}: console error {message.text} ({message.location})")

    def shot(self, page, name: str, at=None) -> None:
        """Photograph the page at both widths, scrolled to ``at`` if given (a locator); note
        it if the page is wider than the phone."""
        page.wait_for_load_state()
        own = page.viewport_size
        number = len(self.shots) + 1
        stem = f"{self.story.profile}-{number:02d}-{name}"
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            if label == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    self.problems.append(f"{page.url} is {width} px wide on a phone")
            SHOTS.mkdir(parents=True, exist_ok=True)
            if at is not None:
                at.evaluate("element => element.scrollIntoView({block: 'start'})")
            # The screen as the person sees it, not the whole page: whole pages of text
            # would put tens of megabytes of pictures in the repository.
            page.screenshot(path=str(SHOTS / f"{stem}-{label}.png"))
        page.set_viewport_size(own)
        self.shots.append(stem)

    def close(self) -> None:
        for context in self._contexts:
            context.close()
