"""Cross-cutting pieces: filters, htmx, security headers, error pages."""
from werkzeug.routing import IntegerConverter

from . import errors, filters, headers
from .forms import INT_MAX
from .htmx import htmx


class BoundedInt(IntegerConverter):
    """`<int:id>` never exceeds a database integer: a huge id is a 404, not an overflow 500."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", INT_MAX)
        super().__init__(url_map, *args, **kwargs)


def init_core(app):
    app.url_map.converters["int"] = BoundedInt
    htmx.init_app(app)
    filters.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
