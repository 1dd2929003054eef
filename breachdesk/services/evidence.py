"""Evidence files: checked by name and content before anything is kept (storage: evidence_storage).

An evidence file can hold the very personal data the breach is about, and whatever an
attacker left behind, so it is treated as hostile: its type is taken from an allowlist and
confirmed from its content, its name is never used on disk, and it is only ever handed back
as a download (UK GDPR Art. 32: security of processing; Art. 5(1)(f)).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO
from typing import Protocol

from werkzeug.utils import secure_filename

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_MAX_CHARS = 120
FIELD = "evidence"


class Upload(Protocol):
    """What a submitted file offers: werkzeug's FileStorage fits."""

    filename: str | None
    stream: BinaryIO


class EvidenceError(ValueError):
    """A file was refused; ``field`` is the form field, the message says why in plain words."""

    def __init__(self, message: str, field: str = FIELD) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class StoredFile:
    """A file written to the evidence folder, ready to become an EvidenceFile row."""

    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def _is_text(data: bytes) -> bool:
    # Text evidence (logs, exports) must be UTF-8 with no NUL: a binary renamed .log fails.
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_json(data: bytes) -> bool:
    if not _is_text(data):
        return False
    try:
        json.loads(data.decode("utf-8"))
    except ValueError:
        return False
    return True


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:")


def _is_email(data: bytes) -> bool:
    # An RFC 5322 message starts with a header line such as "Received:" or "From:".
    return _is_text(data) and bool(_HEADER_LINE.match(data.lstrip(b"\r\n")))


def _starts_with(*magic: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.startswith(magic)


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    looks_right: Callable[[bytes], bool]


_PDF = FileKind("a PDF", "application/pdf", _starts_with(b"%PDF-"))
_TEXT = FileKind("a plain-text file", "text/plain", _is_text)
_ZIP = FileKind("a ZIP archive", "application/zip", _starts_with(b"PK\x03\x04", b"PK\x05\x06"))

#: The allowlist: extension -> what its content must look like (magic bytes or a decode).
KINDS: dict[str, FileKind] = {
    "pdf": _PDF,
    "png": FileKind("a PNG image", "image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    "jpg": FileKind("a JPEG image", "image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "jpeg": FileKind("a JPEG image", "image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "txt": _TEXT,
    "log": _TEXT,
    "csv": FileKind("a CSV file", "text/csv", _is_text),
    "eml": FileKind("an email message", "message/rfc822", _is_email),
    "json": FileKind("a JSON file", "application/json", _is_json),
    "zip": _ZIP,
}


def allowed_extensions() -> str:
    return ", ".join(sorted(KINDS))


def display_name(filename: str | None) -> str:
    """The name as typed, made safe to show: no folders, no control characters, capped."""
    raw = (filename or "").replace("\\", "/").split("/")[-1]
    raw = "".join(ch for ch in raw if ch.isprintable())
    name = secure_filename(raw) or "evidence"
    if len(name) > NAME_MAX_CHARS:
        stem, dot, ext = name.rpartition(".")
        keep = NAME_MAX_CHARS - len(ext) - 1
        name = f"{stem[:keep]}.{ext}" if dot and 0 < len(ext) < 10 else name[:NAME_MAX_CHARS]
    return name


def check(filename: str | None, data: bytes, limit: int) -> FileKind:
    """The file's kind if it may be kept; EvidenceError naming the file otherwise."""
    name = display_name(filename)
    if len(data) > limit:
        raise EvidenceError(f"{name} is larger than the {_size_words(limit)} limit.")
    if not data:
        raise EvidenceError(f"{name} is empty.")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise EvidenceError(
            f"{name}: this type of file is not accepted. Accepted: {allowed_extensions()}."
        )
    if not kind.looks_right(data):
        raise EvidenceError(
            f"{name} is named like {kind.label} but its contents are not: "
            "check it is the right file."
        )
    return kind


@dataclass(frozen=True)
class CheckedFile:
    """A submitted file that passed the checks, held in memory until it is written."""

    original_name: str
    content_type: str
    data: bytes

    def describe(self, stored_name: str) -> StoredFile:
        return StoredFile(
            original_name=self.original_name,
            stored_name=stored_name,
            content_type=self.content_type,
            size=len(self.data),
            sha256=hashlib.sha256(self.data).hexdigest(),
        )


def check_all(uploads: Iterable[Upload], limit: int) -> list[CheckedFile]:
    """Read and check every file before any is written: one refused file keeps none."""
    checked = []
    for upload in uploads:
        data = upload.stream.read(limit + 1)
        kind = check(upload.filename, data, limit)
        checked.append(CheckedFile(display_name(upload.filename), kind.content_type, data))
    return checked


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"
