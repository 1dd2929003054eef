"""`breachdesk assess FILE|-`: the decision JSON on stdout, or one line on stderr and exit 2."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from breachdesk.cli.assess import main
from tests.support.console import run_python

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "tests" / "fixtures" / "assessment"
RUN_MAIN = "import sys; from breachdesk.cli.assess import main; sys.exit(main(sys.argv[1:]))"
FACTS = {
    "breach_types": ["confidentiality"],
    "cause": "accidental",
    "data_categories": ["basic_identity", "date_of_birth", "other"],
    "subjects_count": 1,
    "recipient": "known_untrusted",
    "became_aware_at": "2026-11-20T09:15:00+00:00",
}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh interpreter, as the console script does."""
    return run_python(RUN_MAIN, *args, stdin=stdin)


def run_in_process(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_assessing_a_facts_file_prints_the_decision_json(tmp_path: Path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    decision = json.loads(result.stdout)
    assert (decision["risk"], decision["notify_ico"], decision["notify_subjects"]) == (
        "risk",
        True,
        False,
    )
    assert decision["ico_deadline"] == "2026-11-23T09:15:00+00:00"
    assert result.stdout.startswith('{\n  "personal_data_breach": true,')


def test_facts_can_come_from_standard_input():
    result = run("-", stdin=json.dumps(FACTS))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["risk"] == "risk"


def test_a_shared_worked_example_file_is_assessed_as_the_guidance_says():
    case = json.loads((EXAMPLE / "edpb-01-2021-case-11.json").read_text(encoding="utf-8"))
    code, out, err = run_in_process("-", stdin=json.dumps(case["facts"]))
    assert (code, err) == (0, "")
    assert json.loads(out)["ico_deadline"] == case["expected_ico_deadline_utc"]


def test_the_command_name_may_be_passed_along_with_the_file():
    code, out, _ = run_in_process("assess", "-", stdin=json.dumps(FACTS))
    assert code == 0
    assert json.loads(out)["notify_ico"] is True


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (
            json.dumps({**FACTS, "subjects_count": "lots"}),
            "subjects_count: must be a whole number of 0 or more, got 'lots'",
        ),
        (json.dumps({**FACTS, "shoe_size": 9}), "shoe_size: is not a known field"),
        (json.dumps([FACTS]), "facts: must be a JSON object, got a list"),
        ('{\n  "breach_types": ["confidentiality"],\n}', "invalid JSON at line 3, column 1"),
        ('{"subjects_count": NaN}', "invalid JSON: NaN is not a JSON value"),
    ],
)
def test_invalid_input_gives_one_line_naming_the_problem_and_exit_2(stdin: str, expected: str):
    result = run("-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr


def test_invalid_facts_in_process_also_exit_2_with_one_line():
    code, out, err = run_in_process("-", stdin=json.dumps({**FACTS, "cause": "gremlins"}))
    assert (code, out) == (2, "")
    assert err == "cause: must be one of malicious, accidental, unknown, got 'gremlins'\n"


def test_a_missing_file_is_named_with_exit_2(tmp_path: Path):
    missing = tmp_path / "nowhere.json"
    result = run(str(missing))
    assert result.returncode == 2
    assert result.stderr == f"{missing}: cannot read the facts file: No such file or directory\n"


def test_no_file_argument_prints_usage_with_exit_2():
    code, out, err = run_in_process()
    assert (code, out) == (2, "")
    assert err.startswith("usage: breachdesk assess")


def test_importing_the_command_loads_neither_flask_nor_sqlalchemy():
    probe = (
        "import sys, breachdesk.cli.assess; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'werkzeug', 'jinja2', 'markdown')))"
    )
    result = run_python(probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
