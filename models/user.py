"""Accounts: who signs in, with which role, for which organisation."""
from flask import current_app, has_app_context
from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField
from werkzeug.security import check_password_hash, generate_password_hash

from .base import BaseModel, now
from .organization import Organization

ROLES = {
    "admin": "Администратор",
    "centre": "Методический центр",
    "department": "Управление образования",
    "school": "Школа",
}
# Which organisation kind each role belongs to (admin may belong to any or none).
ROLE_ORG_KIND = {"centre": "centre", "department": "department", "school": "school"}


class User(UserMixin, BaseModel):
    login = CharField(max_length=50, unique=True)
    password_hash = CharField(max_length=255)
    full_name = CharField(max_length=200)
    position = CharField(max_length=200, default="")
    role = CharField(max_length=20, index=True)
    organization = ForeignKeyField(Organization, null=True, backref="users", on_delete="RESTRICT")
    is_active = BooleanField(default=True)
    # Bumped on logout, password change, role change and deactivation: older cookies stop working.
    session_epoch = IntegerField(default=0)
    last_login_at = DateTimeField(null=True)
    email = CharField(max_length=254, default="")
    email_mode = CharField(max_length=10, default="instant")  # notification.EMAIL_MODES
    created_at = DateTimeField(default=now)

    def __str__(self):
        return self.full_name

    def get_id(self):
        # The epoch travels in the session: a cookie from before a bump no longer matches.
        return f"{self.id}:{self.session_epoch}"

    @classmethod
    def for_session(cls, session_id):
        """The active user a session id "<id>:<epoch>" names, or None: an old epoch means the
        session was ended (logout, password change…). The login and the stash share this rule."""
        try:
            user_id, epoch = (int(p) for p in session_id.split(":"))
        except (ValueError, AttributeError):
            return None
        user = cls.get_or_none(cls.id == user_id)
        if user is None or not user.is_active or user.session_epoch != epoch:
            return None
        return user

    def set_password(self, password):
        # Tests choose a cheap method through config; production keeps Werkzeug's scrypt.
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @property
    def is_staff(self):
        return self.role in {"admin", "centre", "department"}


class LoginFailure(BaseModel):
    """Failed sign-ins per login typed, whether or not such an account exists: an unknown
    login is counted and locked exactly like a real one, so the lock reveals nothing."""
    login = CharField(max_length=50, unique=True)
    failures = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    updated_at = DateTimeField(default=now, index=True)

    @classmethod
    def locks(cls, logins):
        """{login: locked_until} for the logins among `logins` locked now (the users page)."""
        moment = now()
        return {row.login: row.locked_until for row in cls.select().where(
            cls.login.in_(list(logins)), cls.locked_until > moment)}
