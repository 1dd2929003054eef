"""How fast the decision engine is: decisions per second in one process, and the start-up
cost of one `breachdesk assess FILE` process against a bare Python start.

Run: .venv/bin/python benchmarks/bench_assess.py
Targets: at least 10,000 decisions a second; the command within 8x a bare `python -c pass`.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from breachdesk.domain.assessment import assess
from breachdesk.domain.assessment import parse_facts

REPO = Path(__file__).resolve().parents[1]
RUNS = 20
RUN_MAIN = "import sys; from breachdesk.cli.assess import main; sys.exit(main(sys.argv[1:]))"
CASES = [
    {
        "breach_types": ["availability", "confidentiality"],
        "cause": "malicious",
        "data_categories": ["basic_identity", "health"],
        "subjects_count": 1500,
        "vulnerable_subjects": True,
        "exfiltration": "confirmed",
        "recipient": "malicious",
        "availability": {"backup_available": True, "outage_hours": 48, "people_affected": True},
        "became_aware_at": "2026-10-24T23:30:00+01:00",
    },
    {
        "breach_types": ["confidentiality"],
        "cause": "accidental",
        "data_categories": ["basic_identity", "date_of_birth", "other"],
        "subjects_count": 1,
        "recipient": "known_untrusted",
    },
    {
        "breach_types": ["confidentiality"],
        "cause": "malicious",
        "data_categories": ["credentials"],
        "subjects_count": 1200,
        "protection": "hashed",
        "exfiltration": "confirmed",
        "recipient": "malicious",
    },
]


def decisions_per_second(seconds: float = 1.5) -> float:
    """Run assess() on parsed facts in a loop for about `seconds` and count."""
    facts = [parse_facts(case) for case in CASES]
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in facts:
            assess(item)
        count += len(facts)
    return count / (time.perf_counter() - start)


def median_wall_time(args: list[str]) -> float:
    """Median wall time of RUNS fresh processes, after one warm-up run."""
    times = []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        subprocess.run(args, cwd=REPO, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> None:
    """Print the figures."""
    rate = decisions_per_second()
    print(f"assess(): {rate:,.0f} decisions per second (target >= 10,000)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.json"
        path.write_text(json.dumps(CASES[0]), encoding="utf-8")
        bare = median_wall_time([sys.executable, "-c", "pass"])
        command = median_wall_time([sys.executable, "-c", RUN_MAIN, str(path)])
        script = Path(sys.executable).parent / "breachdesk"
        console = median_wall_time([str(script), "assess", str(path)]) if script.exists() else None
    print(f"bare python -c pass: median {bare * 1000:.1f} ms over {RUNS} runs")
    print(f"cli.assess.main FILE: median {command * 1000:.1f} ms over {RUNS} runs")
    print(f"ratio: {command / bare:.2f}x (target <= 8x)")
    if console is not None:
        # The installed console script, as a DPO or a script would run it.
        print(f"breachdesk assess FILE (console script): median {console * 1000:.1f} ms")
        print(f"ratio: {console / bare:.2f}x (target <= 8x)")


if __name__ == "__main__":
    main()
