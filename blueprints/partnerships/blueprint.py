"""The partnerships blueprint object, in a leaf module: every view module registers on it and
routes.py gathers them, so nothing imports back."""
from flask import Blueprint

bp = Blueprint("partnerships", __name__, url_prefix="/partnerships", cli_group=None)
