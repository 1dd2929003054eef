"""The audit trail as a hash chain, and the walk that finds where it was tampered with.

Each event's hash covers its content and the hash of the event before it, so changing,
removing or inserting an event behind the app's back breaks the chain at that event. The
position (``seq``) is not hashed: it only orders the walk, so a forger who renumbers the
events to slip one in still leaves the next event pointing past it.

A chain rewritten from the tampered event to the end with fresh hashes cannot be told from
a genuine one by the chain alone; the head hash is printed by every check and written into
every backup manifest so that a copy kept elsewhere can be compared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

#: The hash "before" the first event.
GENESIS = "0" * 64

#: Bumped if the hashed content ever changes shape; part of every hash.
CHAIN_VERSION = 1


@dataclass(frozen=True)
class ChainEvent:
    """What of one stored event the chain covers, plus where it sits and what it claims."""

    seq: int
    at: datetime
    actor_id: int | None
    incident_id: int | None
    subject: str
    subject_id: int | None
    kind: str
    summary: str
    details: Any
    before: Any
    after: Any
    prev_hash: str
    hash: str


def canonical(value: Any) -> str:
    """One spelling of a JSON value whatever the database returned it as."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


#: What of an event its hash covers, besides the hash of the event before it.
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "incident_id",
    "subject",
    "subject_id",
    "kind",
    "summary",
    "details",
    "before",
    "after",
)


def event_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 of an event's content (``CONTENT_FIELDS``) and the hash of the one before."""
    at: datetime = content["at"]
    hashed = {name: content[name] for name in CONTENT_FIELDS} | {
        "v": CHAIN_VERSION,
        "prev": prev_hash,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return hashlib.sha256(canonical(hashed).encode("utf-8")).hexdigest()


def recomputed_hash(event: ChainEvent) -> str:
    return event_hash(event.prev_hash, {name: getattr(event, name) for name in CONTENT_FIELDS})


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold: which event, and what was done to it."""

    seq: int
    what: str  # "changed", "removed" or "inserted"
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_hash: str
    problem: Break | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(events: Iterable[ChainEvent], head_seq: int | None = None) -> ChainReport:
    """Walk ``events`` in ``seq`` order and report the first event that breaks the chain.

    ``head_seq`` is the last position the app recorded (its lock row); events missing from
    the end show against it.
    """
    expected_seq, prev_hash = 1, GENESIS
    previous: ChainEvent | None = None
    checked = 0
    for event in events:
        problem = _check(event, expected_seq, prev_hash, previous, head_seq)
        if problem is not None:
            return ChainReport(checked=checked, head_hash=prev_hash, problem=problem)
        checked += 1
        expected_seq, prev_hash, previous = event.seq + 1, event.hash, event
    if head_seq is not None and head_seq >= expected_seq:
        missing = _span(expected_seq, head_seq)
        problem = Break(
            expected_seq, "removed", f"{missing} removed from the end of the audit trail."
        )
        return ChainReport(checked=checked, head_hash=prev_hash, problem=problem)
    return ChainReport(checked=checked, head_hash=prev_hash, problem=None)


def _check(
    event: ChainEvent,
    expected_seq: int,
    prev_hash: str,
    previous: ChainEvent | None,
    head_seq: int | None,
) -> Break | None:
    seq = event.seq
    if seq < expected_seq:
        return Break(seq, "inserted", f"Event #{seq} was inserted: that place was already taken.")
    if seq > expected_seq:
        return Break(expected_seq, "removed", f"{_span(expected_seq, seq - 1)} removed.")
    if recomputed_hash(event) != event.hash:
        if head_seq is not None and seq > head_seq:
            return Break(seq, "inserted", f"Event #{seq} was inserted after the last one.")
        return Break(seq, "changed", f"Event #{seq} was changed after it was written.")
    if event.prev_hash == prev_hash:
        return None
    if previous is not None and event.prev_hash == previous.prev_hash:
        # This event still points past the one before it: that one was slipped in.
        return Break(previous.seq, "inserted", f"Event #{previous.seq} was inserted.")
    if previous is None:
        return Break(seq, "changed", f"Event #{seq} was changed: it no longer starts the chain.")
    return Break(
        previous.seq,
        "changed",
        f"Event #{previous.seq} was changed after it was written, or an event after it "
        f"was removed: event #{seq} no longer links to it.",
    )


def _span(first: int, last: int) -> str:
    return f"Event #{first} was" if first == last else f"Events #{first} to #{last} were"
