"""Where draft templates come from: an instance override, else the package default."""

from __future__ import annotations

import re
from pathlib import Path

from breachdesk.domain.drafting import DraftKind

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[2] / "draft_templates"
_PROFILE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def find_template(kind: DraftKind | str, instance_path: Path, profile_id: str) -> str:
    """Return the template text for ``kind``, most specific first.

    Looks in instance/draft_templates/<profile_id>/<name>.md, then
    instance/draft_templates/<name>.md, then the default shipped with breachdesk.
    """
    name = DraftKind(kind).value
    if not _PROFILE_ID.match(profile_id):
        # The id becomes a folder name: refuse anything that could climb out of instance/.
        raise ValueError(f"invalid profile id {profile_id!r}")
    folder = Path(instance_path) / "draft_templates"
    for path in (folder / profile_id / f"{name}.md", folder / f"{name}.md"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return (PACKAGE_TEMPLATES / f"{name}.md").read_text(encoding="utf-8")
