"""Rewrite the golden drafts after a deliberate change: python tests/golden/regenerate.py

Read every changed file as a DPO would before keeping it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> None:
    """Write each golden draft the drafting tests define."""
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(
        "golden_source", ROOT / "tests" / "domain" / "test_drafting.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from breachdesk.domain.drafting import to_markdown

    for name, build in sorted(module.GOLDEN_DRAFTS.items()):
        path = HERE / "drafts" / name
        path.write_text(to_markdown(build()), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
