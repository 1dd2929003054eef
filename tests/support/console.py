"""Running the command line in a fresh interpreter, as the console script does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: What the ``breachdesk`` console script runs.
BREACHDESK = "import sys; from breachdesk.cli import main; sys.exit(main())"


def run_python(
    code: str, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -c CODE ARGS`` from the repository, with ``stdin`` and ``env`` if given."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
