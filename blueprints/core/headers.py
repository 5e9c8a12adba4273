"""Security headers on every response, and `Vary: HX-Request` for caches.

`frame-src 'self'`: the public page shows its PDF in an <iframe> from this site (the PDF
response carries a CSP of its own, listing.show_pdf); nothing else may be framed."""
from flask import request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-src 'self'; frame-ancestors 'self'"
)


def init_app(app):
    @app.after_request
    def _security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "SAMEORIGIN")
        # Not no-referrer: Flask-WTF's HTTPS check needs a same-origin Referer.
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["OPORA_HTTPS"]:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        h.add("Vary", "HX-Request")
        if request.endpoint != "static" and current_user.is_authenticated:
            # Set, not defaulted: send_file's own «no-cache» would still let a shared proxy or
            # the browser's disk keep a private download.
            h["Cache-Control"] = "private, no-store"
        return response
