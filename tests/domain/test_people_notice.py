"""Telling the people: no deadline without a promise; a promise runs from awareness."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from breachdesk.domain.clock import LONDON
from breachdesk.domain.clock import Deadline
from breachdesk.domain.clock import clock_state
from breachdesk.domain.people_notice import Wait
from breachdesk.domain.people_notice import late_decision
from breachdesk.domain.people_notice import wait_state
from breachdesk.domain.reminders_schedule import not_told_around

AWARE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def at(hours: float = 0, seconds: float = 0) -> datetime:
    return AWARE + timedelta(hours=hours, seconds=seconds)


# No promise: the time since the decision, never a deadline


def test_without_a_promise_the_time_since_the_decision_is_shown_and_no_deadline():
    state = wait_state(at(15), Wait(decided_at=at(10)))

    assert state.words == (
        "Decided to tell the people 5 hours ago; the law asks for this without undue delay "
        "(UK GDPR Art. 34(1))"
    )
    assert state.short == "Decided 5 hours ago; not told yet"
    assert state.elapsed == timedelta(hours=5)
    assert not state.stopped
    assert not hasattr(state, "due_at")


@pytest.mark.parametrize(
    ("hours", "said"),
    [(0, "just now"), (47.99, "47 hours 59 minutes ago"), (240, "10 days ago")],
)
def test_the_wait_keeps_counting_up_and_is_never_overdue(hours, said):
    words = wait_state(at(10 + hours), Wait(decided_at=at(10))).words

    assert f"Decided to tell the people {said};" in words
    assert "overdue" not in words
    assert "left" not in words
    assert "deadline" not in words


def test_a_wait_ends_when_the_people_are_told():
    wait = Wait(decided_at=at(10)).stop(at(35), "people told")

    state = wait_state(at(100), wait)

    assert state.stopped
    assert state.elapsed == timedelta(hours=25)
    assert state.words == (
        "Decided to tell the people Fri 20 Nov 2026, 19:00 GMT; "
        "people told Sat 21 Nov 2026, 20:00 GMT, 25 hours later"
    )
    assert state.short == "People told Sat 21 Nov 2026, 20:00 GMT"


def test_a_wait_refuses_a_naive_decision_time():
    with pytest.raises(ValueError, match="naive"):
        Wait(decided_at=datetime(2026, 11, 20, 9, 0))  # noqa: DTZ001 - the point of the test


def test_people_not_told_are_nudged_a_day_after_the_decision_then_daily():
    decided = at(10)

    before, first = not_told_around(decided, decided + timedelta(hours=23, minutes=59))
    latest, following = not_told_around(decided, decided + timedelta(hours=50))

    assert before is None
    assert first.key == "people:not-told:1"
    assert first.due_at == decided + timedelta(hours=24)
    assert first.label == "Decided to tell the people 24 hours ago: still not told"
    assert latest is not None
    assert latest.key == "people:not-told:2"
    assert latest.label == "Decided to tell the people 2 days ago: still not told"
    assert following.due_at == decided + timedelta(hours=72)
    for nudge in (first, latest, following):
        assert "deadline" not in nudge.label
        assert "overdue" not in nudge.label.lower()


# A promise: from awareness, and a decision too late to keep it


def test_a_promise_counts_from_awareness_whenever_the_decision_comes():
    promise = Deadline.for_people(AWARE, 72)

    state = clock_state(at(30), promise)

    assert promise.due_at == at(72)
    assert state.words == "42 hours left"


@pytest.mark.parametrize("decided_after", [0, 30, 60])
def test_a_decision_leaving_twelve_hours_or_more_is_not_flagged(decided_after):
    assert late_decision(AWARE, at(decided_after), 72) is None


def test_a_decision_leaving_less_than_twelve_hours_warns_before_the_promise_breaks():
    warning = late_decision(AWARE, at(60, seconds=1), 72)

    assert warning is not None
    assert not warning.broken
    assert warning.words == (
        "The decision to tell the people came 60 hours after awareness, with only 11 hours 59 "
        "minutes left to keep the 72-hour promise. Tell them now; if the promise is missed, "
        "explain the delay in the notice."
    )


def test_a_decision_exactly_at_the_promised_time_can_still_just_keep_it():
    warning = late_decision(AWARE, at(72), 72)

    assert warning is not None
    assert not warning.broken
    assert "with only less than a minute left" in warning.words


def test_a_decision_after_the_promised_time_says_the_promise_is_already_broken():
    just_after = late_decision(AWARE, at(72, seconds=1), 72)
    warning = late_decision(AWARE, at(80), 72)

    assert just_after is not None
    assert just_after.broken
    assert warning is not None
    assert warning.broken
    assert warning.words == (
        "The decision to tell the people came 80 hours after awareness: the 72-hour promise "
        "is already broken. Tell them now, and explain the delay in the notice."
    )


def test_the_late_decision_counts_elapsed_hours_across_the_autumn_clock_change():
    aware = datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)  # 10:00 BST; GMT from the 25th
    decided = datetime(2026, 10, 27, 17, 0, tzinfo=LONDON)  # 17:00 GMT: 80 elapsed hours

    warning = late_decision(aware, decided, 72)

    assert warning is not None
    assert warning.after_awareness == timedelta(hours=80)
    assert warning.left == timedelta(hours=-8)


def test_a_decision_not_yet_taken_is_said_as_one_taken_now():
    warning = late_decision(AWARE, at(66), 72, decided=False)

    assert warning is not None
    assert warning.words.startswith(
        "A decision now to tell the people comes 66 hours after awareness, with only 6 hours left"
    )
