"""Parsing playbooks: structure, every problem with its line, merging, and snapshots."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from textwrap import dedent

import pytest

from breachdesk.domain.drafting import flesch_reading_ease
from breachdesk.domain.playbooks import Playbook
from breachdesk.domain.playbooks import Problem
from breachdesk.domain.playbooks import Step
from breachdesk.domain.playbooks import first_steps
from breachdesk.domain.playbooks import merge_checklists
from breachdesk.domain.playbooks import parse_playbook
from breachdesk.domain.playbooks import playbook_from_dict
from breachdesk.domain.playbooks import playbook_to_dict
from breachdesk.domain.vocabulary import ActingAs
from breachdesk.domain.vocabulary import Promise
from breachdesk.domain.vocabulary import Role
from breachdesk.domain.vocabulary import Situation

SOURCE = "playbooks/lab-server.md"
SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"

GOOD = dedent(
    """\
    ---
    id: lab-server
    title: Lab server: ransomware
    assets: lab-server, backups
    version: 2
    ---
    The server runs **Transactor**.

    ## Contain

    ### unplug-network: Unplug the network cable. Do not switch it off.
    - Who: staff
    - Within: 15 minutes
    - Record: the time you unplugged it

    Leave the power on.

    ```
    ### not-a-step: inside a code block
    ```

    ### call-reliant: Call Reliant
    - Who: it
    - Within: 1 hour

    ## Notify

    ### notify-ico: Report to the ICO
    - Who: dpo
    - Within: 72 hours

    ## Learn lessons

    ### review-lessons: Review
    - Who: DPO
    - Within: 1 day
    """
)


def parse_ok(text: str, source: str = SOURCE) -> Playbook:
    playbook, problems = parse_playbook(text, source)
    assert problems == []
    assert playbook is not None
    return playbook


def problems_of(text: str) -> list[str]:
    playbook, problems = parse_playbook(dedent(text), SOURCE)
    assert playbook is None
    return [str(problem) for problem in problems]


def playbook_text(playbook_id: str, *steps: str) -> str:
    header = f"---\nid: {playbook_id}\ntitle: {playbook_id}\nassets: a\nversion: 1\n---\n"
    return header + "\n## Contain\n\n" + "\n\n".join(steps) + "\n"


def test_a_good_playbook_gives_its_metadata_and_steps_in_order():
    playbook = parse_ok(GOOD)

    assert (playbook.id, playbook.title, playbook.version) == (
        "lab-server",
        "Lab server: ransomware",
        "2",
    )
    assert playbook.assets == ("lab-server", "backups")
    assert playbook.intro_markdown == "The server runs **Transactor**."
    assert playbook.source == SOURCE
    assert [step.id for step in playbook.steps] == [
        "unplug-network",
        "call-reliant",
        "notify-ico",
        "review-lessons",
    ]


def test_a_step_carries_role_time_limit_record_phase_body_and_line():
    step = parse_ok(GOOD).steps[0]

    assert step.title == "Unplug the network cable. Do not switch it off."
    assert step.role is Role.STAFF
    assert step.within == timedelta(minutes=15)
    assert step.record == "the time you unplugged it"
    assert step.phase == "Contain"
    assert step.line == 11
    assert step.body_markdown.startswith("Leave the power on.")


def test_a_heading_inside_a_code_block_is_not_a_step():
    step = parse_ok(GOOD).steps[0]

    assert "### not-a-step" in step.body_markdown


def test_roles_are_read_whatever_their_case_and_time_limits_in_any_unit():
    steps = parse_ok(GOOD).steps

    assert [step.role for step in steps] == [Role.STAFF, Role.IT, Role.DPO, Role.DPO]
    assert [step.within for step in steps] == [
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=72),
        timedelta(days=1),
    ]


def test_a_step_without_a_time_limit_has_none():
    playbook = parse_ok(playbook_text("x", "### a: A\n- Who: staff"))

    assert playbook.steps[0].within is None
    assert playbook.steps[0].record == ""


def test_an_unknown_role_is_reported_with_its_line_and_the_roles_to_use():
    text = playbook_text("lab-server", "### a: A\n- Who: manager")

    assert problems_of(text) == [
        "playbooks/lab-server.md:11: unknown role 'manager' (use staff, dpo or it)"
    ]


def test_every_problem_in_a_file_is_reported_not_just_the_first():
    text = """\
        ---
        id: Lab Server
        version: one
        colour: red
        ---
        ## Contain
        ### a: A
        - Who: manager
        - Within: soon
        ### a: Again
        - Who: staff
        ### b
        - Who: dpo
        ### c: No role
        ### Just a title
        - Who: it
        - Owner: someone
        ## Contian
        """

    assert problems_of(text) == [
        f"{SOURCE}:1: missing 'title:' line in the '---' block at the top",
        f"{SOURCE}:1: missing 'assets:' line in the '---' block at the top",
        f"{SOURCE}:2: id 'Lab Server' must be lower-case letters, digits and hyphens,"
        " as in 'lab-server'",
        f"{SOURCE}:3: bad version 'one' (use 1, 2, 3...)",
        f"{SOURCE}:4: unknown field 'colour' (use id, title, assets or version)",
        f"{SOURCE}:8: unknown role 'manager' (use staff, dpo or it)",
        f"{SOURCE}:9: bad 'Within' value 'soon' (use e.g. 15 minutes, 1 hour, 4 hours,"
        " 1 day or 72 hours, or leave the line out)",
        f"{SOURCE}:10: duplicate step id 'a' (first on line 7)",
        f"{SOURCE}:12: step 'b' has no title (write it after the colon)",
        f"{SOURCE}:14: step 'c' has no '- Who:' line (use staff, dpo or it)",
        f"{SOURCE}:15: step heading needs an id first, as in '### unplug-network: Unplug it'",
        f"{SOURCE}:17: unknown field 'Owner' (use Who, Within, Record, Notice, When, Promise"
        " or As)",
        f"{SOURCE}:18: unknown phase 'Contian' (use Contain, Assess, Notify, Recover"
        " or Learn lessons)",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id: x\ntitle:\nassets: a\nversion: 1", "3: title is empty"),
        ("title: T\nassets: a\nversion: 1", "1: missing 'id:' line"),
        ("id: x\ntitle: T\nassets: a\nversion: 1.x", "5: bad version '1.x'"),
        ("id: x\ntitle: T\nassets: a", "1: missing 'version:' line"),
        ("id: x\ntitle: T\nassets:\nversion: 1", "4: no assets"),
        ("id: x\ntitle: T\nassets: Lab Server\nversion: 1", "4: asset id 'Lab'"),
        ("id: x\n\ntitle: T\nassets: a\nversion: 1", "3: blank line inside"),
        ("id: x\ntitle T\nassets: a\nversion: 1", "3: expected 'field: value'"),
        ("id: x\nid: y\ntitle: T\nassets: a\nversion: 1", "3: 'id' is given twice"),
    ],
)
def test_a_bad_metadata_block_is_reported_at_the_line_to_fix(header, expected):
    text = f"---\n{header}\n---\n## Contain\n### a: A\n- Who: staff\n"

    assert any(problem.startswith(f"{SOURCE}:{expected}") for problem in problems_of(text))


@pytest.mark.parametrize("within", ["soon", "0 hours", "1.5 hours", "3 weeks", ""])
def test_a_time_limit_that_is_not_a_whole_number_of_minutes_hours_or_days_is_refused(within):
    text = playbook_text("x", f"### a: A\n- Who: staff\n- Within: {within}")

    assert problems_of(text) == [
        f"{SOURCE}:12: bad 'Within' value '{within}' (use e.g. 15 minutes, 1 hour, 4 hours,"
        " 1 day or 72 hours, or leave the line out)"
    ]


def test_a_file_without_a_metadata_block_says_how_it_must_start():
    problems = problems_of("## Contain\n### a: A\n- Who: staff\n")

    assert problems[0] == (
        f"{SOURCE}:1: the file must start with '---', then id, title, assets, version, then '---'"
    )


def test_a_playbook_without_steps_is_refused():
    text = "---\nid: x\ntitle: T\nassets: a\nversion: 1\n---\nJust an introduction.\n"

    assert problems_of(text) == [
        f"{SOURCE}:7: no steps: add '### step-id: Title' under '## Contain'"
    ]


def test_a_playbook_without_a_staff_step_is_refused():
    text = playbook_text("x", "### a: A\n- Who: dpo")

    assert problems_of(text) == [
        f"{SOURCE}:10: no step for staff: the reporter needs the first things to do"
    ]


def test_a_step_before_any_phase_and_text_outside_steps_are_reported():
    text = "---\nid: x\ntitle: T\nassets: a\nversion: 1\n---\n### a: A\n- Who: staff\n"
    text += "## Assess\nStray words.\n### b: B\n- Who: dpo\n"

    assert problems_of(text) == [
        f"{SOURCE}:7: step comes before any phase heading such as '## Contain'",
        f"{SOURCE}:10: text under a phase heading must belong to a step: move it",
    ]


def test_problems_read_as_file_line_and_message():
    problem = Problem("playbooks/lab-server.md", 12, "unknown role 'manager'")

    assert str(problem) == "playbooks/lab-server.md:12: unknown role 'manager'"


def test_first_steps_are_the_staff_steps_in_order():
    playbook = parse_ok(GOOD)

    assert [step.id for step in first_steps(playbook)] == ["unplug-network"]
    assert [step.id for step in first_steps(playbook, Role.IT)] == ["call-reliant"]


def test_merged_checklists_show_a_shared_step_once_and_keep_phases_in_order():
    server = parse_ok(GOOD)
    backups = parse_ok(
        dedent(
            """\
            ---
            id: backups
            title: Backups
            assets: backups
            version: 1
            ---
            ## Notify
            ### notify-ico: Report to the ICO
            - Who: dpo
            ## Contain
            ### check-backup: Check the last backup
            - Who: it
            ### unplug-network: Unplug it
            - Who: staff
            """
        ),
        "playbooks/backups.md",
    )

    merged = merge_checklists([server, backups])

    assert [step.id for step in merged] == [
        "unplug-network",
        "call-reliant",
        "check-backup",
        "notify-ico",
        "review-lessons",
    ]
    assert merged[0].title == "Unplug the network cable. Do not switch it off."


def test_a_snapshot_survives_a_json_round_trip_unchanged():
    playbook = parse_ok(GOOD)

    snapshot = json.loads(json.dumps(playbook_to_dict(playbook)))

    assert playbook_from_dict(snapshot) == playbook


def test_a_snapshot_in_an_unknown_format_is_refused():
    snapshot = playbook_to_dict(parse_ok(GOOD)) | {"format": 99}

    with pytest.raises(ValueError, match="unknown playbook snapshot format 99"):
        playbook_from_dict(snapshot)


NOTICE_STEP = """\
### unplug-network: Unplug the network cable
- Who: staff
- Notice: We disconnected the affected server from our network to stop the attack spreading.
- Record: the time you unplugged it

Leave the power on."""


def test_a_step_may_carry_a_sentence_for_the_people_affected():
    playbook = parse_ok(playbook_text("lab-server", NOTICE_STEP))

    (step,) = playbook.steps
    assert step.notice == (
        "We disconnected the affected server from our network to stop the attack spreading."
    )
    assert step.record == "the time you unplugged it"
    assert step.body_markdown == "Leave the power on."


def test_a_step_without_a_notice_line_has_an_empty_notice():
    (step, *_) = parse_ok(GOOD).steps

    assert step.notice == ""


def test_an_empty_notice_line_is_reported_at_its_line():
    text = playbook_text("lab-server", "### unplug-network: Unplug it\n- Who: staff\n- Notice:")

    assert problems_of(text) == [
        f"{SOURCE}:12: empty 'Notice' line: write one sentence for the people affected"
    ]


def test_a_notice_survives_a_snapshot_round_trip():
    playbook = parse_ok(playbook_text("lab-server", NOTICE_STEP))

    snapshot = json.loads(json.dumps(playbook_to_dict(playbook)))

    assert playbook_from_dict(snapshot) == playbook
    assert snapshot["steps"][0]["notice"].startswith("We disconnected")


def test_a_snapshot_taken_before_notices_existed_still_loads():
    snapshot = playbook_to_dict(parse_ok(GOOD))
    for step in snapshot["steps"]:
        del step["notice"]

    assert all(step.notice == "" for step in playbook_from_dict(snapshot).steps)


def shipped_steps() -> list[Step]:
    steps = []
    for path in sorted(SHIPPED.glob("*.md")):
        if path.name != "README.md":
            steps += parse_ok(path.read_text(encoding="utf-8"), f"playbooks/{path.name}").steps
    return steps


def test_every_shipped_notice_is_one_plain_sentence_about_something_done():
    noticed = [step for step in shipped_steps() if step.notice]
    assert len(noticed) > 40
    for step in noticed:
        assert step.phase in ("Contain", "Recover"), step.id
        assert "?" not in step.title, step.id  # a prompt to staff is not a measure taken
        assert step.notice.startswith(("We ", "Our ")), step.notice
        assert step.notice.endswith("."), step.notice
        assert step.notice.count(".") == 1, step.notice  # one sentence
        assert flesch_reading_ease(step.notice) >= 60, step.notice


def test_internal_steps_never_carry_a_notice():
    internal = {"record-assessment", "notify-ico", "review-lessons", "list-affected-data"}
    assert not [step.id for step in shipped_steps() if step.id in internal and step.notice]


# --- "When": the kind of breach a staff step is for


SITUATED = playbook_text(
    "email",
    "### wrong: Note who got it\n- Who: staff\n- When: wrong-recipient",
    "### hacked: Change nothing, tell the DPO\n- Who: staff\n- When: attack, Stolen",
    "### always: Write down what you saw\n- Who: staff",
    "### dpo-step: Decide\n- Who: dpo",
)


def test_a_when_line_gives_the_reporter_only_the_staff_steps_for_what_happened():
    playbook = parse_ok(SITUATED)

    def ids(situation: Situation) -> list[str]:
        return [step.id for step in first_steps(playbook, Role.STAFF, situation)]

    assert ids(Situation.WRONG_RECIPIENT) == ["wrong", "always"]
    assert ids(Situation.STOLEN) == ["hacked", "always"]
    assert ids(Situation.NOT_SURE) == ["wrong", "hacked", "always"]


def test_with_no_staff_step_for_what_happened_the_reporter_gets_every_staff_step():
    playbook = parse_ok(
        playbook_text(
            "email",
            "### wrong: Note who got it\n- Who: staff\n- When: wrong-recipient",
            "### hacked: Tell the DPO\n- Who: staff\n- When: attack",
        )
    )

    assert [s.id for s in first_steps(playbook, Role.STAFF, Situation.LOST)] == ["wrong", "hacked"]


def test_a_when_line_survives_the_incidents_snapshot():
    playbook = parse_ok(SITUATED)

    again = playbook_from_dict(json.loads(json.dumps(playbook_to_dict(playbook))))

    assert again.steps[1].when == (Situation.ATTACK, Situation.STOLEN)
    assert again.steps[2].when == ()


def test_an_unknown_kind_of_breach_or_a_when_on_a_dpo_step_is_reported_at_its_line():
    text = playbook_text(
        "email",
        "### wrong: Note who got it\n- Who: staff\n- When: misposted",
        "### decide: Decide\n- Who: dpo\n- When: lost",
    )

    problems = problems_of(text)

    assert any(
        "unknown situation 'misposted' in 'When' (use wrong-recipient, lost, stolen, attack, "
        "unavailable)" in problem
        for problem in problems
    )
    assert any("'When' is only for staff steps" in problem for problem in problems)


# --- "Promise": a step kept only where the organisation makes the promise


def test_a_step_keeping_a_promise_is_left_out_where_the_promise_is_not_made():
    playbook = parse_ok(
        playbook_text(
            "email",
            "### note: Note what happened\n- Who: staff",
            "### update: Send a status update\n- Who: dpo\n- Promise: status-updates",
        )
    )

    kept = [step.id for step in merge_checklists([playbook], [Promise.STATUS_UPDATES])]
    left = [step.id for step in merge_checklists([playbook], [])]
    again = playbook_from_dict(json.loads(json.dumps(playbook_to_dict(playbook))))

    assert kept == ["note", "update"]
    assert left == ["note"]
    assert again.steps[1].promise is Promise.STATUS_UPDATES


def test_an_unknown_promise_is_reported_at_its_line():
    text = playbook_text(
        "email",
        "### note: Note what happened\n- Who: staff",
        "### update: Send a status update\n- Who: dpo\n- Promise: newsletters",
    )

    assert any("unknown promise 'newsletters' (use status-updates)" in p for p in problems_of(text))


# --- "As": a step kept only where the organisation holds data in that role


def test_a_step_for_a_processor_is_left_out_where_all_the_data_is_the_organisation_s_own():
    playbook = parse_ok(
        playbook_text(
            "email",
            "### note: Note what happened\n- Who: staff",
            "### tell-controllers: Tell the controllers\n- Who: dpo\n- As: processor",
        )
    )
    both = [ActingAs.CONTROLLER, ActingAs.PROCESSOR]

    kept = [step.id for step in merge_checklists([playbook], [], both)]
    left = [step.id for step in merge_checklists([playbook], [], [ActingAs.CONTROLLER])]
    again = playbook_from_dict(json.loads(json.dumps(playbook_to_dict(playbook))))

    assert kept == ["note", "tell-controllers"]
    assert left == ["note"]
    assert again.steps[1].acting_as is ActingAs.PROCESSOR


def test_an_unknown_role_in_as_is_reported_at_its_line():
    text = playbook_text(
        "email",
        "### note: Note what happened\n- Who: staff",
        "### tell: Tell the controllers\n- Who: dpo\n- As: lab",
    )

    assert any(
        "unknown role 'lab' in 'As' (use controller, processor)" in p for p in problems_of(text)
    )
