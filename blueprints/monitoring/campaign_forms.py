"""Forms of a campaign: its settings with the form's indicator rows, the launching order's
requisites, the status filter of the completeness matrix."""
from wtforms import DateField, FieldList, FormField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from models import CAMPAIGN_SCOPES, REPORT_STATUSES

from ..core.forms import BaseForm, RowForm, choices, text_field
from ..documents.forms import OrderRequisitesForm

MAX_ROWS = 200


class IndicatorRowForm(RowForm):
    section = text_field("Раздел", 300)
    indicator = SelectField("Показатель", coerce=int, validate_choice=False)


def _date(label, description=None):
    return DateField(label, format="%Y-%m-%d", description=description,
                     validators=[InputRequired("Укажите дату.")])


class LaunchedCampaignForm(BaseForm):
    """What may change once the schools report: the title, the deadline, the methodist."""

    title = text_field("Название кампании", 500, required=True,
                       description="Например: «Мониторинг позитивных изменений в ШНОР, "
                                   "I полугодие 2026/2027»")
    deadline = _date("Срок представления отчётов", "Школы заполняют отчёты до этой даты "
                                                   "включительно.")
    methodist = SelectField("Ответственный методист", coerce=int, validate_choice=False)

    fixed_start = None  # the launched campaign's period start (set by the view)

    def _start(self):
        return self.fixed_start

    def validate_deadline(self, field):
        start = self._start()
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Укажите дату между 2000 и 2100 годом.")
        if field.data and start and field.data < start:
            raise ValidationError("Срок представления отчётов не может быть раньше начала "
                                  "периода.")

    def validate_methodist(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Выберите методиста центра из списка.")

    def values(self):
        return {"title": self.title.data, "deadline": self.deadline.data,
                "methodist": self.methodist.data or None}


class CampaignForm(LaunchedCampaignForm):
    """A draft's settings and its form: the indicators in rows, each in its section."""

    period_label = text_field("Период", 100, required=True,
                              description="Как он пишется в документах: «I полугодие "
                                          "2026/2027»")
    period_start = _date("Начало периода")
    period_end = _date("Конец периода")
    scope = SelectField("Школы", choices=choices(CAMPAIGN_SCOPES), default="low_result")
    schools = SelectMultipleField("Выбранные школы", coerce=int, validate_choice=False,
                                  description="Для варианта «выбранные школы»; несколько — с "
                                              "Ctrl.")
    rows = FieldList(FormField(IndicatorRowForm), min_entries=1, max_entries=MAX_ROWS)

    indicator_choices = ()  # (id, label) of the catalogue, set by the view

    def _start(self):
        return self.period_start.data

    def validate_period_start(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Укажите дату между 2000 и 2100 годом.")

    def validate_period_end(self, field):
        start = self.period_start.data
        if field.data and start and field.data < start:
            raise ValidationError("Конец периода раньше его начала.")

    count_schools = None  # scope → how many schools it names today (set by the view)

    def validate_scope(self, field):
        if field.data == "chosen" and not self.schools.data:
            raise ValidationError("Отметьте хотя бы одну школу в списке ниже или выберите "
                                  "другой вариант.")
        if field.data != "chosen" and self.count_schools and not self.count_schools(field.data):
            raise ValidationError("Под этот вариант не подходит ни одна школа справочника: "
                                  "выберите другой вариант или отметьте школы.")

    def validate_schools(self, field):
        known = {value for value, _ in self.schools.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Часть отмеченных школ не найдена в справочнике: обновите "
                                  "страницу.")

    def validate_rows(self, field):
        if len(field.entries) >= MAX_ROWS:
            raise ValidationError(f"В форме не больше {MAX_ROWS} показателей.")
        known = {value for value, _ in self.indicator_choices}
        seen, problems = {}, False
        for number, entry in enumerate(field.entries, 1):
            value = entry.form.indicator.data
            if not value:
                continue
            if value not in known:
                entry.form.indicator.errors = ["Выберите показатель из списка."]
                problems = True
            elif value in seen:
                entry.form.indicator.errors = [
                    f"Этот показатель уже есть в строке {seen[value]}: уберите повтор."]
                problems = True
            else:
                seen[value] = number
        if problems:
            raise ValidationError("Проверьте показатели формы: каждый выбирается из списка "
                                  "и только один раз.")
        if not seen:
            raise ValidationError("Добавьте в форму хотя бы один показатель.")

    def rows_data(self):
        """The filled rows: [{section, indicator}] (blank rows skipped); a row without a section
        is in the section of the row above."""
        rows, section = [], ""
        for entry in self.rows.entries:
            section = entry.form.section.data or section
            if entry.form.indicator.data:
                rows.append({"section": section, "indicator": entry.form.indicator.data})
        return rows

    def values(self):
        return dict(super().values(), period_label=self.period_label.data,
                    period_start=self.period_start.data, period_end=self.period_end.data,
                    scope=self.scope.data, schools=list(self.schools.data or []),
                    rows=self.rows_data())


class LaunchForm(OrderRequisitesForm):
    """The launching order's requisites; its clauses and annexes come from the campaign."""


class MatrixFilterForm(BaseForm):
    """The status filter of the completeness matrix (GET, no CSRF)."""

    class Meta:
        csrf = False
        locales = ("ru",)

    status = SelectField("Статус отчёта", validate_choice=False, choices=choices(
        [("", "Все"), *REPORT_STATUSES.items(), ("overdue", "Просроченные")]))

    @property
    def value(self):
        allowed = {"", "overdue", *REPORT_STATUSES}
        return self.status.data if self.status.data in allowed else ""
