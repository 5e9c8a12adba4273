"""An import's preview waits here between upload and confirmation, so nothing is in the
database before the user says so: a JSON file per preview under STORAGE_DIR/imports, readable
only by the user who uploaded, abandoned after a day."""
import json
import re
import secrets
import time
from pathlib import Path

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
MAX_AGE = 86400


def save_pending(storage_dir, user_id, filename, data):
    """Keep `data` (plain JSON) for `user_id`; return the token the confirmation posts."""
    folder = Path(storage_dir, "imports")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        if time.time() - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    payload = {"user": user_id, "filename": filename, "data": data}
    Path(folder, f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    return token


def load_pending(storage_dir, user_id, token):
    """{"filename", "data"} of the stored preview, or None if it is unknown, expired or
    someone else's."""
    if not _TOKEN.match(token or ""):
        return None
    path = Path(storage_dir, "imports", f"{token}.json")
    if not path.exists():
        return None
    payload = json.loads(path.read_text("utf-8"))
    return payload if payload["user"] == user_id else None


def drop_pending(storage_dir, token):
    if _TOKEN.match(token or ""):
        Path(storage_dir, "imports", f"{token}.json").unlink(missing_ok=True)
