"""The audit trail: logins, denials, role changes and every other security event."""
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, now
from .user import User


ACTIONS = {
    "login": "Вход",
    "login_failed": "Неудачный вход",
    "login_locked": "Вход заблокирован",
    "logout": "Выход",
    "password_changed": "Смена пароля",
    "password_reset": "Пароль установлен администратором",
    "user_created": "Создан пользователь",
    "user_updated": "Изменён пользователь",
    "role_changed": "Смена роли",
    "access_denied": "Отказ в доступе",
    "organization_created": "Добавлена организация",
    "organization_updated": "Изменена организация",
    "organization_deleted": "Удалена организация",
    "organizations_imported": "Загрузка справочника",
}


class AuditLog(BaseModel):
    created_at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, backref="audit_entries", on_delete="SET NULL")
    login = CharField(max_length=50, default="")  # as typed, for failed logins
    action = CharField(max_length=50, index=True)
    object_type = CharField(max_length=50, default="")
    object_id = IntegerField(null=True)
    details = TextField(default="")
    ip = CharField(max_length=45, default="")

    @property
    def action_label(self):
        return ACTIONS.get(self.action, self.action)

    @classmethod
    def recent(cls):
        return cls.select(cls, User).join(User, JOIN.LEFT_OUTER).order_by(cls.id.desc())
