"""Every page and draft that words a number of people agrees with it: "1 person is",
"about 2 people are", never "about 1 people" or "1 person are"."""

from __future__ import annotations

import re

import pytest

from breachdesk.domain.people_count import people
from breachdesk.domain.people_count import people_are
from breachdesk.domain.vocabulary import Role
from tests.web.test_clocks import text_of
from tests.web.test_reporting import report

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

REF = "BD-2026-0001"
INCIDENT = f"/incidents/{REF}"
COUNTS = (0, 1, 2, None)
#: What a reader would trip over: a number and a noun or verb that disagree.
DISAGREEING = re.compile(
    r"\b(?:about|About) [01]\b"  # one is counted, not estimated
    r"|\b1 people\b|\b(?:[02-9]|\d[\d,]+) person\b"
    r"|\b1 person are\b|\b\d[\d,]* people is\b"
)


@pytest.mark.parametrize("count", COUNTS)
def test_people_words_agree_with_every_count(count):
    words, with_verb = people(count, about=True), people_are(count, about=True)
    assert not DISAGREEING.search(words), words
    assert not DISAGREEING.search(with_verb), with_verb
    assert with_verb.endswith(" is" if count == 1 else " are")


def test_people_words_say_each_count_as_a_reader_expects():
    assert [people(n) for n in COUNTS] == [
        "0 people",
        "1 person",
        "2 people",
        "an unknown number of people",
    ]
    assert people(6250, about=True) == "about 6,250 people"
    assert people_are(1, about=True) == "1 person is"


@pytest.mark.parametrize("count", COUNTS)
def test_every_page_and_draft_agrees_in_number_with_the_count(app, login_as, count):
    staff = login_as("sam", Role.STAFF)
    report(staff, people_count=None if count is None else str(count))
    dpo = login_as("dana", Role.DPO)
    for group in ("ico", "people"):
        made = dpo.post(f"{INCIDENT}/drafts/make", {"group": group}, form_url=INCIDENT)
        assert made.status_code == 302, made.get_data(as_text=True)[:500]
    pages = {
        url: text_of(dpo.get(url))
        for url in (
            "/incidents/",
            "/register/",
            INCIDENT,
            f"{INCIDENT}/assessment",
            f"{INCIDENT}/drafts/1",
            f"{INCIDENT}/drafts/2",
        )
    }
    for url, page in pages.items():
        assert not DISAGREEING.search(page), (url, DISAGREEING.search(page)[0])
    if count is None:
        assert "People Not known" in pages[INCIDENT]
    else:
        assert f"People {people(count)}" in pages[INCIDENT]
        assert f"Lab server (Transactor and Sage) · {people(count)}" in pages["/register/"]
    if count in (1, 2):
        said = people_are(count, about=True)
        assert f"{said[:1].upper()}{said[1:]} affected" in pages[f"{INCIDENT}/assessment"]
