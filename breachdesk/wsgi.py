"""The app for a production WSGI server: ``gunicorn breachdesk.wsgi:app``.

Configuration comes from the instance folder and ``BREACHDESK_*`` variables, as for every
command. The reminder scheduler is never started here: it runs as its own process
(``breachdesk scheduler``), so however many workers serve pages, none of them sends email.
"""

from breachdesk import create_app
from breachdesk.startup import sweep_evidence

app = create_app()
sweep_evidence(app)
