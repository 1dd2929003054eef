"""The reminder commands: ``breachdesk scheduler`` (runs forever) and ``dispatch-due`` (once)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the reminder scheduler in this process until stopped (its own process in production)."""
    from breachdesk import scheduler
    from breachdesk.startup import StartupError
    from breachdesk.startup import exit_with

    app = current_app._get_current_object()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        handle = scheduler.try_lock(app)
        if handle is None:
            # Two schedulers would still send each reminder once; waiting keeps this a standby.
            click.echo("Another breachdesk scheduler is running; waiting as its standby.")
            handle = scheduler.try_lock(app, wait=True)
    except StartupError as exc:
        exit_with(exc)
    click.echo(
        f"Reminder scheduler running: reminders planned every {scheduler.PLAN_EVERY_SECONDS} s, "
        f"emails sent every {scheduler.SEND_EVERY_SECONDS} s."
    )
    try:
        scheduler.build_scheduler(app, blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Reminder scheduler stopped.")
    finally:
        handle.close()


@click.command("dispatch-due")
@with_appcontext
def dispatch_due_command() -> None:
    """Queue every reminder due now and try to deliver the outbox once (for cron or a check)."""
    from breachdesk.extensions import db
    from breachdesk.services.reminders import mail
    from breachdesk.services.reminders import sweep as reminders
    from breachdesk.timeutil import utcnow

    now = utcnow()
    result = reminders.dispatch_due(now, current_app.config.get("PUBLIC_URL") or "")
    mailer = mail.mailer_for(current_app.config)
    delivery = reminders.deliver_outbox(now, mailer)
    db.session.remove()
    click.echo(
        f"Reminders: {result.queued} queued ({result.messages} emails), "
        f"{result.skipped} skipped, {result.planned} newly due."
    )
    if mailer is None:
        click.echo("No mail server configured: the emails wait in the outbox in the app.")
    else:
        click.echo(f"Emails: {delivery.delivered} delivered, {delivery.failed} failed (retrying).")
