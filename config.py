"""Configuration: documented defaults, overridden by environment variables.

Every setting a deployment may change is read here and nowhere else, so the
README's configuration table and this file say the same thing.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _secret_key(instance_path):
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path, "secret_key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive create: two workers starting at once must not write two keys.
        try:
            with open(path, "x", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32))
            path.chmod(0o600)
        except FileExistsError:
            pass
    return path.read_text(encoding="ascii").strip()


# Uploaded .docx/.xlsx (templates, imports, evidence), checked by blueprints/core/archives.py
# while really inflating, whatever the zip's headers say; one limit for every user and form.
ARCHIVE_LIMITS = {
    # Parts in one file: Word writes ~20, a workbook ~15 plus a few per sheet.
    "ARCHIVE_MAX_ENTRIES": 300,
    # All parts together, inflated (a 5,000-row directory sheet is ~4 MB of XML).
    "ARCHIVE_MAX_UNPACKED": 30 * 1024 * 1024,
    # One part, inflated.
    "ARCHIVE_MAX_ENTRY": 20 * 1024 * 1024,
    # A part over 100 KB compressed more than this many times is taken for a zip bomb.
    "ARCHIVE_MAX_RATIO": 100,
}


def load(instance_path):
    """Return the settings dict for an app whose instance folder is ``instance_path``."""
    https = _env_bool("OPORA_HTTPS", False)
    return {
        # Database: SQLite file in instance/ by default; postgresql://user@host/db for several servers.
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "sqlite:///" + str(Path(instance_path, "opora.db"))
        ),
        # Signing key for sessions and CSRF tokens; generated into instance/secret_key when unset.
        "SECRET_KEY": _secret_key(instance_path),
        # Where generated documents and uploads are kept (content-addressed).
        "STORAGE_DIR": os.environ.get("STORAGE_DIR", str(Path(instance_path, "storage"))),
        # Background jobs (huey): empty = a SQLite queue file in instance/ (one host);
        # redis://host:6379/0 for several app servers; memory:// = a thread in this process
        # (tests, `make dev`).
        "QUEUE_URL": os.environ.get("OPORA_QUEUE_URL", ""),
        "QUEUE_FILE": os.environ.get("OPORA_QUEUE_FILE", str(Path(instance_path, "queue.db"))),
        # Queue name (the key prefix in Redis): two instances on one Redis need different names.
        "QUEUE_NAME": os.environ.get("OPORA_QUEUE_NAME", "opora"),
        # Seconds a worker pauses after each item of a bulk job (0: none; tests slow a batch down).
        "JOB_ITEM_PAUSE": float(os.environ.get("OPORA_JOB_ITEM_PAUSE") or 0),
        # Load demo organisations and accounts into a new database.
        "OPORA_DEMO": _env_bool("OPORA_DEMO", True),
        # A working day: after this a session ends and the user signs in again.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_env_int("OPORA_SESSION_HOURS", 10)),
        # Counted from sign-in, so the cookie is not re-signed and re-sent on every request.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Largest request body (a 20 MB body gets 413 with a Russian page).
        "MAX_CONTENT_LENGTH": _env_int("OPORA_MAX_BODY_MB", 10) * 1024 * 1024,
        # Largest uploaded file (imports, templates), checked before parsing.
        "MAX_UPLOAD_BYTES": _env_int("OPORA_MAX_UPLOAD_MB", 5) * 1024 * 1024,
        # Largest signed scan of an agreement, all its pages together (the scan upload alone
        # raises the request body limit to this).
        "SCAN_MAX_BYTES": _env_int("OPORA_SCAN_MAX_MB", 20) * 1024 * 1024,
        # Limits on what an uploaded .docx/.xlsx may inflate to (see ARCHIVE_LIMITS above).
        **ARCHIVE_LIMITS,
        # Multipart limits above the largest legitimate form (long programme tables).
        "MAX_FORM_PARTS": 5000,
        "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
        # Werkzeug password hash method (scrypt: slow on purpose).
        "PASSWORD_HASH_METHOD": "scrypt",
        # Failed logins before the account is locked, and for how long.
        "LOGIN_MAX_FAILURES": _env_int("OPORA_LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_MINUTES": _env_int("OPORA_LOGIN_LOCK_MINUTES", 15),
        # WTForms' own Russian messages (Flask-WTF's i18n needs Flask-Babel, which we don't use).
        "WTF_I18N_ENABLED": False,
        # CSRF tokens live as long as the session: a long form is never lost to expiry.
        "WTF_CSRF_TIME_LIMIT": None,
        # Cookies: never readable by scripts; Secure only behind HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_NAME": "__Host-opora" if https else "opora",
        "OPORA_HTTPS": https,
        # Typing kept after an expired session: at most this many stashes per user (oldest go)…
        "OPORA_STASH_MAX_PER_USER": _env_int("OPORA_STASH_MAX_PER_USER", 20),
        # …and this many megabytes per user in all; one larger post is not kept at all.
        "OPORA_STASH_MAX_MB": _env_int("OPORA_STASH_MAX_MB", 2),
        # Rows per page in lists.
        "PER_PAGE": 50,
        # This app's public address (scheme and host, no path): every absolute link (feed,
        # register CSV, links inside documents) starts with it, never with the request's Host.
        "SITE_URL": os.environ.get("OPORA_SITE_URL") or "http://{}:{}".format(
            os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")),
        # The centre's own website: «Главная» on the public pages links there (else to /docs).
        "HOME_URL": os.environ.get("OPORA_HOME_URL", ""),
        # Name shown in the header and on the public pages.
        "SITE_NAME": os.environ.get("OPORA_SITE_NAME", "МБУ «Центр развития образования»"),
        # Warm PDF converter (`flask pdf-converter`): instance i listens on 127.0.0.1, port
        # PDF_CONVERTER_PORT + i; one instance per core. 0 turns it off (every PDF converts cold).
        "PDF_CONVERTER_PORT": _env_int("OPORA_PDF_PORT", 2103),
        "PDF_CONVERTER_INSTANCES": _env_int("OPORA_PDF_INSTANCES", os.cpu_count() or 1),
        # The Python that has LibreOffice's `uno` module (Debian: python3-uno).
        "PDF_CONVERTER_PYTHON": os.environ.get("OPORA_PDF_PYTHON", "/usr/bin/python3"),
        # E-mail (notifications): without a host, mail is kept in the outbox the admin sees.
        "SMTP_HOST": os.environ.get("OPORA_SMTP_HOST", ""),
        "SMTP_PORT": _env_int("OPORA_SMTP_PORT", 587),
        "SMTP_USER": os.environ.get("OPORA_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("OPORA_SMTP_PASSWORD", ""),
        # starttls (port 587), ssl (port 465) or none (a relay on a closed network).
        "SMTP_TLS": os.environ.get("OPORA_SMTP_TLS", "starttls"),
        "SMTP_SENDER": os.environ.get("OPORA_SMTP_SENDER", "opora@localhost"),
        "SMTP_TIMEOUT": _env_int("OPORA_SMTP_TIMEOUT", 20),
    }
