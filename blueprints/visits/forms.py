"""Forms of curators and visits: the assignment, the planned visit, the write-up with findings
per risk factor and recommendation rows."""
from wtforms import DateField, FieldList, FormField, SelectField
from wtforms.validators import InputRequired, ValidationError

from ..core.deadlines import read_deadline
from ..core.forms import BaseForm, RowForm, VersionedForm, text_field

MAX_RECOMMENDATIONS = 50


def _year_range(field):
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError("Укажите дату между 2000 и 2100 годом.")


class CuratorshipForm(BaseForm):
    # The choices are what the page offers; the service decides (with a Russian reason).
    curator = SelectField("Куратор", coerce=str, validate_choice=False, validators=[InputRequired("Выберите куратора.")],
                          description="Методист центра или сотрудник школы-лидера с учётной "
                                      "записью в системе")
    school = SelectField("Школа", coerce=str, validate_choice=False, validators=[InputRequired("Выберите школу.")],
                         description="Школы из утверждённого перечня ШНОР текущего учебного года")
    date_from = DateField("С", format="%Y-%m-%d",
                          validators=[InputRequired("Укажите начало периода.")])
    date_to = DateField("По", format="%Y-%m-%d",
                        validators=[InputRequired("Укажите конец периода.")])

    def validate_date_from(self, field):
        _year_range(field)

    def validate_date_to(self, field):
        _year_range(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("Конец периода раньше его начала.")


class VisitPlanForm(BaseForm):
    curatorship = SelectField("Школа", coerce=str, validate_choice=False,
                              validators=[InputRequired("Выберите школу.")])
    visit_date = DateField("Дата выезда", format="%Y-%m-%d",
                           validators=[InputRequired("Укажите дату выезда.")])
    purpose = text_field("Цель", 2000, required=True, area=True,
                         description="Например: «Изучение организации работы с обучающимися "
                                     "с рисками учебной неуспешности»")
    participants = text_field("Участники", 2000, area=True,
                              description="Кто едет и с кем встречается: ФИО, должности")

    def validate_visit_date(self, field):
        _year_range(field)


class RecommendationRow(RowForm):
    text = text_field("Рекомендация", 3000, area=True)
    deadline_text = text_field("Срок", 500,
                               description="«до 01.03.2027», «ноябрь 2026», «ежемесячно»")
    responsible = text_field("Ответственный", 500,
                             description="Должность и ФИО в школе")


class VisitReportForm(VersionedForm):
    """The write-up. The findings per risk factor are posted as finding-<code> (their factors
    change by year: read by services.posted_findings, not declared here)."""

    version_required = True
    period = None  # (first year, last year) the deadlines are read in; set by the view
    visit_date = DateField("Дата выезда", format="%Y-%m-%d",
                           validators=[InputRequired("Укажите дату выезда.")])
    purpose = text_field("Цель", 2000, required=True, area=True)
    participants = text_field("Участники", 2000, area=True)
    lessons = text_field("Посещённые уроки и занятия", 10000, area=True,
                         description="Класс, предмет, учитель, что увидели")
    papers_checked = text_field("Изученные документы", 10000, area=True)
    interviews = text_field("Беседы и собеседования", 10000, area=True,
                            description="С кем беседовали и о чём")
    conclusion = text_field("Выводы", 10000, area=True)
    recommendations = FieldList(FormField(RecommendationRow), max_entries=MAX_RECOMMENDATIONS)

    def validate_visit_date(self, field):
        _year_range(field)

    def validate_recommendations(self, field):
        """A row is all empty (dropped) or has its text, deadline and responsible."""
        problems = False
        for row in field.entries:
            values = (row.form.text.data, row.form.deadline_text.data,
                      row.form.responsible.data)
            if not any(values):
                continue
            for sub, message in ((row.form.text, "Напишите рекомендацию."),
                                 (row.form.deadline_text, "Укажите срок."),
                                 (row.form.responsible, "Укажите ответственного.")):
                if not sub.data:
                    sub.errors = list(sub.errors) + [message]
                    problems = True
            deadline = row.form.deadline_text
            if deadline.data and self.period and not read_deadline(
                    deadline.data, *self.period).is_read:
                deadline.errors = list(deadline.errors) + [
                    "Срок не распознан: напишите дату («до 01.03.2027»), месяц («ноябрь "
                    "2026»), квартал или «ежемесячно»."]
                problems = True
        if problems:
            raise ValidationError("У рекомендаций не хватает срока, ответственного или текста.")


class ToRoadmapForm(BaseForm):
    roadmap = SelectField("Дорожная карта", coerce=str, validate_choice=False,
                          validators=[InputRequired("Выберите дорожную карту.")])
