"""The outbox: every email is a row first, handed to SMTP afterwards, never swallowed.

Delivery claims a message (``sending_since``) with a conditional UPDATE before talking to
the server, so two deliverers never send one message twice. A failed send is retried with
backoff and its error kept for the DPO. A message claimed but not delivered after
``STUCK_AFTER`` (the process died mid-send, so the server may or may not have it) is shown
as "check manually" and never resent by itself: a doubled reminder is worse than a flagged one.
Every DPO gets an alert in the app for it, once per stuck send, not at every run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy import update

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import Notification
from breachdesk.models import OutboxMessage
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.services import audit
from breachdesk.services.reminders.mail import Mailer
from breachdesk.services.reminders.mail import MailError

STUCK_AFTER = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 200


class MessageState(StrEnum):
    """Where a message stands, as the outbox page shows it."""

    DELIVERED = "delivered"
    CHECK_MANUALLY = "check manually"
    SENDING = "sending"
    RETRYING = "failed, retrying"
    QUEUED = "queued"


@dataclass(frozen=True)
class DeliveryResult:
    delivered: int
    failed: int


def retry_delay(attempts: int) -> timedelta:
    """Backoff after ``attempts`` failures: 1, 2, 4 ... minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def state_of(message: OutboxMessage, now: datetime) -> MessageState:
    """How one message stands at ``now``."""
    if message.delivered_at is not None:
        return MessageState.DELIVERED
    if message.sending_since is not None:
        if now - message.sending_since >= STUCK_AFTER:
            return MessageState.CHECK_MANUALLY
        return MessageState.SENDING
    if message.attempts:
        return MessageState.RETRYING
    return MessageState.QUEUED


def deliver_outbox(
    now: datetime, mailer: Mailer | None, budget_seconds: float | None = None
) -> DeliveryResult:
    """Hand every message whose time has come to ``mailer``; None keeps them in the outbox.

    No new message is started once ``budget_seconds`` are spent: with a slow mail server the
    rest wait for the next run instead of piling up behind it. Sends left unfinished by an
    earlier run are flagged to the DPO first.
    """
    alert_unknown_sends(now)
    if mailer is None:
        return DeliveryResult(0, 0)
    started = time.monotonic()
    query = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.sending_since.is_(None),
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(BATCH)
    )
    ids = list(db.session.scalars(query))
    db.session.commit()
    delivered = failed = 0
    for message_id in ids:
        if budget_seconds is not None and time.monotonic() - started >= budget_seconds:
            break
        outcome = _deliver_one(message_id, now, mailer)
        delivered += outcome is True
        failed += outcome is False
    return DeliveryResult(delivered, failed)


def alert_unknown_sends(now: datetime) -> int:
    """Alert every DPO to each message now "check manually", once per message; how many."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.delivered_at.is_(None),
        OutboxMessage.sending_since <= now - STUCK_AFTER,
        OutboxMessage.check_alerted_at.is_(None),
    )
    ids = list(db.session.scalars(query))
    dpos = accounts.users_with_role(Role.DPO) if ids else []
    alerted = 0
    for message_id in ids:
        # Conditional, so two schedulers at once raise one alert, not two.
        claim = (
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.check_alerted_at.is_(None))
            .values(check_alerted_at=now)
            .execution_options(synchronize_session=False)
        )
        if db.session.execute(claim).rowcount != 1:
            continue
        message = db.session.get(OutboxMessage, message_id)
        about = f" about {message.incident.reference}" if message.incident else ""
        text = (
            f"The email to {message.to}{about} may or may not have been sent: the sending "
            "stopped half-way. Check with them, then mark it on the Outbox page."
        )
        for dpo in dpos:
            db.session.add(
                Notification(user_id=dpo.id, incident_id=message.incident_id, message=text)
            )
        alerted += 1
    db.session.commit()
    return alerted


def _claim(message_id: int, now: datetime) -> bool:
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sending_since.is_(None),
            OutboxMessage.delivered_at.is_(None),
        )
        .values(sending_since=now)
        .execution_options(synchronize_session=False)
    )
    won = db.session.execute(statement).rowcount == 1
    # Committed before the send: if we die mid-send, the claim shows as "check manually".
    db.session.commit()
    return won


def _deliver_one(message_id: int, now: datetime, mailer: Mailer) -> bool | None:
    """Send one message; True delivered, False failed (will retry), None not ours."""
    if not _claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id)
    try:
        mailer.send(message.to, message.subject, message.body)
    except MailError as exc:
        message.attempts += 1
        message.last_error = str(exc)[:2000]
        message.next_attempt_at = now + retry_delay(message.attempts)
        message.sending_since = None
        db.session.commit()
        return False
    message.attempts += 1
    message.delivered_at = now
    db.session.commit()
    return True


@dataclass(frozen=True)
class OutboxView:
    """The outbox as the DPO sees it, grouped by what needs their attention."""

    check_manually: list[OutboxMessage]
    retrying: list[OutboxMessage]
    waiting: list[OutboxMessage]
    delivered: list[OutboxMessage]


def overview(now: datetime, delivered_limit: int = 50) -> OutboxView:
    """Every undelivered message, and the latest delivered ones."""
    pending = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.delivered_at.is_(None))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    delivered = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.delivered_at.is_not(None))
        .order_by(OutboxMessage.delivered_at.desc(), OutboxMessage.id.desc())
        .limit(delivered_limit)
    ).all()
    groups: dict[MessageState, list[OutboxMessage]] = {state: [] for state in MessageState}
    for message in pending:
        groups[state_of(message, now)].append(message)
    return OutboxView(
        check_manually=groups[MessageState.CHECK_MANUALLY],
        retrying=groups[MessageState.RETRYING],
        waiting=groups[MessageState.QUEUED] + groups[MessageState.SENDING],
        delivered=list(delivered),
    )


def troubles_of(incident_id: int, now: datetime) -> dict[MessageState, int]:
    """How many of an incident's emails failed or need a manual check, by state."""
    query = select(OutboxMessage).where(
        OutboxMessage.incident_id == incident_id,
        OutboxMessage.delivered_at.is_(None),
        (OutboxMessage.attempts > 0) | OutboxMessage.sending_since.is_not(None),
    )
    counts: dict[MessageState, int] = {}
    for message in db.session.scalars(query):
        state = state_of(message, now)
        if state in (MessageState.RETRYING, MessageState.CHECK_MANUALLY):
            counts[state] = counts.get(state, 0) + 1
    return counts


class OutboxError(ValueError):
    """An outbox action that cannot be taken."""


def _waiting_for_check(message_id: int, now: datetime) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise OutboxError("There is no such message in the outbox.")
    if message.delivered_at is not None:
        raise OutboxError("That message was delivered; there is nothing to check.")
    if message.sending_since is None or now - message.sending_since < STUCK_AFTER:
        raise OutboxError("That message is not waiting for a manual check.")
    return message


def release(message_id: int, now: datetime, actor: User) -> OutboxMessage:
    """The DPO checked a "check manually" message never arrived: allow one more send."""
    message = _waiting_for_check(message_id, now)
    message.sending_since = None
    message.check_alerted_at = None  # should this send stop half-way too, the DPO hears again
    message.next_attempt_at = now
    message.last_error = "Released for another send after a manual check."
    _audit(message, actor, f"Email to {message.to} released for another send after a check")
    db.session.commit()
    return message


def mark_delivered(message_id: int, now: datetime, actor: User) -> OutboxMessage:
    """The DPO checked a "check manually" message did arrive: stop flagging it."""
    message = _waiting_for_check(message_id, now)
    message.delivered_at = now
    message.last_error = "Marked delivered after a manual check."
    _audit(message, actor, f"Email to {message.to} confirmed delivered after a check")
    db.session.commit()
    return message


def _audit(message: OutboxMessage, actor: User, summary: str) -> None:
    if message.incident is not None:
        audit.record(message.incident, actor, "outbox-checked", summary, message_id=message.id)
