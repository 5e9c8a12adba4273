"""The user's own mail settings."""
from wtforms import SelectField, StringField
from wtforms.validators import Email, Length, Optional

from models import EMAIL_MODES

from ..core.forms import BaseForm, choices, strip


class SettingsForm(BaseForm):
    email = StringField("Электронная почта для уведомлений", filters=[strip], validators=[
        Optional(), Length(max=254, message="Не длиннее 254 символов."),
        Email(message="Укажите адрес электронной почты, например school1@example.ru.")])
    email_mode = SelectField("Присылать письма", choices=choices(EMAIL_MODES), default="instant")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.email_mode.data != "none" and not self.email.data:
            self.email.errors = [*self.email.errors, "Укажите адрес, куда присылать письма, "
                                 "или выберите «не присылать»."]
            return False
        return ok
