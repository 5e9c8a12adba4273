"""Account writes: sign-in accounting, passwords, sessions, user management."""
from datetime import timedelta

from peewee import IntegrityError

from models import User, db, now

# Checked when the login is unknown, so a wrong login costs as much time as a wrong password.
_DUMMY_HASH = None


class LoginLocked(Exception):
    def __init__(self, minutes):
        super().__init__(minutes)
        self.minutes = minutes


def authenticate(login, password, max_failures, lock_minutes):
    """Return the user for correct credentials, None otherwise; raise LoginLocked while locked.

    The failure counter lives in the database, so the limit holds across all workers.
    """
    global _DUMMY_HASH
    user = User.get_or_none(User.login == login)
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = User(password_hash="")
            _DUMMY_HASH.set_password("timing-equaliser")
        _DUMMY_HASH.check_password(password)
        return None
    moment = now()
    if user.locked_until and user.locked_until > moment:
        raise LoginLocked(_minutes_left(user.locked_until, moment))
    if user.is_active and user.check_password(password):
        User.update(failed_login_count=0, locked_until=None, last_login_at=moment).where(
            User.id == user.id).execute()
        return User.get_by_id(user.id)
    with db.atomic():
        User.update(failed_login_count=User.failed_login_count + 1).where(
            User.id == user.id).execute()
        failures = User.select(User.failed_login_count).where(
            User.id == user.id).scalar()
        locked = failures >= max_failures
        if locked:
            User.update(failed_login_count=0,
                        locked_until=moment + timedelta(minutes=lock_minutes)).where(
                User.id == user.id).execute()
    if locked:  # raised after the commit, so the lock is kept
        raise LoginLocked(lock_minutes)
    return None


def _minutes_left(until, moment):
    return max(1, int((until - moment).total_seconds() // 60) + 1)


def end_sessions(user):
    """Make every cookie issued to this user so far invalid."""
    User.update(session_epoch=User.session_epoch + 1).where(User.id == user.id).execute()


def change_password(user, new_password):
    """Set a new password and end every session of the account (the caller signs in again)."""
    with db.atomic():
        user.set_password(new_password)
        User.update(password_hash=user.password_hash, session_epoch=User.session_epoch + 1,
                    failed_login_count=0, locked_until=None).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def create_user(data):
    """Create an account from validated form data; None if the login was taken meanwhile."""
    user = User(login=data["login"], full_name=data["full_name"], position=data["position"],
                role=data["role"], organization=data["organization"] or None,
                is_active=data["is_active"])
    user.set_password(data["password"])
    try:
        with db.atomic():
            user.save()
    except IntegrityError:
        return None
    return user


def update_user(user, data):
    """Apply edits; a role, organisation or activity change ends the user's sessions.

    Returns a dict of what changed, {field: (old, new)}, for the audit trail.
    """
    fields = ("full_name", "position", "role", "organization", "is_active")
    new = dict(data, organization=data["organization"] or None)
    changes = {}
    for name in fields:
        old = user.organization_id if name == "organization" else getattr(user, name)
        if old != new[name]:
            changes[name] = (old, new[name])
    if not changes:
        return changes
    values = {User._meta.fields[n]: new[n] for n in changes}
    if {"role", "organization", "is_active"} & changes.keys():
        values[User.session_epoch] = User.session_epoch + 1
    User.update(values).where(User.id == user.id).execute()
    return changes
