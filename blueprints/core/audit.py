"""Write audit records: who did what, to which object, from which address."""
import json
import logging

from flask import has_request_context, request
from flask_login import current_user

from models import AuditLog

log = logging.getLogger("opora.audit")


def audit(action, obj=None, details="", user=None, login=""):
    """Record one security-relevant event in the database and as one JSON log line."""
    ip = (request.remote_addr or "") if has_request_context() else ""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    entry = AuditLog.create(
        user=user,
        login=(login or (user.login if user else ""))[:50],
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=str(details)[:2000],
        ip=ip[:45],
    )
    # JSON keeps a hostile login ("x\nFAKE ...") on one line.
    log.info(json.dumps({"action": action, "user": entry.login, "object": entry.object_type,
                         "object_id": entry.object_id, "ip": ip, "details": entry.details},
                        ensure_ascii=False))
    return entry
