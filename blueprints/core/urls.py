"""Addresses the app builds: redirects only to its own pages, absolute links only from the
configured site address (never from the request's Host header, which a client chooses)."""
import unicodedata
from urllib.parse import urlsplit

from flask import current_app, url_for


def local_path(target, default="/"):
    """`target` if it is a path on this site, else `default`.

    Browsers drop tabs and newlines from a URL and read «\\» as «/», so «/\\t/evil.example»
    would become «//evil.example» (another site): any control character, whitespace or
    backslash is refused outright, not cleaned.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ch.isspace() or ch == "\\" or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
           for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or len(target) > 2000:
        return default
    return target


def site_url():
    """The public address of this app (OPORA_SITE_URL), without a trailing slash."""
    return current_app.config["SITE_URL"].rstrip("/")


def external_url(endpoint, **values):
    """An absolute link for feeds, CSV and documents: the configured site address + the path."""
    return site_url() + url_for(endpoint, **values)


def back_path(referrer, default):
    """The local page the user came from (path and query of the Referer), else `default`."""
    parts = urlsplit(referrer or "")
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""), default)
