"""Cross-cutting pieces: filters, htmx, security headers, error pages."""
from . import errors, filters, headers
from .htmx import htmx


def init_core(app):
    htmx.init_app(app)
    filters.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
