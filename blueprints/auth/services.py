"""Account writes: sign-in accounting, passwords, sessions, user management."""
import math
from datetime import timedelta

from peewee import IntegrityError

from models import LoginFailure, User, db, now

# Checked when the login is unknown, so a wrong login costs as much time as a wrong password.
_DUMMY_HASH = None


class LoginLocked(Exception):
    def __init__(self, minutes):
        super().__init__(minutes)
        self.minutes = minutes


def authenticate(login, password, max_failures, lock_minutes):
    """Return the user for correct credentials, None otherwise; raise LoginLocked while locked.

    Failures are counted per typed login, known or not, in the database (so the limit holds
    across all workers), and an unknown login costs a password check too: the answers and
    the lock are the same whether the account exists or not.
    """
    global _DUMMY_HASH
    moment = now()
    record = LoginFailure.get_or_none(LoginFailure.login == login)
    if record and record.locked_until and record.locked_until > moment:
        raise LoginLocked(_minutes_left(record.locked_until, moment))
    user = User.get_or_none(User.login == login)
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = User(password_hash="")
            _DUMMY_HASH.set_password("timing-equaliser")
        _DUMMY_HASH.check_password(password)
    elif user.is_active and user.check_password(password):
        with db.atomic():
            LoginFailure.delete().where(LoginFailure.login == login).execute()
            User.update(last_login_at=moment).where(User.id == user.id).execute()
        return User.get_by_id(user.id)
    if _count_failure(login, moment, max_failures, lock_minutes):
        raise LoginLocked(lock_minutes)  # raised after the commit, so the lock is kept
    return None


def _count_failure(login, moment, max_failures, lock_minutes):
    """Add a failure for `login`; lock it at the limit. True when this failure locked it."""
    with db.atomic():
        # Counters nobody has touched for a day are dropped, so made-up logins do not pile up.
        LoginFailure.delete().where(LoginFailure.updated_at < moment - timedelta(days=1)).execute()
        LoginFailure.insert(login=login, failures=0, updated_at=moment).on_conflict_ignore().execute()
        LoginFailure.update(failures=LoginFailure.failures + 1, updated_at=moment).where(
            LoginFailure.login == login).execute()
        failures = LoginFailure.select(LoginFailure.failures).where(
            LoginFailure.login == login).scalar()
        if failures < max_failures:
            return False
        LoginFailure.update(failures=0, locked_until=moment + timedelta(minutes=lock_minutes)).where(
            LoginFailure.login == login).execute()
    return True


def _minutes_left(until, moment):
    # Rounded up: a lock taken this very second says «15 мин.», as the locking answer did.
    return max(1, math.ceil((until - moment).total_seconds() / 60))


def end_sessions(user):
    """Make every cookie issued to this user so far invalid."""
    User.update(session_epoch=User.session_epoch + 1).where(User.id == user.id).execute()


def change_password(user, new_password):
    """Set a new password and end every session of the account (the caller signs in again)."""
    with db.atomic():
        user.set_password(new_password)
        User.update(password_hash=user.password_hash,
                    session_epoch=User.session_epoch + 1).where(User.id == user.id).execute()
        LoginFailure.delete().where(LoginFailure.login == user.login).execute()  # unlocked
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
