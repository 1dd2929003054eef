"""Evidence files: the size limit, type checks by name and content, names that cannot escape,
and a file on disk only once its row is saved."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from breachdesk.services import evidence
from breachdesk.services.evidence import EvidenceError
from breachdesk.services.evidence_storage import EvidenceFolder
from breachdesk.services.evidence_storage import publish
from breachdesk.services.evidence_storage import stage_all

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60
HTML = b"<!doctype html><html><script>alert(1)</script></html>"


def upload(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def folder(tmp_path) -> EvidenceFolder:
    """The evidence folder and a 1 KB limit: no app, the service is given both."""
    return EvidenceFolder(tmp_path / "evidence", max_bytes=1024)


def folder_files(folder: EvidenceFolder) -> list[Path]:
    return sorted(folder.path.glob("*"))


def store_all(uploads, folder: EvidenceFolder):
    """Stage the files and move them into place, as once their rows are committed."""
    staged = stage_all(uploads, folder)
    publish(staged)
    return [item.stored for item in staged]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", PDF),
        ("screen.png", PNG),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("firewall.log", "2026-11-20 11:02 deny 185.220.101.4 → lab-server\n".encode()),
        ("export.csv", b"time,ip\n11:02,185.220.101.4\n"),
        ("phish.eml", b"Received: from mx.example\r\nFrom: a@example.com\r\n\r\nHello\r\n"),
        ("iocs.json", b'{"ips": ["185.220.101.4"]}'),
        ("bundle.zip", b"PK\x03\x04" + b"\x00" * 26),
    ],
)
def test_allowed_files_are_kept_with_their_sha256(folder, name, data):
    [stored] = store_all([upload(name, data)], folder)

    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.original_name == name
    assert folder.path_of(stored.stored_name).read_bytes() == data


def test_a_file_over_the_limit_is_refused(folder):
    with pytest.raises(EvidenceError, match="larger than the 1 KB limit"):
        store_all([upload("big.txt", b"a" * 1025)], folder)
    assert folder_files(folder) == []


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("invoice.pdf", EXE, "named like a PDF but its contents are not"),
        ("invoice.pdf", HTML, "named like a PDF but its contents are not"),
        ("notes.txt", b"text\x00with a NUL", "named like a plain-text file"),
        ("notes.log", b"\xff\xfe\xfa not utf-8", "named like a plain-text file"),
        ("iocs.json", b"{not json", "named like a JSON file"),
        ("screen.png", HTML, "named like a PNG image"),
        ("setup.exe", EXE, "this type of file is not accepted"),
        ("page.html", HTML, "this type of file is not accepted"),
        ("noextension", b"hello", "this type of file is not accepted"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_wrong_or_disguised_types_are_refused(folder, name, data, words):
    with pytest.raises(EvidenceError, match=words):
        store_all([upload(name, data)], folder)
    assert folder_files(folder) == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system32\\evil.txt", "evil.txt"),
        ("C:\\Users\\it\\evil.txt", "evil.txt"),
        ("evil\x00.txt", "evil.txt"),
        ("../.txt", "txt"),
    ],
)
def test_path_tricks_in_the_name_never_leave_the_evidence_folder(folder, tmp_path, name, shown):
    if not shown.endswith(".txt"):
        with pytest.raises(EvidenceError):
            store_all([upload(name, b"hello\n")], folder)
        return
    [stored] = store_all([upload(name, b"hello\n")], folder)

    assert stored.original_name == shown
    assert "/" not in stored.stored_name
    assert "\\" not in stored.stored_name
    [on_disk] = folder_files(folder)
    assert on_disk.name == stored.stored_name
    assert on_disk.parent == folder.path.resolve()
    assert not (tmp_path / "etc").exists()


def test_the_stored_name_is_random_and_never_the_users(folder):
    first, second = store_all([upload("a.txt", b"one\n"), upload("a.txt", b"two\n")], folder)
    assert first.stored_name != second.stored_name
    assert re.fullmatch(r"[0-9a-f]{32}", first.stored_name)
    assert all("a.txt" not in p.name for p in folder_files(folder))


def test_one_refused_file_removes_the_files_already_written(folder):
    with pytest.raises(EvidenceError, match="setup.pdf"):
        store_all(
            [upload("good.txt", b"fine\n"), upload("good.png", PNG), upload("setup.pdf", EXE)],
            folder,
        )
    assert folder_files(folder) == []


def test_long_names_are_capped_and_keep_their_extension(folder):
    [stored] = store_all([upload("x" * 400 + ".txt", b"hi\n")], folder)
    assert len(stored.original_name) == evidence.NAME_MAX_CHARS
    assert stored.original_name.endswith(".txt")


@pytest.mark.parametrize("stored_name", ["../secret_key", "/etc/passwd", "a" * 31, "G" * 32])
def test_a_stored_name_that_could_escape_is_refused(folder, stored_name):
    with pytest.raises(EvidenceError):
        folder.path_of(stored_name)
