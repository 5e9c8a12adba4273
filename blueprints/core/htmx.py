"""One place decides whether a request gets a full page or only a fragment."""
from flask import render_template
from flask_htmx import HTMX

htmx = HTMX()


def wants_fragment():
    """A fragment only for htmx requests that are not boosted navigation."""
    return bool(htmx) and not htmx.boosted


def render_page_or_fragment(page_template, fragment_template, /, status=200, **context):
    return render_template(fragment_template if wants_fragment() else page_template, **context), status
