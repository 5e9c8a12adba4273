"""Forms for signing in, passwords and user management."""
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from models import KINDS, ROLES, Organization, User
from models.user import ROLE_ORG_KIND

from ..core.forms import BaseForm, choices, strip
from ..core.urls import local_path

PASSWORD_MIN = 8
REQUIRED = "Заполните это поле."


def _new_password(label):
    return PasswordField(label, validators=[
        DataRequired(REQUIRED),
        Length(min=PASSWORD_MIN, max=128,
               message=f"Пароль должен содержать от {PASSWORD_MIN} до 128 символов."),
    ], description=f"Не короче {PASSWORD_MIN} символов.")


class LoginForm(BaseForm):
    login = StringField("Логин", filters=[strip],
                        validators=[DataRequired(REQUIRED), Length(max=50)])
    password = PasswordField("Пароль", validators=[DataRequired(REQUIRED), Length(max=128)])
    # A bad address is dropped here, not reported: the user could not correct a hidden field.
    next = HiddenField(filters=[lambda value: local_path(value, "")])


class PasswordChangeForm(BaseForm):
    current_password = PasswordField("Текущий пароль",
                                     validators=[DataRequired(REQUIRED), Length(max=128)])
    new_password = _new_password("Новый пароль")
    confirm = PasswordField("Повторите новый пароль", validators=[
        DataRequired(REQUIRED), EqualTo("new_password", message="Пароли не совпадают.")])


class PasswordResetForm(BaseForm):
    new_password = _new_password("Новый пароль")


class UserForm(BaseForm):
    """Create and edit an account; login and password only when creating."""

    login = StringField("Логин", filters=[strip], validators=[
        DataRequired(REQUIRED), Length(min=3, max=50, message="От 3 до 50 символов."),
        Regexp(r"^[A-Za-z0-9_.-]+$", message="Только латинские буквы, цифры, точка, дефис и _."),
    ])
    full_name = StringField("ФИО", filters=[strip],
                            validators=[DataRequired(REQUIRED), Length(max=200)])
    position = StringField("Должность", filters=[strip], validators=[Optional(), Length(max=200)])
    role = SelectField("Роль", choices=choices(ROLES), validators=[DataRequired(REQUIRED)])
    organization = SelectField("Организация", coerce=int, validate_choice=False,
                               description="Для школы, центра и управления — обязательно.")
    password = _new_password("Пароль")
    is_active = BooleanField("Учётная запись активна", default=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = Organization.select().order_by(Organization.kind, Organization.short_name)
        self.organization.choices = choices([(0, "— не указана —")] + [
            (o.id, f"{o.short_name} ({o.kind_label.lower()})") for o in orgs])
        if user is not None:  # editing: the login and password stay as they are
            del self.login
            del self.password

    def validate_login(self, field):
        if User.select().where(User.login == field.data).exists():
            raise ValidationError("Такой логин уже занят.")

    def validate_organization(self, field):
        org = Organization.get_or_none(Organization.id == field.data) if field.data else None
        if field.data and org is None:
            raise ValidationError("Выберите организацию из списка.")
        kind = ROLE_ORG_KIND.get(self.role.data)
        if kind and (org is None or org.kind != kind):
            raise ValidationError(
                f"Для роли «{ROLES[self.role.data]}» выберите организацию вида «{KINDS[kind]}».")
