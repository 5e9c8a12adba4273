"""The job worker's entry point: `huey_consumer worker.huey` (see the Procfile).

Importing the app configures the queue from the same settings as the web server
(OPORA_QUEUE_URL, DATABASE_URL, STORAGE_DIR…) and declares every task.
"""
from app import app  # noqa: F401  (configures `huey` and imports every task)
from blueprints.jobs import engine  # noqa: F401  (bulk jobs, their resume on start)
from blueprints.jobs.queue import huey  # noqa: F401
from blueprints.jobs import priority

# `nice -n 19` (Procfile) also against the web server's session, not only inside our own.
priority.hold_back()
