"""Render the README's screenshot: the DPO's dashboard on the demo data.

Run with `.venv/bin/python docs/make_screenshot.py`; it uses a throwaway database.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breachdesk import create_app  # noqa: E402
from breachdesk.extensions import db  # noqa: E402
from breachdesk.services.demo import load_demo  # noqa: E402
from tests.browser.conftest import CHROMIUM  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "screenshot",
                "OUTBOX_DIR": folder,
                "EVIDENCE_DIR": folder,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.sqlite",
            }
        )
        with app.app_context():
            db.create_all()
            load_demo(app.extensions["breachdesk"].profile)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(f"{base}/auth/login")
            page.get_by_label("Username").fill("dpo")
            page.get_by_label("Password", exact=True).fill("dpo-demo-password")
            page.get_by_role("button", name="Sign in").click()
            page.goto(f"{base}/incidents/")
            page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
            browser.close()
        server.shutdown()
    print("docs/screenshot.png written")


if __name__ == "__main__":
    main()
