"""The app for a production WSGI server: ``gunicorn breachdesk.wsgi:app``.

Configuration comes from the instance folder and ``BREACHDESK_*`` variables, as for every
command. The reminder scheduler is never started here: it runs as its own process
(``breachdesk scheduler``), so however many workers serve pages, none of them sends email.
"""

from breachdesk import create_app
from breachdesk.startup import StartupError
from breachdesk.startup import exit_with
from breachdesk.startup import sweep_evidence

#: gunicorn's code for "the application could not be loaded": it stops, where on any other
#: code it would start the worker again, and fail again, for ever.
APP_LOAD_ERROR = 4

try:
    app = create_app()
    sweep_evidence(app)
except StartupError as exc:
    exit_with(exc)
except SystemExit as exc:  # create_app said why on stderr already
    raise SystemExit(APP_LOAD_ERROR) from exc
