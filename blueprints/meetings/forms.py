"""Forms: a council, its member, and a meeting with guests, agenda items and decisions."""
import re

from markupsafe import Markup, escape
from wtforms import (BooleanField, DateField, FieldList, FormField, IntegerField,
                     SelectField, SelectMultipleField)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import html_params

from models import MEMBER_ROLES, BodyMember

from ..core.forms import BaseForm, RowForm, VersionedForm, choices, text_field
from ..core.rows import apply_action

REQUIRED = "Заполните это поле."
MAX_VOTES = 1000
MAX_ITEMS, MAX_DECISIONS, MAX_GUESTS = 50, 50, 50



def _optional_int(value):
    """Select coercion where the empty «— выберите —» option means None."""
    if value in ("", None):
        return None
    return int(value)


class CheckboxList:
    """A SelectMultipleField as Bootstrap checkboxes in a labelled group (attendance)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.pop("required", None)  # attendance may be empty; `required` is for inputs only
        options = []
        for index, choice in enumerate(field.iter_choices()):
            box_id = f"{field.id}-{index}"
            box = html_params(type="checkbox", name=field.name, value=choice.value, id=box_id,
                              checked=choice.selected, class_="form-check-input")
            options.append(f'<div class="form-check"><input {box}>'
                           f'<label class="form-check-label" for="{box_id}">'
                           f"{escape(choice.label)}</label></div>")
        group = html_params(role="group", aria_label=field.label.text, **kwargs)
        return Markup(f"<div {group}>{''.join(options)}</div>")


class BodyForm(BaseForm):
    organization = SelectField("Организация", coerce=_optional_int,
                               validators=[InputRequired("Выберите организацию.")],
                               description="При которой действует совет: её наименование "
                                           "печатается в протоколе.")
    name = text_field("Наименование", 300, required=True,
                 description="Например: Координационный совет по повышению качества образования")
    name_genitive = text_field("Наименование в родительном падеже", 300, description=(
        "Для заголовка протокола «заседания …»: «координационного совета по повышению качества "
        "образования». Оставьте пустым — заполнится автоматически, проверьте результат."))


class MemberForm(BaseForm):
    full_name = text_field("Фамилия, имя, отчество", 200, required=True,
                      description="Полностью: Смирнова Людмила Аркадьевна")
    job_title = text_field("Должность", 300,
                      description="Например: директор МБОУ «СОШ № 1»")
    role = SelectField("Роль в составе", choices=choices(MEMBER_ROLES), default="member")
    is_active = BooleanField("Входит в состав", default=True,
                             description="Снимите отметку, если человек выбыл: в прошлых "
                                         "заседаниях он останется.")

    def __init__(self, *args, body=None, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body, self.member = body, member

    def validate_role(self, field):
        # One chair and one secretary at a time; deputies and members may be many.
        if field.data not in ("chair", "secretary") or not self.is_active.data:
            return
        same = BodyMember.select().where((BodyMember.body == self.body.id)
                                         & (BodyMember.role == field.data)
                                         & (BodyMember.is_active == True))  # noqa: E712
        if self.member is not None:
            same = same.where(BodyMember.id != self.member.id)
        other = same.first()
        if other is not None:
            raise ValidationError(f"{MEMBER_ROLES[field.data]} уже есть: {other.full_name}. "
                                  "Сначала измените его роль.")


VOTES = [Optional(), NumberRange(0, MAX_VOTES, message=f"Число от 0 до {MAX_VOTES}.")]


class DecisionForm(RowForm):
    text = text_field("Решение", 3000, required=True, area=True)
    executor = text_field("Ответственный", 300)
    deadline = text_field("Срок", 100, description="Дата или «ежеквартально», «до 01.12.2026»")


class GuestForm(RowForm):
    full_name = text_field("ФИО приглашённого", 200, required=True)
    job_title = text_field("Должность", 300)


class ItemForm(RowForm):
    title = text_field("Вопрос", 1000, required=True, description="«Об итогах …», «О …»")
    speaker = text_field("Докладчик", 300, description="Фамилия И.О., должность")
    heard = text_field("СЛУШАЛИ", 10000, area=True,
                  description="Кого и о чём: «Смирнову Л.А. — о результатах ВПР …». "
                              "Каждая строка — отдельный абзац.")
    spoke = text_field("ВЫСТУПИЛИ", 10000, area=True, description="Необязательно.")
    votes_for = IntegerField("за", validators=VOTES)
    votes_against = IntegerField("против", validators=VOTES)
    votes_abstained = IntegerField("воздержались", validators=VOTES)
    decisions = FieldList(FormField(DecisionForm), max_entries=MAX_DECISIONS)
    present = None  # members present, set by MeetingForm.validate

    def validate_votes_abstained(self, field):
        # The last of the three: by now the others are validated (fields run in order).
        votes = (self.votes_for, self.votes_against, field)
        if self.present is None or any(v.errors for v in votes):
            return
        total = sum(v.data or 0 for v in votes)
        if total > self.present:
            raise ValidationError(
                f"Голосов ({total}) больше, чем присутствовало членов ({self.present}).")


class MeetingForm(VersionedForm):
    meeting_date = DateField("Дата заседания", format="%Y-%m-%d",
                             validators=[InputRequired("Укажите дату.")])
    place = text_field("Место проведения", 200, description="Например: г. Новоречинск")
    chair = SelectField("Председатель", coerce=_optional_int,
                        validators=[InputRequired("Выберите председателя.")])
    secretary = SelectField("Секретарь", coerce=_optional_int,
                            validators=[InputRequired("Выберите секретаря.")])
    attendees = SelectMultipleField("Присутствовали", coerce=int, widget=CheckboxList(),
                                    description="Председатель и секретарь считаются "
                                                "присутствующими.")
    guests = FieldList(FormField(GuestForm), max_entries=MAX_GUESTS)
    items = FieldList(FormField(ItemForm), min_entries=1, max_entries=MAX_ITEMS)

    def set_members(self, members):
        """Offer these members (the body's active ones plus those already chosen)."""
        people = [(m.id, f"{m.full_name} ({m.role_label.lower()})") for m in members]
        self.chair.choices = self.secretary.choices = choices([("", "— выберите —"), *people])
        self.attendees.choices = choices([(m.id, m.full_name) for m in members])
        return self

    def present(self):
        """Ids of the members present: the ticked ones, the chair and the secretary."""
        return {*(self.attendees.data or ()), self.chair.data, self.secretary.data} - {None}

    def validate_meeting_date(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Укажите дату между 2000 и 2100 годом.")

    def validate_secretary(self, field):
        if field.data is not None and field.data == self.chair.data:
            raise ValidationError("Председатель и секретарь — разные люди.")


    def validate(self, extra_validators=None):
        # Rows cannot see this form: tell each item how many members may vote.
        for entry in self.items:
            entry.form.present = len(self.present())
        return super().validate(extra_validators)


# --- repeating rows -----------------------------------------------------------------------
# Buttons named `action`: `add:items`, `remove:items:2`, `up:guests:0`, and for the decisions
# of item 2: `add:decisions:2`, `remove:decisions:2:1`, `down:decisions:2:0`. The view applies
# the action to the posted data and re-renders the form without saving (with or without htmx).
_ACTION = re.compile(r"^(add|remove|up|down):(items|guests|decisions)(?::(\d{1,3}))?"
                     r"(?::(\d{1,3}))?$")
BLANK_ROWS = {
    "items": lambda: {"title": "", "speaker": "", "heard": "", "spoke": "", "votes_for": None,
                      "votes_against": None, "votes_abstained": None, "decisions": []},
    "guests": lambda: {"full_name": "", "job_title": ""},
    "decisions": lambda: {"text": "", "executor": "", "deadline": ""},
}
LIMITS = {"items": MAX_ITEMS, "guests": MAX_GUESTS, "decisions": MAX_DECISIONS}


def apply_row_action(data, action):
    """MeetingForm data with the row action applied; None when `action` is not one."""
    match = _ACTION.match(action or "")
    if not match:
        return None
    op, name, first, second = match.groups()
    first = int(first) if first is not None else None
    index = int(second) if second is not None else None
    owner = data
    if name == "decisions":  # the rows of one agenda item
        if first is None or not 0 <= first < len(data["items"]):
            return data
        owner = data["items"][first]
    else:
        index = first
    if op == "add" and len(owner[name]) >= LIMITS[name]:
        return data
    owner[name] = apply_action(owner[name], op, index, BLANK_ROWS[name])
    return data
