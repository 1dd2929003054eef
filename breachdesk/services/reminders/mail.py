"""Email over SMTP, with STARTTLS or implicit TLS when configured.

Settings come from the instance config or ``BREACHDESK_MAIL_*`` environment variables:
MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS),
MAIL_USE_SSL (TLS from the first byte), MAIL_SENDER, and MAIL_CA_FILE for a private CA.
Without MAIL_SERVER there is no mailer: messages stay in the outbox the DPO reads in the app.
The password is never logged, printed or shown in a settings repr.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from typing import Protocol

#: Per connection and per reply: a server that accepts and then says nothing costs this
#: much, once per message, and only to the outbox job, never to the planning of reminders.
DEFAULT_TIMEOUT_SECONDS = 10.0


class MailError(RuntimeError):
    """A send that failed; the message says why without any secret in it."""


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server; ``password`` is kept out of the repr."""

    server: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False
    use_ssl: bool = False
    ca_file: str | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS


def settings_from_config(config: Mapping[str, Any]) -> MailSettings | None:
    """Read the MAIL_* settings; None when no server is configured (outbox only)."""
    server = (config.get("MAIL_SERVER") or "").strip()
    if not server:
        return None
    use_ssl = _flag(config.get("MAIL_USE_SSL"))
    use_tls = _flag(config.get("MAIL_USE_TLS")) and not use_ssl
    default_port = 465 if use_ssl else 587 if use_tls else 25
    username = config.get("MAIL_USERNAME") or None
    return MailSettings(
        server=server,
        port=int(config.get("MAIL_PORT") or default_port),
        sender=config.get("MAIL_SENDER") or username or f"breachdesk@{server}",
        username=username,
        password=config.get("MAIL_PASSWORD") or None,
        use_tls=use_tls,
        use_ssl=use_ssl,
        ca_file=config.get("MAIL_CA_FILE") or None,
        timeout=float(config.get("MAIL_TIMEOUT") or DEFAULT_TIMEOUT_SECONDS),
    )


def _flag(value: Any) -> bool:
    """A boolean from config, which may be a bool or environment text like "true"."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def mailer_for(config: Mapping[str, Any]) -> SmtpMailer | None:
    """The configured SMTP mailer, or None to keep messages in the outbox."""
    settings = settings_from_config(config)
    return SmtpMailer(settings) if settings else None


def build_message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text email; the domain of the sender names the Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


class SmtpMailer:
    """Sends one message per connection: reminders are few, and a fresh session is simplest."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._context: ssl.SSLContext | None = None

    def _tls_context(self) -> ssl.SSLContext:
        """Certificate-checking TLS, built once: loading the CA store is slow."""
        if self._context is None:
            self._context = ssl.create_default_context(cafile=self.settings.ca_file)
        return self._context

    def send(self, to: str, subject: str, body: str) -> None:
        """Hand one message to the SMTP server; raise MailError if it was not accepted."""
        message = build_message(self.settings.sender, to, subject, body)
        try:
            with self._connect() as smtp:
                if self.settings.username and self.settings.password:
                    smtp.login(self.settings.username, self.settings.password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(_describe(exc, self.settings)) from exc

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.use_ssl:
            return smtplib.SMTP_SSL(
                s.server, s.port, timeout=s.timeout, context=self._tls_context()
            )
        smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        if s.use_tls:
            try:
                smtp.starttls(context=self._tls_context())
            except BaseException:
                smtp.close()
                raise
        return smtp


def _describe(exc: BaseException, settings: MailSettings) -> str:
    """Say what went wrong in words for the outbox page; never includes the password."""
    where = f"{settings.server}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"The mail server {where} refused the username or password."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"The mail server {where} refused the address."
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"Could not set up a secure connection to {where}: {exc}"
    if isinstance(exc, ConnectionRefusedError):
        return f"The mail server {where} refused the connection (is it running?)."
    # smtplib reports a reply that never came as a disconnection caused by the timeout.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return f"The mail server {where} did not answer in time."
    return f"Sending through {where} failed: {type(exc).__name__}: {exc}"
