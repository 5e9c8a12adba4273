"""The job queue (huey): one `huey` object every task is declared on, configured per app.

- `QUEUE_URL` empty: `SqliteStorage` on `QUEUE_FILE` (instance/queue.db), shared by the web
  workers and the job worker of one host; `make run` needs nothing else.
- `redis://host:6379/0`: `RedisStorage`, for several app servers sharing the work.
- `memory://`: an in-process queue served by one thread (tests, `make dev`): still
  asynchronous, like the real thing, and `drain()` waits for it.

The worker is `huey_consumer worker.huey` (see worker.py and the Procfile). A task runs in an
app context (`app_context()`) with its own database connection, never inside a request.

This module is a leaf: it imports no feature, so any feature may declare tasks on `huey`.
"""
import logging
import threading
import time
from contextlib import contextmanager

from flask import current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from models import db

log = logging.getLogger("opora.jobs")

huey = Huey("opora", results=False, storage_class=MemoryStorage)  # results: kept in the database
_app = None  # the app tasks run in, in this process (the last one configured)
_local = {"thread": None, "busy": 0, "wake": threading.Event(), "lock": threading.Lock()}


def storage_for(url, filename, name):
    """(storage class, kwargs) for a queue URL."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    if url.startswith("memory://"):
        return MemoryStorage, {}
    if url:
        raise ValueError(f"OPORA_QUEUE_URL: unknown queue {url!r} (redis://… or empty)")
    return SqliteStorage, {"filename": filename}


def configure(url="", filename="queue.db", name="opora"):
    """Point `huey` at the queue of this URL (a fresh storage object)."""
    storage_class, kwargs = storage_for(url, filename, name)
    huey.name = name
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey.storage = huey.create_storage()
    if storage_class is MemoryStorage:
        _start_local_worker()


def init_app(app):
    """Configure the queue from the app's settings; tasks of this process run in this app.

    A TESTING app always gets the in-process queue (whatever OPORA_QUEUE_URL says); a test
    that runs real workers calls configure() itself."""
    global _app
    _app = app
    url = "memory://" if app.testing else app.config["QUEUE_URL"]
    configure(url, app.config["QUEUE_FILE"], app.config["QUEUE_NAME"])


def is_local():
    return huey.storage_class is MemoryStorage


def on_worker_start(resume, what):
    """Run `resume()` in an app context when a worker starts (huey on_startup): work a killed
    worker or a lost message left unfinished. `what` names it in the log; a failure is logged,
    never raised — a worker must start even if the database is not ready yet."""
    def run():
        try:
            with app_context():
                resume()
        except Exception:
            log.exception("could not resume %s", what)
    huey.on_startup(name=f"resume {what}")(run)  # named: each resume its own hook
    return resume


@contextmanager
def app_context():
    """The app a task runs in, with a database connection of its own for the task."""
    if has_app_context():
        app = current_app._get_current_object()
    else:
        app = _app
        if app is None:  # the worker imports the app first (worker.py), which sets it
            raise RuntimeError("the job queue has no app: start the worker as worker.huey")
    with app.app_context():
        opened = db.is_closed()
        db.connect(reuse_if_open=True)
        try:
            yield app
        finally:
            if opened and not db.is_closed():
                db.close()


# --- memory://: one daemon thread runs the tasks of this process ------------------------------


def _local_loop():
    while True:
        with _local["lock"]:  # taken and counted at once: drain() never sees it in between
            try:
                task = huey.dequeue() if is_local() else None
            except Exception:  # the storage was swapped while reading
                task = None
            if task is not None:
                _local["busy"] += 1
        if task is None:
            _local["wake"].wait(0.05)
            _local["wake"].clear()
            continue
        try:
            huey.execute(task)
        except Exception:
            log.exception("task %s failed", task)
        finally:
            _local["busy"] -= 1


def _start_local_worker():
    thread = _local["thread"]
    if thread is None or not thread.is_alive():
        thread = threading.Thread(target=_local_loop, name="opora-jobs", daemon=True)
        _local["thread"] = thread
        thread.start()


@huey.signal("enqueued")
def _wake(signal, task):
    _local["wake"].set()


def drain(timeout=60):
    """Wait until the in-process queue is empty and idle (memory:// only; tests, shutdown).

    Returns True when it emptied in time."""
    if not is_local():
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _local["lock"]:
            if huey.pending_count() == 0 and _local["busy"] == 0:
                return True
        _local["wake"].set()
        time.sleep(0.02)
    return False
