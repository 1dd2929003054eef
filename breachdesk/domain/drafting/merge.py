"""Mail merge for notices to people: a recipients CSV, and one personal copy per person."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from dataclasses import replace
from email.utils import formataddr

from breachdesk.domain.drafting.model import Draft
from breachdesk.domain.drafting.model import DraftKind
from breachdesk.domain.drafting.people import ADDRESS_SLOT
from breachdesk.domain.drafting.render import escape_inline

HEADER = ["name", "email", "address"]
#: People per recipients file: each download renders one copy per person, so a cap keeps
#: every download to a few seconds of work. A bigger mailing is split into several files.
MAX_RECIPIENTS = 1_000
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
_GREETING = re.compile(r"^Dear .*,[ \t]*$", re.M)


class RecipientsError(ValueError):
    """A recipients file is malformed; the message names the line."""


@dataclass(frozen=True)
class Recipient:
    """One person to send a notice to: an email address, a postal address, or both."""

    name: str
    email: str | None
    address: str | None


def parse_recipients_csv(text: str) -> tuple[Recipient, ...]:
    """Read a "name,email,address" CSV; all rows or none.

    Raises:
        RecipientsError: naming the first bad line; nothing is returned in that case.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    recipients: list[Recipient] = []
    try:
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header] != HEADER:
            raise RecipientsError("line 1: the first line must be the header name,email,address")
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(recipients) == MAX_RECIPIENTS:
                    raise RecipientsError(
                        f"line {start}: a file holds at most {MAX_RECIPIENTS:,} people; "
                        "split it into several files and merge each one"
                    )
                recipients.append(_recipient(row, start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RecipientsError(f"line {reader.line_num}: {exc}") from exc
    if not recipients:
        raise RecipientsError("line 2: the file has no recipients after the header")
    return tuple(recipients)


def _recipient(row: list[str], line: int) -> Recipient:
    if len(row) != len(HEADER):
        raise RecipientsError(
            f"line {line}: expected 3 fields (name,email,address), got {len(row)}"
        )
    name, email, address = (cell.strip() for cell in row)
    if not name.isprintable():
        # The name goes into the To line of an email, where a line break ends the header.
        raise RecipientsError(f"line {line}: put the name on one line, without line breaks")
    if not email and not address:
        raise RecipientsError(f"line {line}: give an email address or a postal address")
    if email and not _EMAIL.match(email):
        raise RecipientsError(f"line {line}: {email!r} is not an email address")
    return Recipient(name=name, email=email or None, address=address or None)


def personalise(draft: Draft, recipient: Recipient) -> Draft:
    """Return the draft addressed to one person: their name in the greeting and, in a
    letter, their name and address in the address block."""
    body = draft.body_markdown
    if recipient.name:
        greeting = f"Dear {escape_inline(recipient.name)},"
        body = _GREETING.sub(lambda _: greeting, body, count=1)
    if draft.kind is DraftKind.PEOPLE_LETTER:
        body = _with_address(body, recipient)
    return replace(draft, body_markdown=body, recipient=_recipient_line(recipient))


def _with_address(body: str, recipient: Recipient) -> str:
    lines = [recipient.name, *(recipient.address or "").splitlines()]
    # Two trailing spaces make Markdown line breaks, so the address keeps its lines.
    block = "  \n".join(escape_inline(line) for line in lines if line.strip())
    if ADDRESS_SLOT in body:
        return body.replace(ADDRESS_SLOT, block, 1)
    return f"{block}\n\n{body}"


def _recipient_line(recipient: Recipient) -> str:
    if recipient.email:
        return formataddr((recipient.name, recipient.email))
    return recipient.name or (recipient.address or "").splitlines()[0]
