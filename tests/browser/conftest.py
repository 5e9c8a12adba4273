"""Browser tests: a real Chromium against the app served by a live server on a demo database.

The server is built here, on its own temporary directory and SQLite file, and never shares the
`app` fixture of tests/conftest.py. The peewee `db` proxy is global and every create_app()
re-points it, so each browser test first points it back at the live server's database.
"""
import os
import re
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("OPORA_SHOTS_DIR", "/tmp/opora-shots"))
DEMO_PASSWORD = "demo"


class LiveServer:
    def __init__(self, app, database, url):
        self.app, self.database, self.url = app, database, url


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from werkzeug.serving import make_server

    from app import create_app
    from blueprints.core.demo import load_demo
    from models import db
    from models.migrations import upgrade

    tmp = tmp_path_factory.mktemp("opora-live")
    app = create_app({
        "TESTING": False,
        "SECRET_KEY": "browser-test-secret",
        "DATABASE_URL": f"sqlite:///{tmp / 'opora.db'}",
        "STORAGE_DIR": str(tmp / "storage"),
        "OPORA_DEMO": True,
        # Demo passwords are hashed once at load and checked at each sign-in: keep it quick.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Jobs (PDF, packages) on a thread of the live server: no separate worker here.
        "QUEUE_URL": "memory://",
    })
    database = db.obj  # the Database create_app() just pointed the proxy at
    with app.app_context(), db.connection_context():
        upgrade(db)
        load_demo()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="opora-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, database, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(autouse=True)
def _live_database(live_server):
    """Point the global `db` proxy back at the live server's database (another module's
    create_app() may have re-pointed it), and leave it there for the server's threads."""
    from models import db

    if db.obj is not live_server.database:
        db.initialize(live_server.database)
    yield


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Problems(list):
    """Console errors, uncaught page errors and server errors seen by one test's page."""

    def __init__(self):
        super().__init__()
        self.allowed = []

    def allow(self, pattern):
        """Expect console messages matching `pattern` (e.g. the browser's note on a 404 or 422)."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self):
        return [p for p in self if not any(rx.search(p) for rx in self.allowed)]


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) and page; fails the test on any console error,
    JavaScript error (CSP violations are console errors) or 5xx response."""
    context = browser.new_context(base_url=live_server.url, locale="ru-RU",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    problems = Problems()
    pg.on("console", lambda msg: problems.append(f"console.{msg.type}: {msg.text} @ {msg.location}")
          if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    pg.on("response", lambda r: problems.append(f"HTTP {r.status} {r.request.method} {r.url}")
          if r.status >= 500 else None)
    pg.problems = problems
    yield pg
    context.close()
    unexpected = problems.unexpected()
    assert not unexpected, "Browser reported errors:\n" + "\n".join(unexpected)


@pytest.fixture
def shot():
    """shot(page, 'name'): a full-page screenshot into /tmp/opora-shots/name.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(pg, name):
        path = SHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path
    return take


def log_in(pg, login, password=DEMO_PASSWORD):
    """Sign in through the login form; returns once the dashboard is shown."""
    pg.goto("/login")
    pg.locator("#login").fill(login)
    pg.locator("#password").fill(password)
    pg.get_by_role("button", name="Войти").click()
    pg.get_by_role("heading", name=re.compile(r"^Здравствуйте, ")).wait_for()
    return pg
