"""breachdesk: breach response and incident tracking."""


def create_app(test_config=None, *, check_database_now=True):
    """Build the Flask app (imported lazily so the domain and `assess` stay light).

    A start-up problem (a read-only or full disk, a database from a newer breachdesk) is
    one line on stderr and exit status 1, for every way of starting: commands, gunicorn.
    The ``breachdesk`` command line passes ``check_database_now=False`` and checks the
    database only before a command that uses it.
    """
    from breachdesk.app import build_app
    from breachdesk.startup import StartupError
    from breachdesk.startup import exit_with

    try:
        return build_app(test_config, check_database_now=check_database_now)
    except StartupError as exc:
        exit_with(exc)
