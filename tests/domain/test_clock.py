"""The breach clocks: deadlines across summer time, words, urgency, stops and reminders."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from breachdesk.domain.clock import ICO_WINDOW
from breachdesk.domain.clock import LONDON
from breachdesk.domain.clock import ClockKind
from breachdesk.domain.clock import Deadline
from breachdesk.domain.clock import Urgency
from breachdesk.domain.clock import clock_state
from breachdesk.domain.clock import default_awareness
from breachdesk.domain.clock import describe_span
from breachdesk.domain.clock import describe_time_left
from breachdesk.domain.clock import format_local
from breachdesk.domain.clock import ico_deadline
from breachdesk.domain.clock import is_step_overdue
from breachdesk.domain.clock import people_deadline
from breachdesk.domain.clock import step_due_at
from breachdesk.domain.clock import to_local
from breachdesk.domain.clock import urgency
from breachdesk.domain.clock import zone_name
from breachdesk.domain.reminders_schedule import due_reminders
from breachdesk.domain.reminders_schedule import reminder_schedule

# Named instants. Summer time ends 01:00 UTC on Sun 25 Oct 2026, starts on Sun 29 Mar 2026.
AWARE_BEFORE_AUTUMN = datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)  # 10:00 BST
AWARE_BEFORE_SPRING = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)  # 12:00 GMT
AWARE = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
DUE = AWARE + ICO_WINDOW


def at(hours: float = 0, minutes: float = 0, seconds: float = 0) -> datetime:
    """An instant relative to AWARE."""
    return AWARE + timedelta(hours=hours, minutes=minutes, seconds=seconds)


# Deadlines across the clock changes


def test_deadline_crosses_the_autumn_clock_change():
    due = ico_deadline(AWARE_BEFORE_AUTUMN)

    assert due == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert due.tzinfo is UTC
    assert due - AWARE_BEFORE_AUTUMN == timedelta(hours=72)
    assert format_local(due) == "Tue 27 Oct 2026, 09:00 GMT"
    assert zone_name(due) == "GMT"
    assert zone_name(AWARE_BEFORE_AUTUMN) == "BST"


def test_deadline_crosses_the_spring_clock_change():
    due = ico_deadline(AWARE_BEFORE_SPRING)

    assert due == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert format_local(due) == "Tue 31 Mar 2026, 13:00 BST"
    assert zone_name(due) == "BST"
    assert zone_name(AWARE_BEFORE_SPRING) == "GMT"


def test_wall_clock_addition_on_london_time_would_be_an_hour_wrong():
    # The trap the UTC arithmetic avoids: aware datetimes add on the wall clock.
    wall_clock = AWARE_BEFORE_AUTUMN + timedelta(hours=72)

    assert wall_clock.astimezone(UTC) - AWARE_BEFORE_AUTUMN.astimezone(UTC) == timedelta(hours=73)
    assert ico_deadline(AWARE_BEFORE_AUTUMN) == wall_clock - timedelta(hours=1)


def test_deadline_is_the_same_instant_whatever_zone_awareness_is_given_in():
    in_utc = AWARE_BEFORE_AUTUMN.astimezone(UTC)
    in_new_york = AWARE_BEFORE_AUTUMN.astimezone(ZoneInfo("America/New_York"))

    assert ico_deadline(in_utc) == ico_deadline(in_new_york) == ico_deadline(AWARE_BEFORE_AUTUMN)


def test_a_promise_to_tell_people_runs_its_hours_from_awareness_across_the_clock_change():
    aware = datetime(2026, 10, 24, 18, 30, tzinfo=LONDON)

    assert people_deadline(aware, 72) == datetime(2026, 10, 27, 17, 30, tzinfo=UTC)
    assert people_deadline(aware, 72) == ico_deadline(aware)  # the same start as the ICO's
    assert people_deadline(aware, 24) == datetime(2026, 10, 25, 17, 30, tzinfo=UTC)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - bounds only; timezones makes them aware
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(LONDON),
    )
)
def test_the_ico_deadline_is_always_72_elapsed_hours_on_any_london_date(aware_at):
    due = ico_deadline(aware_at)

    assert due.astimezone(UTC) - aware_at.astimezone(UTC) == timedelta(hours=72)
    assert zone_name(due) in {"GMT", "BST"}
    assert describe_time_left(aware_at, due) == "72 hours left"


@pytest.mark.parametrize("hours", [0, -1])
def test_people_deadline_refuses_hours_that_are_not_positive(hours):
    with pytest.raises(ValueError, match="positive"):
        people_deadline(AWARE, hours)


# Awareness


def test_awareness_is_when_the_breach_was_noticed_if_that_came_first():
    noticed = datetime(2026, 10, 24, 22, 0, tzinfo=LONDON)
    reported = datetime(2026, 10, 25, 8, 0, tzinfo=LONDON)

    assert default_awareness(noticed, reported) == noticed
    assert default_awareness(noticed, reported).tzinfo is UTC


def test_awareness_is_the_report_when_nobody_said_when_it_was_noticed():
    assert default_awareness(None, AWARE) == AWARE


def test_awareness_is_the_report_when_the_notice_time_given_is_later():
    assert default_awareness(at(hours=2), AWARE) == AWARE


# Words


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (at(), "72 hours left"),
        (at(seconds=1), "71 hours 59 minutes left"),
        (at(minutes=1), "71 hours 59 minutes left"),
        (at(hours=40, minutes=48), "31 hours 12 minutes left"),
        (at(hours=40, minutes=47, seconds=30), "31 hours 12 minutes left"),
        (at(hours=48), "24 hours left"),
        (at(hours=70, minutes=59), "1 hour 1 minute left"),
        (at(hours=70, minutes=58), "1 hour 2 minutes left"),
        (at(hours=71), "1 hour left"),
        (at(hours=71, minutes=1), "59 minutes left"),
        (at(hours=71, minutes=15), "45 minutes left"),
        (at(hours=71, minutes=59), "1 minute left"),
        (at(hours=71, minutes=59, seconds=30), "less than a minute left"),
        (at(hours=72), "less than a minute left"),
    ],
)
def test_time_left_is_said_in_hours_and_floored_minutes(now, words):
    assert describe_time_left(now, DUE) == words


def test_time_left_never_switches_to_days_even_for_a_long_people_clock():
    due = people_deadline(AWARE, 168)

    assert describe_time_left(AWARE, due) == "168 hours left"


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (at(hours=72, seconds=30), "overdue by less than a minute"),
        (at(hours=72, minutes=1), "overdue by 1 minute"),
        (at(hours=72, minutes=45), "overdue by 45 minutes"),
        (at(hours=73), "overdue by 1 hour"),
        (at(hours=73, minutes=5), "overdue by 1 hour 5 minutes"),
        (at(hours=73, minutes=5, seconds=59), "overdue by 1 hour 5 minutes"),
        (at(hours=74), "overdue by 2 hours"),
        (at(hours=119, minutes=59), "overdue by 47 hours 59 minutes"),
        (at(hours=120), "overdue by 2 days"),
        (at(hours=121, minutes=30), "overdue by 2 days 1 hour"),
        (at(hours=72 + 74, minutes=10), "overdue by 3 days 2 hours"),
    ],
)
def test_overdue_is_said_in_hours_then_in_days_from_48_hours(now, words):
    assert describe_time_left(now, DUE) == words


def test_spans_refuse_to_be_negative():
    with pytest.raises(ValueError, match="negative"):
        describe_span(timedelta(minutes=-1))


# Urgency


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(), Urgency.CALM),
        (at(hours=47, minutes=59), Urgency.CALM),
        (at(hours=48), Urgency.SOON),
        (at(hours=65, minutes=59), Urgency.SOON),
        (at(hours=66), Urgency.URGENT),
        (at(hours=72), Urgency.URGENT),
        (at(hours=72, seconds=1), Urgency.OVERDUE),
        (at(hours=200), Urgency.OVERDUE),
    ],
)
def test_urgency_rises_at_24_and_6_hours_left_and_at_the_deadline(now, expected):
    assert urgency(now, DUE) == expected


def test_a_stopped_clock_is_never_urgent_even_past_its_deadline():
    assert urgency(at(hours=100), DUE, stopped=True) == Urgency.STOPPED


def test_urgency_values_are_plain_words_for_templates():
    assert [u.value for u in Urgency] == ["calm", "soon", "urgent", "overdue", "stopped"]


# Local display


def test_local_display_uses_an_unpadded_day_and_the_zone_of_the_instant():
    assert format_local(datetime(2026, 7, 7, 8, 5, tzinfo=UTC)) == "Tue 7 Jul 2026, 09:05 BST"
    assert format_local(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == "Thu 1 Jan 2026, 00:00 GMT"


def test_the_hour_that_repeats_in_autumn_shows_both_zones():
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)

    assert format_local(first) == "Sun 25 Oct 2026, 01:30 BST"
    assert format_local(second) == "Sun 25 Oct 2026, 01:30 GMT"


def test_to_local_returns_the_same_instant_on_the_london_clock():
    local = to_local(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))

    assert local.tzinfo == LONDON
    assert (local.hour, local.utcoffset()) == (13, timedelta(hours=1))
    assert local == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_display_can_use_another_zone_from_the_profile():
    dublin = ZoneInfo("Europe/Dublin")

    assert format_local(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), dublin).endswith("13:00 IST")


NAIVE = datetime(2026, 10, 24, 10, 0)  # noqa: DTZ001 - the point of the tests below


@pytest.mark.parametrize(
    "call",
    [
        lambda: ico_deadline(NAIVE),
        lambda: people_deadline(NAIVE, 72),
        lambda: default_awareness(None, NAIVE),
        lambda: default_awareness(NAIVE, AWARE),
        lambda: to_local(NAIVE),
        lambda: format_local(NAIVE),
        lambda: zone_name(NAIVE),
        lambda: urgency(NAIVE, DUE),
        lambda: describe_time_left(AWARE, NAIVE),
        lambda: Deadline(ClockKind.ICO, NAIVE),
        lambda: Deadline(ClockKind.ICO, DUE, stopped_at=NAIVE),
        lambda: step_due_at(NAIVE, timedelta(hours=1)),
        lambda: reminder_schedule(NAIVE, DUE, until=DUE),
        lambda: due_reminders([], NAIVE),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


# Stopped clocks and lateness


def test_a_running_clock_is_late_only_after_its_deadline():
    deadline = Deadline.for_ico(AWARE)

    assert deadline.kind == ClockKind.ICO
    assert deadline.due_at == DUE
    assert not deadline.is_late(at(hours=72))
    assert deadline.is_late(at(hours=72, seconds=1))
    assert not deadline.stopped
    assert not deadline.was_late


def test_a_clock_stopped_in_time_is_never_late_afterwards():
    deadline = Deadline.for_ico(AWARE).stop(at(hours=70), "ICO told")

    assert not deadline.was_late
    assert not deadline.is_late(at(hours=500))


def test_a_clock_stopped_after_its_deadline_stays_late():
    deadline = Deadline.for_ico(AWARE).stop(at(hours=75), "ICO told")

    assert deadline.was_late
    assert deadline.is_late(at(hours=75))


def test_deadline_kind_accepts_the_plain_word():
    assert Deadline("people", DUE).kind is ClockKind.PEOPLE


def test_deadline_refuses_an_unknown_kind_or_a_reason_without_a_stop():
    with pytest.raises(ValueError, match="court"):
        Deadline("court", DUE)
    with pytest.raises(ValueError, match="stopped_at"):
        Deadline(ClockKind.ICO, DUE, stopped_reason="ICO told")


def test_clock_state_of_a_running_clock_before_the_autumn_change():
    deadline = Deadline.for_ico(AWARE_BEFORE_AUTUMN)
    now = datetime(2026, 10, 25, 17, 48, tzinfo=UTC)

    state = clock_state(now, deadline)

    assert state.due_at == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert state.remaining == timedelta(hours=39, minutes=12)
    assert state.words == "39 hours 12 minutes left"
    assert state.urgency is Urgency.CALM
    assert state.local_due == "Tue 27 Oct 2026, 09:00 GMT"
    assert state.zone == "GMT"
    assert (state.late, state.stopped) == (False, False)


def test_clock_state_of_an_overdue_clock_has_negative_time_left():
    state = clock_state(at(hours=74), Deadline.for_ico(AWARE))

    assert state.remaining == timedelta(hours=-2)
    assert state.words == "overdue by 2 hours"
    assert state.urgency is Urgency.OVERDUE
    assert state.late


def test_clock_state_of_a_clock_stopped_in_time_says_when_and_how_early():
    deadline = Deadline.for_ico(AWARE_BEFORE_AUTUMN).stop(
        datetime(2026, 10, 27, 7, 10, tzinfo=UTC), "ICO told"
    )

    state = clock_state(datetime(2026, 11, 2, 12, 0, tzinfo=UTC), deadline)

    assert state.words == (
        "stopped: ICO told Tue 27 Oct 2026, 07:10 GMT, 1 hour 50 minutes before the deadline"
    )
    assert state.remaining == timedelta(hours=1, minutes=50)
    assert state.urgency is Urgency.STOPPED
    assert (state.late, state.stopped) == (False, True)


def test_clock_state_of_a_clock_stopped_late_says_how_late():
    deadline = Deadline.for_ico(AWARE).stop(at(hours=74))

    state = clock_state(at(hours=90), deadline)

    assert state.words == "stopped Mon 23 Nov 2026, 11:15 GMT, 2 hours after the deadline"
    assert state.remaining == timedelta(hours=-2)
    assert state.late


def test_clock_state_of_a_promise_kept_on_the_dot_never_calls_it_a_deadline():
    deadline = Deadline.for_people(AWARE, 72).stop(DUE, "people told")

    state = clock_state(at(hours=80), deadline)

    assert state.words == "stopped: people told Mon 23 Nov 2026, 09:15 GMT, at the promised time"
    assert not state.late


# Reminder schedule


def test_reminders_fall_at_fixed_hours_then_the_deadline_then_every_12_hours():
    schedule = reminder_schedule(AWARE, DUE, until=at(hours=72 + 36))

    assert [r.key for r in schedule] == [
        "ico:+24h",
        "ico:+48h",
        "ico:+60h",
        "ico:+68h",
        "ico:deadline",
        "ico:overdue:1",
        "ico:overdue:2",
        "ico:overdue:3",
    ]
    assert [r.due_at - AWARE for r in schedule] == [
        timedelta(hours=h) for h in (24, 48, 60, 68, 72, 84, 96, 108)
    ]


def test_reminder_labels_say_how_long_since_the_start_and_how_long_is_left():
    schedule = reminder_schedule(AWARE, DUE, until=at(hours=72 + 60))
    labels = {r.key: r.label for r in schedule}

    assert labels["ico:+24h"] == "24 hours since awareness: 48 hours left"
    assert labels["ico:+68h"] == "68 hours since awareness: 4 hours left"
    assert labels["ico:deadline"] == "ICO deadline now"
    assert labels["ico:overdue:1"] == "Overdue by 12 hours"
    assert labels["ico:overdue:3"] == "Overdue by 36 hours"
    assert labels["ico:overdue:4"] == "Overdue by 2 days"
    assert labels["ico:overdue:5"] == "Overdue by 2 days 12 hours"


def test_reminder_keys_are_unique_and_do_not_move_when_awareness_is_corrected():
    first = reminder_schedule(AWARE, DUE, until=at(hours=200))
    corrected_aware = AWARE - timedelta(hours=5, minutes=20)
    corrected = reminder_schedule(corrected_aware, ico_deadline(corrected_aware), until=at(200))

    keys = [r.key for r in first]
    assert len(keys) == len(set(keys))
    assert [r.key for r in corrected][: len(keys)] == keys
    assert reminder_schedule(AWARE, DUE, until=at(hours=200)) == first


def test_reminders_across_the_autumn_change_are_elapsed_hours():
    due = ico_deadline(AWARE_BEFORE_AUTUMN)

    schedule = reminder_schedule(AWARE_BEFORE_AUTUMN, due, until=due)

    assert [format_local(r.due_at) for r in schedule] == [
        "Sun 25 Oct 2026, 09:00 GMT",
        "Mon 26 Oct 2026, 09:00 GMT",
        "Mon 26 Oct 2026, 21:00 GMT",
        "Tue 27 Oct 2026, 05:00 GMT",
        "Tue 27 Oct 2026, 09:00 GMT",
    ]


def test_reminder_offsets_at_or_after_the_deadline_are_covered_by_the_deadline_one():
    schedule = reminder_schedule(AWARE, DUE, hours_after=(24, 72, 80), until=DUE)

    assert [r.key for r in schedule] == ["ico:+24h", "ico:deadline"]


def test_repeated_offsets_give_one_reminder_each_in_time_order():
    schedule = reminder_schedule(AWARE, DUE, hours_after=(48, 24, 48), until=DUE)

    assert [r.key for r in schedule] == ["ico:+24h", "ico:+48h", "ico:deadline"]


def test_overdue_reminders_stop_at_until_inclusive():
    assert [r.key for r in reminder_schedule(AWARE, DUE, until=at(hours=95))][-1] == "ico:overdue:1"
    assert [r.key for r in reminder_schedule(AWARE, DUE, until=at(hours=96))][-1] == "ico:overdue:2"
    assert [r.key for r in reminder_schedule(AWARE, DUE, until=at(hours=10))][-1] == "ico:deadline"


def test_overdue_reminders_can_be_switched_off():
    schedule = reminder_schedule(AWARE, DUE, overdue_every_hours=None, until=at(hours=500))

    assert schedule[-1].key == "ico:deadline"


def test_the_people_clock_is_a_promise_with_its_own_keys_and_words():
    due = people_deadline(AWARE, 72)

    schedule = reminder_schedule(AWARE, due, kind="people", until=due + timedelta(hours=12))

    assert [r.key for r in schedule] == [
        "people:+24h",
        "people:+48h",
        "people:+60h",
        "people:+68h",
        "people:deadline",
        "people:overdue:1",
    ]
    assert schedule[0].due_at == AWARE + timedelta(hours=24)
    assert schedule[0].label == (
        "24 hours since awareness: 48 hours left to keep the promise to tell the people"
    )
    assert schedule[4].label == "The time promised for telling the people ends now"
    assert schedule[5].label == "The promise to tell the people was broken 12 hours ago"
    assert not any("deadline" in r.label.lower() or "overdue" in r.label.lower() for r in schedule)


def test_a_short_people_promise_keeps_only_the_reminders_before_it():
    due = people_deadline(AWARE, 24)

    schedule = reminder_schedule(AWARE, due, hours_after=(1, 12, 24), kind="people", until=due)

    assert [r.label for r in schedule] == [
        "1 hour since awareness: 23 hours left to keep the promise to tell the people",
        "12 hours since awareness: 12 hours left to keep the promise to tell the people",
        "The time promised for telling the people ends now",
    ]


def test_reminder_schedule_refuses_nonsense():
    with pytest.raises(ValueError, match="positive"):
        reminder_schedule(AWARE, DUE, hours_after=(0,), until=DUE)
    with pytest.raises(ValueError, match="positive"):
        reminder_schedule(AWARE, DUE, overdue_every_hours=-12, until=DUE)
    with pytest.raises(ValueError, match="after"):
        reminder_schedule(DUE, AWARE, until=DUE)
    with pytest.raises(ValueError, match="court"):
        reminder_schedule(AWARE, DUE, kind="court", until=DUE)


def test_due_reminders_are_those_at_or_before_now():
    schedule = reminder_schedule(AWARE, DUE, until=at(hours=200))

    assert due_reminders(schedule, at(hours=23, minutes=59)) == []
    assert [r.key for r in due_reminders(schedule, at(hours=48))] == ["ico:+24h", "ico:+48h"]
    assert [r.key for r in due_reminders(schedule, at(hours=84))][-2:] == [
        "ico:deadline",
        "ico:overdue:1",
    ]


def test_a_sweep_that_was_down_for_hours_catches_up_on_everything_missed():
    schedule = reminder_schedule(AWARE, DUE, until=at(hours=200))

    missed = due_reminders(schedule, at(hours=73))

    assert [r.key for r in missed] == [r.key for r in schedule[:5]]
    assert missed[-1].key == "ico:deadline"


# Playbook steps


def test_a_step_with_a_time_limit_is_due_that_long_after_it_started():
    assert step_due_at(AWARE, timedelta(minutes=15)) == at(minutes=15)
    assert step_due_at(AWARE, None) is None


@pytest.mark.parametrize(
    ("now", "within", "done", "overdue"),
    [
        (at(minutes=15), timedelta(minutes=15), False, False),
        (at(minutes=16), timedelta(minutes=15), False, True),
        (at(minutes=16), timedelta(minutes=15), True, False),
        (at(hours=500), None, False, False),
    ],
)
def test_a_step_is_overdue_only_when_timed_unfinished_and_past_its_limit(
    now, within, done, overdue
):
    assert is_step_overdue(now, AWARE, within, done) is overdue


@settings(max_examples=200, deadline=None)
@given(
    hours_past=st.floats(min_value=-100, max_value=24 * 400, allow_nan=False),
    every=st.integers(min_value=1, max_value=48),
)
def test_overdue_around_finds_the_latest_and_next_overdue_reminders_the_schedule_plans(
    hours_past, every
):
    from breachdesk.domain.reminders_schedule import overdue_around
    from breachdesk.domain.reminders_schedule import reminder_schedule

    aware = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    deadline = aware + ICO_WINDOW
    now = deadline + timedelta(hours=hours_past)
    until = max(now, deadline) + timedelta(hours=every)  # before the deadline: the first one
    planned = reminder_schedule(aware, deadline, (), every, until=until)
    overdue = [p for p in planned if ":overdue:" in p.key]
    past = [p for p in overdue if p.due_at <= now]
    upcoming = [p for p in overdue if p.due_at > now]

    latest, following = overdue_around("ico", deadline, every, now)

    assert latest == (past[-1] if past else None)
    assert following == upcoming[0]


def test_a_clock_years_overdue_has_one_latest_overdue_reminder():
    from breachdesk.domain.reminders_schedule import overdue_around

    deadline = datetime(2023, 11, 20, 9, 0, tzinfo=UTC)
    now = deadline + timedelta(days=3 * 365, hours=5)

    latest, following = overdue_around("ico", deadline, 12, now)

    assert latest.key == "ico:overdue:2190"
    assert following.key == "ico:overdue:2191"
    assert latest.due_at <= now < following.due_at
