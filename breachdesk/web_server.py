"""Serving the app with gunicorn, the production WSGI server, from the ``serve`` command.

gunicorn rather than waitress: it runs several worker processes, so pages use every core
(waitress's threads share one interpreter lock), it restarts a worker that dies or hangs
past its timeout, and it is the server most hosting guides describe for Flask on Linux,
where this desk runs. Each worker also runs a few threads, so one slow page (a long CSV
export) does not hold up the others. ``gunicorn breachdesk.wsgi:app`` serves the same app.
"""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

THREADS_PER_WORKER = 4
TIMEOUT_SECONDS = 60


class _Server(BaseApplication):
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, host: str, port: int, workers: int) -> None:
    """Serve ``app`` on ``host:port`` with ``workers`` processes until stopped."""

    def fresh_connections(server, worker) -> None:
        # The workers are forks of this process: each opens its own database connections
        # instead of sharing the ones this process already had open.
        from breachdesk.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
        # Everything loaded so far (the app, its templates, the mappers) lives as long as the
        # worker: kept out of the garbage collector's sweeps, which then look only at what
        # requests allocate.
        gc.freeze()

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "timeout": TIMEOUT_SECONDS,
        "post_fork": fresh_connections,
    }
    _Server(app, options).run()
