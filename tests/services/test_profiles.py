"""Loading profile files: the shipped ones load, and a broken file names where it breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachdesk.config import SHIPPED_PROFILES
from breachdesk.domain.profile import ProfileError
from breachdesk.services.profiles import load_profile
from breachdesk.services.profiles import load_profiles

PROFILES = SHIPPED_PROFILES
ODL = PROFILES / "odl.toml"


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    """Write ODL's profile to tmp_path with one edit, as a DPO might make by hand."""
    text = ODL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "odl.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def refusal(path: Path) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return caught.value


@pytest.mark.parametrize(("name", "assets"), [("odl", 8), ("sunray", 9)])
def test_both_shipped_profiles_load(name, assets):
    profile = load_profile(PROFILES / f"{name}.toml")

    assert profile.id == name
    assert len(profile.assets) == assets
    assert profile.timezone == "Europe/London"


def test_the_profiles_folder_loads_by_id():
    profiles = load_profiles(PROFILES)

    assert set(profiles) == {"odl", "sunray"}
    assert profiles["sunray"].name == "Sunray Vision"


def test_toml_syntax_error_names_the_file_and_line(tmp_path):
    path = broken_copy(tmp_path, 'name = "ODL"\n', 'name = "ODL\n')

    error = refusal(path)

    line = ODL.read_text(encoding="utf-8").splitlines().index('name = "ODL"') + 1
    assert error.source == str(path)
    assert error.field == f"line {line}"
    assert str(error).startswith(f"{path}: line {line}: not valid TOML: ")


def test_count_written_in_words_names_the_asset_group_and_field(tmp_path):
    path = broken_copy(tmp_path, "count = 150 ", 'count = "many" ')

    assert str(refusal(path)) == (
        f"{path}: assets[0].groups[0].count: must be a whole number of 0 or more, got 'many'"
    )


def test_misspelt_key_in_a_file_is_refused(tmp_path):
    path = broken_copy(tmp_path, "encrypted_in_transit = true", "encrypted_in_transt = true")

    error = refusal(path)

    assert error.field == "assets[1].encrypted_in_transt"
    assert "did you mean 'encrypted_in_transit'?" in error.message


def test_unknown_data_category_in_a_file_is_refused(tmp_path):
    path = broken_copy(tmp_path, '"date_of_birth", "health"]', '"date_of_birth", "dental"]')

    error = refusal(path)

    assert error.field == "assets[0].groups[1].data_categories[2]"
    assert "unknown data category 'dental'" in error.message


def test_duplicate_asset_id_in_a_file_is_refused(tmp_path):
    path = broken_copy(tmp_path, 'id = "backups"', 'id = "lab-server"')

    assert str(refusal(path)) == (
        f"{path}: assets[1].id: duplicate asset id 'lab-server' (also assets[0])"
    )


def test_deleting_the_deputy_section_is_refused(tmp_path):
    text = ODL.read_text(encoding="utf-8")
    start, end = text.index("[deputy]"), text.index("[reminders]")
    path = broken_copy(tmp_path, text[start:end], "")

    error = refusal(path)

    assert error.field == "deputy"
    assert error.message == "is required: who acts when the DPO is away"


def test_renaming_a_section_is_refused_as_an_unknown_key(tmp_path):
    path = broken_copy(tmp_path, "[deputy]", "[depute]")

    error = refusal(path)

    assert error.field == "depute"
    assert error.message == "unknown key; did you mean 'deputy'?"


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.toml"

    assert str(refusal(path)) == f"{path}: file: does not exist"


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "odl.toml"
    path.write_bytes(b'name = "\xff"\n')

    assert str(refusal(path)) == f"{path}: file: is not UTF-8 text"


def test_two_files_with_the_same_profile_id_are_refused(tmp_path):
    (tmp_path / "a.toml").write_text(ODL.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(ODL.read_text(encoding="utf-8"), encoding="utf-8")

    error = refusal_of_folder(tmp_path)

    assert error.source == str(tmp_path / "b.toml")
    assert error.field == "organisation.id"


def refusal_of_folder(folder: Path) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        load_profiles(folder)
    return caught.value
