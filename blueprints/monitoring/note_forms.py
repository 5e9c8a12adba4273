"""The analytical note form (thresholds, the methodist's texts, signer and executor) and the
results order form (the order's requisites and its clauses)."""
from decimal import Decimal

from wtforms import FieldList, FormField, IntegerField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..core.forms import BaseForm, RowForm, strip, text_field
from ..documents.forms import OrderRequisitesForm
from .note import TEXT_KEYS, decimal_or_none

TEXT_LIMIT = 20000


class NoteForm(BaseForm):
    analysis = text_field("3. Анализ результатов", TEXT_LIMIT, area=True,
                          description="Абзацы — с новой строки. Черновик составлен по данным: "
                                      "поправьте и дополните причинами.")
    conclusions = text_field("4. Выводы", TEXT_LIMIT, area=True)
    recommendations = text_field("5. Рекомендации", TEXT_LIMIT, area=True,
                                 description="Кому, что сделать и в какой срок.")
    signer_position = text_field("Должность подписывающего", 200, required=True)
    signer_name = text_field("ФИО подписывающего", 200, required=True,
                             description="Полностью; в справке будет «И.О. Фамилия»")
    executor_name = text_field("Исполнитель (ФИО)", 200)
    executor_phone = text_field("Телефон исполнителя", 50)

    def saved(self, indicators):
        """The form as campaign.note_texts keeps it."""
        data = {key: getattr(self, key).data or "" for key in (
            *TEXT_KEYS, "signer_position", "signer_name", "executor_name", "executor_phone")}
        data["thresholds"] = {}
        for indicator in indicators:  # a yes/no indicator has no threshold field
            field = getattr(self, f"threshold_{indicator['code']}", None)
            value = decimal_or_none(field.data) if field is not None else None
            if value is not None:
                data["thresholds"][indicator["code"]] = str(value)
        return data


def _threshold_check(indicator):
    def check(form, field):
        text = (field.data or "").strip()
        if not text:
            return
        value = decimal_or_none(text)
        if value is None or not value.is_finite():
            raise ValidationError("Введите число, например 12,5, или оставьте поле пустым "
                                  "(порогом будет среднее по ОО).")
        if indicator["value_type"] == "percent" and not Decimal(0) <= value <= Decimal(100):
            raise ValidationError("Доля — от 0 до 100 %.")
        if abs(value) >= Decimal("1e12"):
            raise ValidationError("Слишком большое число.")
    return check


def note_form(indicators, formdata=None, data=None):
    """The note form with a threshold field per indicator (`threshold_<code>`)."""
    class Form(NoteForm):
        pass
    for indicator in indicators:
        if indicator["value_type"] == "bool":
            continue
        worse = "ниже" if indicator["higher_is_better"] else "выше"
        setattr(Form, f"threshold_{indicator['code']}", StringField(
            f"Порог: {indicator['name']}", filters=[strip],
            validators=[Optional(), _threshold_check(indicator)],
            description=f"ОО со значением {worse} порога попадут в список; пусто — среднее "
                        "по ОО."))
    return Form(formdata=formdata, data=data) if formdata is not None or data is not None \
        else Form()


class ClauseForm(RowForm):
    level = IntegerField(default=0, validators=[Optional(), NumberRange(0, 1)])
    text = text_field("Текст пункта", 3000, area=True,
                      description="Пустой пункт в приказ не войдёт.")
    executor = text_field("Исполнитель", 300)
    deadline = text_field("Срок", 100, description="Дата или «до 15.09.2026»")


class ResultsOrderForm(OrderRequisitesForm):
    clauses = FieldList(FormField(ClauseForm), min_entries=1, max_entries=30)
    control_clause = text_field("Пункт о контроле", 1000, area=True)

    def validate_clauses(self, field):
        if not any((entry.form.text.data or "").strip() for entry in field):
            raise ValidationError("Заполните хотя бы один пункт приказа.")
