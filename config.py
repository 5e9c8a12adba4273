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
        # Rows per page in lists.
        "PER_PAGE": 50,
        # The centre's website: «Главная» on the public pages links there.
        "SITE_URL": os.environ.get("OPORA_SITE_URL", ""),
        # Name shown in the header and on the public pages.
        "SITE_NAME": os.environ.get("OPORA_SITE_NAME", "МБУ «Центр развития образования»"),
    }
