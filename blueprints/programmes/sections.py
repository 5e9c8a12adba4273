"""The ten sections of a school programme: one form each, what is required at submission,
and the flat storage format.

A section is stored as the form's own field names → entered text («tasks-0-text»:
«…»), exactly what the browser posts. Loading is re-posting those values into the
form, so the page, the document, the required-field check, the comments and the
comparison of two submissions all read the same thing through the same form.
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from werkzeug.datastructures import MultiDict
from wtforms import (DateField, DecimalField, FieldList, FormField, HiddenField, IntegerField,
                     SelectField, SelectMultipleField)
from wtforms.validators import NumberRange, Optional, ValidationError

from ..core.forms import RowForm, VersionedForm, leaf_fields, text_field

YEAR_RANGE = (2000, 2100)
MAX_YEARS = 10
LIMIT = 5000  # characters of a long text field
SHORT = 500
NUMBER_LIMIT = Decimal("1000000000")


class RuDecimalField(DecimalField):
    """A number as Russians type it: «12,5», «1 200»."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace("\u00a0", "").replace(" ", "").replace(",", ".")]
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite()
                                      or abs(self.data) >= NUMBER_LIMIT):
            self.data = None
            raise ValueError("Число вне допустимого диапазона.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        text = format(self.data.normalize(), "f")
        return text.replace(".", ",")


def number(label, low=None, high=None):
    validators = [Optional()]
    if low is not None or high is not None:
        validators.append(NumberRange(low, high, message=_range_message(low, high)))
    return RuDecimalField(label, places=None, validators=validators)


def _range_message(low, high):
    if low is not None and high is not None:
        return f"Введите число от {low} до {high}."
    return f"Введите число не меньше {low}." if low is not None else f"Введите число не больше {high}."


def year_field(label):
    return IntegerField(label, validators=[Optional(), NumberRange(
        *YEAR_RANGE, message=f"Укажите год между {YEAR_RANGE[0]} и {YEAR_RANGE[1]}.")])


class SectionForm(VersionedForm):
    """A section page: its fields plus the version and the tab's token for conflicts."""

    token = HiddenField()

    def bind_programme(self, period, risks, indicators, tasks, chosen=()):
        """Choices, year columns and cross-field checks that depend on the programme.

        Runs after the values are read; errors it sets survive validate()."""

    def validate(self, extra_validators=None):
        preset = {f.name: [e for e in f.errors if e not in f.process_errors]
                  for f in leaf_fields(self) if f.errors}
        ok = super().validate(extra_validators)
        for field in leaf_fields(self):
            for message in preset.get(field.name, []):
                if message not in field.errors:
                    field.errors = [*field.errors, message]
                    ok = False
        if not ok:
            self._errors = None
        return ok


    def validate_token(self, field):
        if field.data and not re.fullmatch(r"[0-9a-f]{32}", field.data):
            raise ValidationError("Неверный идентификатор формы.")


# --- 1. Паспорт -----------------------------------------------------------------------------

class PassportForm(SectionForm):
    title = text_field("Наименование программы", SHORT)
    school_name = text_field("Полное наименование образовательной организации", SHORT)
    basis = text_field("Основания для разработки", LIMIT, area=True,
                       description="Нормативные документы: приказы, распоряжения, решения.")
    customer = text_field("Заказчик", SHORT)
    developers = text_field("Разработчики", 1000, area=True)
    executors = text_field("Исполнители", 1000, area=True)
    period_start = year_field("Начало реализации (год)")
    period_end = year_field("Окончание реализации (год)")
    stages = text_field("Сроки и этапы реализации", LIMIT, area=True,
                        description="Например: I этап — 2026 г., подготовительный; …")
    funding = text_field("Объём и источники финансирования", 2000, area=True)
    control = text_field("Система организации контроля", 2000, area=True)
    head = text_field("Руководитель программы", SHORT, description="Должность и ФИО")
    contacts = text_field("Контакты", SHORT, description="Телефон, электронная почта")
    adopted_on = DateField("Дата протокола педагогического совета", format="%Y-%m-%d",
                           validators=[Optional()])
    adopted_number = text_field("Номер протокола педагогического совета", 20)

    def validate_period_end(self, field):
        start, end = self.period_start.data, field.data
        if start and end:
            if end < start:
                raise ValidationError("Год окончания не может быть раньше года начала.")
            if end - start + 1 > MAX_YEARS:
                raise ValidationError(f"Программа рассчитывается не больше чем на {MAX_YEARS} лет.")


# --- 2. Информационная справка ----------------------------------------------------------------

class InfoForm(SectionForm):
    general = text_field("Общие сведения об образовательной организации", LIMIT, area=True,
                         description="Тип, местоположение, год основания, особенности.")
    students = IntegerField("Число обучающихся", validators=[Optional(), NumberRange(
        0, 10000, message="Введите число от 0 до 10000.")])
    teachers = IntegerField("Число педагогических работников", validators=[Optional(), NumberRange(
        0, 1000, message="Введите число от 0 до 1000.")])
    context = text_field("Социальный контекст и контингент", LIMIT, area=True,
                         description="Доля семей в трудной ситуации, обучающихся с ОВЗ, "
                                     "для которых русский язык не родной…")
    staffing = text_field("Кадровый состав", LIMIT, area=True)


# --- 3. Проблемно-ориентированный анализ -----------------------------------------------------

LIST_HINT = "Каждый пункт с новой строки."


class AnalysisForm(SectionForm):
    results = text_field("Результаты за три года", LIMIT, area=True,
                         description="ВПР, ОГЭ, ЕГЭ, успеваемость и качество знаний; выводы.")
    strengths = text_field("Сильные стороны", LIMIT, area=True, description=LIST_HINT)
    weaknesses = text_field("Слабые стороны", LIMIT, area=True, description=LIST_HINT)
    opportunities = text_field("Возможности", LIMIT, area=True, description=LIST_HINT)
    threats = text_field("Угрозы", LIMIT, area=True, description=LIST_HINT)
    risks = SelectMultipleField("Факторы риска, с которыми работает школа", coerce=str,
                                description="Отметьте факторы своего рискового профиля.")
    conclusion = text_field("Выводы анализа", LIMIT, area=True)

    def bind_programme(self, period, risks, indicators, tasks, chosen=()):
        self.risks.choices = [(str(r.code), f"{r.code}. {r.name}") for r in risks]


# --- 4. Цель и задачи -----------------------------------------------------------------------

class TaskForm(RowForm):
    text = text_field("Задача", 1000, area=True)
    risks = SelectMultipleField("Риски, на которые направлена задача", coerce=str)


class GoalsForm(SectionForm):
    goal = text_field("Цель программы", 2000, area=True)
    tasks = FieldList(FormField(TaskForm), min_entries=1, max_entries=30)

    def bind_programme(self, period, risks, indicators, tasks, chosen=()):
        # The risks chosen in section 3, and any a task already names (kept visible).
        for row in self.tasks:
            keep = set(chosen) | set(row.form.risks.data or [])
            row.form.risks.choices = [(str(r.code), f"{r.code}. {r.name}") for r in risks
                                      if not chosen or str(r.code) in keep]


# --- 5. Целевые показатели ------------------------------------------------------------------

class IndicatorRowForm(RowForm):
    code = SelectField("Показатель из перечня", validate_choice=False)
    name = text_field("Наименование показателя", SHORT,
                      description="Для своего показателя или уточнения (предмет, класс).")
    unit = text_field("Единица измерения", 50)
    baseline = number("Базовое значение")
    baseline_year = year_field("Год базового значения")
    targets = FieldList(number("Значение"), max_entries=MAX_YEARS)
    source = text_field("Источник данных", SHORT)
    responsible = text_field("Ответственный", SHORT)


class IndicatorsForm(SectionForm):
    indicators = FieldList(FormField(IndicatorRowForm), min_entries=1, max_entries=60)

    def bind_programme(self, period, risks, indicators, tasks, chosen=()):
        self.years = list(range(period[0], period[1] + 1))
        codes = [("", "— свой показатель —")] + [(i.code, i.name) for i in indicators]
        units = {i.code: i.unit for i in indicators}
        for row in self.indicators:
            form = row.form
            form.code.choices = codes
            targets = form.targets
            # Year columns follow the period: add or drop entries, keeping typed values.
            while len(targets.entries) < len(self.years):
                targets.append_entry()
            while len(targets.entries) > len(self.years):
                targets.pop_entry()
            for entry, year in zip(targets.entries, self.years):
                entry.label.text = f"{year} г."
            if form.code.data and form.code.data not in units:
                form.code.errors = ["Такого показателя нет в перечне."]
            percent = (form.unit.data or units.get(form.code.data, "")) == "%"
            for value in [form.baseline, *targets.entries]:
                if percent and value.data is not None and not 0 <= value.data <= 100:
                    value.errors = [*value.errors, "Доля в процентах — от 0 до 100."]
            if form.baseline_year.data and not (period[0] - 5 <= form.baseline_year.data
                                                <= period[0]):
                form.baseline_year.errors = [
                    f"Год базового значения — от {period[0] - 5} до {period[0]} (начало программы)."]


# --- 6. План мероприятий --------------------------------------------------------------------

class ActivityForm(RowForm):
    task = SelectField("Задача", validate_choice=False)
    title = text_field("Мероприятие", 1000, area=True)
    start = DateField("Начало", format="%Y-%m-%d", validators=[Optional()])
    end = DateField("Окончание", format="%Y-%m-%d", validators=[Optional()])
    deadline = text_field("Срок словами", 100, description="Если нет дат: «ежемесячно», «в течение года»")
    responsible = text_field("Ответственный", SHORT)
    participants = text_field("Участники", SHORT)
    result = text_field("Ожидаемый результат", 1000, area=True)
    evidence = text_field("Форма подтверждения", SHORT, description="Приказ, протокол, справка…")


class ActivitiesForm(SectionForm):
    activities = FieldList(FormField(ActivityForm), min_entries=1, max_entries=200)

    def bind_programme(self, period, risks, indicators, tasks, chosen=()):
        first, last = date(period[0], 1, 1), date(period[1], 12, 31)
        options = [("", "—")] + [(str(n), f"Задача {n}") for n in range(1, len(tasks) + 1)]
        for row in self.activities:
            form = row.form
            form.task.choices = options
            if form.task.data and form.task.data not in dict(options):
                form.task.errors = ["Выберите задачу из раздела 4."]
            start, end = form.start.data, form.end.data
            for field in (form.start, form.end):
                if field.data and not first <= field.data <= last:
                    field.errors = [f"Дата вне срока программы ({period[0]}–{period[1]})."]
            if start and end and end < start:
                form.end.errors = ["Окончание раньше начала."]



# --- 7–10 -----------------------------------------------------------------------------------

class FinanceRowForm(RowForm):
    item = text_field("Статья расходов", SHORT)
    amount = number("Сумма, руб.", 0, NUMBER_LIMIT - 1)
    source = text_field("Источник", SHORT, description="Муниципальный бюджет, грант…")


class ResourcesForm(SectionForm):
    staff = text_field("Кадровое обеспечение", LIMIT, area=True)
    equipment = text_field("Материально-техническое обеспечение", LIMIT, area=True)
    finance = FieldList(FormField(FinanceRowForm), max_entries=50)
    information = text_field("Информационное обеспечение", LIMIT, area=True)


class MechanismForm(SectionForm):
    implementation = text_field("Механизм реализации", LIMIT, area=True)
    monitoring = text_field("Мониторинг и контроль", LIMIT, area=True)


class RiskRowForm(RowForm):
    risk = text_field("Риск реализации", 1000, area=True)
    mitigation = text_field("Меры по снижению", 1000, area=True)


class RisksForm(SectionForm):
    risks = FieldList(FormField(RiskRowForm), min_entries=1, max_entries=30)


class ResultsForm(SectionForm):
    results = text_field("Ожидаемые результаты", LIMIT, area=True, description=LIST_HINT)


# --- the list of sections -------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    form: type
    required: tuple = ()  # top-level field names that must be filled
    rows: tuple = ()  # (list name, min rows, required row field names, row noun)
    needs: tuple = ()  # what the form reads from elsewhere: "risks", "indicators", "tasks"

    @property
    def heading(self):
        return f"{self.number}. {self.title}"


SECTIONS = [
    Section("passport", 1, "Паспорт программы", PassportForm,
            ("title", "school_name", "basis", "developers", "executors", "period_start",
             "period_end", "stages", "head", "contacts")),
    Section("info", 2, "Информационная справка о школе", InfoForm,
            ("general", "students", "teachers")),
    Section("analysis", 3, "Проблемно-ориентированный анализ", AnalysisForm,
            ("results", "strengths", "weaknesses", "opportunities", "threats", "risks"),
            needs=("risks",)),
    Section("goals", 4, "Цель и задачи", GoalsForm, ("goal",),
            (("tasks", 1, ("text", "risks"), "Задача"),), needs=("risks", "tasks")),
    Section("indicators", 5, "Целевые показатели", IndicatorsForm, (),
            (("indicators", 1, ("name_or_code", "unit", "baseline", "baseline_year", "targets"),
              "Показатель"),), needs=("indicators",)),
    Section("activities", 6, "План мероприятий", ActivitiesForm, (),
            (("activities", 1, ("title", "when", "responsible"), "Мероприятие"),),
            needs=("tasks",)),
    Section("resources", 7, "Ресурсное обеспечение", ResourcesForm, ("staff", "equipment",
                                                                      "information")),
    Section("mechanism", 8, "Механизм реализации и мониторинга", MechanismForm,
            ("implementation", "monitoring")),
    Section("risks", 9, "Риски реализации и меры", RisksForm, (),
            (("risks", 1, ("risk", "mitigation"), "Риск"),)),
    Section("results", 10, "Ожидаемые результаты", ResultsForm, ("results",)),
]
BY_KEY = {s.key: s for s in SECTIONS}
# Repeating lists: what one row is called («Задача 2 — …») and the list's heading on the page.
LISTS = {"tasks": ("Задача", "Задачи"), "indicators": ("Показатель", "Показатели"),
         "activities": ("Мероприятие", "Мероприятия"),
         "finance": ("Статья расходов", "Финансовое обеспечение"),
         "risks": ("Риск", "Риски и меры")}
# What «add» puts in each list; targets follow the period, so a row needs none.
BLANK_ROWS = {
    "tasks": lambda: {"text": "", "risks": []},
    "indicators": lambda: {"code": "", "name": "", "unit": "%", "targets": []},
    "activities": lambda: {"task": "", "title": ""},
    "finance": lambda: {"item": "", "source": ""},
    "risks": lambda: {"risk": "", "mitigation": ""},
}
SKIP = {"csrf_token", "version", "token"}


# --- storage: flat values in, a bound form out --------------------------------------------------

def flatten(form):
    """The form's entered values as {field name: text or list}, indexes renumbered 0…n."""
    values = {}
    for field in leaf_fields(form):
        if field.short_name in SKIP:
            continue
        if isinstance(field, SelectMultipleField):
            values[field.name] = [str(v) for v in field.data or []]
        elif isinstance(field, SelectField):
            values[field.name] = field.data or ""
        else:
            values[field.name] = field._value()
    return values


def to_multidict(values):
    pairs = []
    for name, value in values.items():
        if isinstance(value, list):
            pairs.extend((name, v) for v in value)
        elif value is not None:  # empty strings too: an empty row stays a row
            pairs.append((name, value))
    return MultiDict(pairs)


def load_form(section, values, period, risks, indicators, tasks, chosen=(), formdata=None,
              **extra):
    """The section's form with stored `values` (or posted `formdata`), bound to the programme.

    `extra` sets version and token. CSRF is checked only for posted data.
    """
    if formdata is None:
        data = to_multidict(values)
        data.update(extra)
        form = section.form(formdata=data, meta={"csrf": False})
    else:
        form = section.form(formdata=formdata)
    form.bind_programme(period, risks, indicators, tasks, chosen)
    return form


def is_blank(value):
    return value in ("", None, []) or (isinstance(value, str) and not value.strip())


def missing_fields(section, form):
    """[(field name, message)] of what must be filled before submission."""
    missing = []
    for name in section.required:
        if is_blank(form[name].data):
            missing.append((form[name], "Заполните это поле."))
    for list_name, minimum, row_fields, noun in section.rows:
        rows = list(form[list_name])
        if len(rows) < minimum:
            missing.append((form[list_name], f"Добавьте хотя бы одну строку «{noun}»."))
        for row in rows:
            missing.extend(_row_missing(row.form, row_fields))
    return missing


def _row_missing(form, row_fields):
    out = []
    for name in row_fields:
        if name == "name_or_code":
            if is_blank(form.name.data) and is_blank(form.code.data):
                out.append((form.name, "Выберите показатель из перечня или впишите свой."))
        elif name == "when":
            if not (form.start.data and form.end.data) and is_blank(form.deadline.data):
                out.append((form.start, "Укажите даты начала и окончания или срок словами."))
        elif name == "targets":
            for entry in form.targets:
                if entry.data is None:
                    out.append((entry, "Укажите плановое значение на этот год."))
        elif is_blank(form[name].data):
            out.append((form[name], "Заполните это поле."))
    return out


def field_label(form, field):
    """«Показатель 2 — Базовое значение» for a field inside a row, the label otherwise."""
    parts = field.name.split("-")
    if len(parts) >= 3 and parts[1].isdigit():
        noun = LISTS[parts[0]][0] if parts[0] in LISTS else ""
        inner = field.label.text
        if len(parts) >= 5 and parts[3].isdigit():  # targets-<n> inside an indicator row
            inner = f"План на {field.label.text}"
        return f"{noun} {int(parts[1]) + 1} — {inner}"
    return field.label.text


def display(field):
    """A field's value as a reviewer reads it."""
    if isinstance(field, SelectMultipleField):
        names = dict(field.choices or [])
        return "; ".join(names.get(v, v) for v in field.data or [])
    if isinstance(field, SelectField):
        return dict(field.choices or []).get(field.data, field.data or "") if field.data else ""
    if isinstance(field, DateField):
        return field.data.strftime("%d.%m.%Y") if field.data else ""
    if isinstance(field, RuDecimalField):
        return field._value()
    return "" if field.data is None else str(field.data)


def labelled_values(form):
    """[(name, label, shown value)] of every input of a bound section form, in page order."""
    return [(f.name, field_label(form, f), display(f)) for f in leaf_fields(form)
            if f.short_name not in SKIP]




def leaf_errors(form):
    return [f for f in leaf_fields(form) if f.errors]
