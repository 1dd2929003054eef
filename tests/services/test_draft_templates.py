"""Finding a draft template: an instance override wins over the package default."""

from __future__ import annotations

import pytest

from breachdesk.domain.drafting import DraftKind
from breachdesk.services.drafts.templates import PACKAGE_TEMPLATES
from breachdesk.services.drafts.templates import find_template


def test_every_kind_has_a_default_template_with_a_comment_for_the_dpo(tmp_path):
    for kind in DraftKind:
        text = find_template(kind, tmp_path, "odl")
        assert text.startswith("<!--")
        assert "\n# " in text


def test_default_template_is_used_when_the_instance_has_none(tmp_path):
    expected = (PACKAGE_TEMPLATES / "ico.md").read_text(encoding="utf-8")
    assert find_template(DraftKind.ICO, tmp_path, "odl") == expected


def test_instance_template_overrides_the_default(tmp_path):
    folder = tmp_path / "draft_templates"
    folder.mkdir()
    (folder / "staff.md").write_text("# Ours\n", encoding="utf-8")
    assert find_template("staff", tmp_path, "sunray") == "# Ours\n"


def test_profile_template_overrides_the_instance_wide_one(tmp_path):
    folder = tmp_path / "draft_templates"
    (folder / "sunray").mkdir(parents=True)
    (folder / "people_email.md").write_text("# Everyone\n", encoding="utf-8")
    (folder / "sunray" / "people_email.md").write_text("# Sunray\n", encoding="utf-8")
    assert find_template(DraftKind.PEOPLE_EMAIL, tmp_path, "sunray") == "# Sunray\n"
    assert find_template(DraftKind.PEOPLE_EMAIL, tmp_path, "odl") == "# Everyone\n"


def test_profile_id_cannot_climb_out_of_the_instance_folder(tmp_path):
    with pytest.raises(ValueError, match="profile id"):
        find_template(DraftKind.ICO, tmp_path, "../etc")


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(ValueError, match="sms"):
        find_template("sms", tmp_path, "odl")
