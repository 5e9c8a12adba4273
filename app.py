"""Opora: the application factory and the module-level app for gunicorn and `flask --app app`."""
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import config
import models
from blueprints import register_blueprints
from blueprints.auth.access import init_access
from blueprints.core import init_core
from blueprints.core.cli import register_cli
from blueprints.jobs import queue

csrf = CSRFProtect()


def create_app(test_config=None):
    """Build the app: settings, database hooks, CSRF, access rules, blueprints, commands.

    No database connection is opened here: gunicorn may fork after this runs.
    """
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    Path(app.config["STORAGE_DIR"]).mkdir(parents=True, exist_ok=True)

    models.init_app(app)
    queue.init_app(app)  # huey: SQLite file, Redis or in-process (QUEUE_URL)
    csrf.init_app(app)
    init_core(app)
    init_access(app)
    register_blueprints(app)
    register_cli(app)
    return app


app = create_app()
