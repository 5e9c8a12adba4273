"""The report form built from a campaign's indicators: per indicator a typed input (its name
and unit as the label, the allowed range as the hint) and a comment. The values are read and
checked by core/values.py (check_values), not by WTForms: the form only draws the fields and
carries the version and the tab's token of the shared autosave."""
from wtforms import FileField, HiddenField, SelectField, StringField, TextAreaField

from ..core.forms import BaseForm, choices, strip, text_field

COMMENT_LIMIT = 2000
RESERVED = ("version", "token", "action", "csrf_token")


def value_name(code):
    return f"v_{code}"


def comment_name(code):
    return f"c_{code}"


def label_of(indicator):
    unit = "%" if indicator.value_type == "percent" else indicator.unit
    return f"{indicator.name}, {unit}" if unit and indicator.value_type in (
        "int", "percent", "decimal") else indicator.name


def hint_of(indicator):
    kind = indicator.value_type
    if kind == "int":
        text = "Целое число"
    elif kind in ("percent", "decimal"):
        text = "Число, дробная часть через запятую (например 12,5)"
    elif kind == "bool":
        return "Да или нет"
    elif kind == "choice":
        return "Выберите из списка"
    else:
        return "Текст, до 2000 символов"
    if indicator.range_label != "—":
        text += f"; допустимо {indicator.range_label}"
    return text + "."


def _value_field(indicator):
    label, hint = label_of(indicator), hint_of(indicator)
    if indicator.value_type == "bool":
        return SelectField(label, description=hint,
                           choices=choices([("", "— не выбрано —"), ("да", "да"), ("нет", "нет")]))
    if indicator.value_type == "choice":
        return SelectField(label, description=hint,
                           choices=choices([("", "— не выбрано —")]
                                           + [(o, o) for o in indicator.options]))
    if indicator.value_type == "text":
        return TextAreaField(label, description=hint, filters=[strip])
    return StringField(label, description=hint, filters=[strip])


def report_form(indicators, texts=None, comments=None, formdata=None, version=0, token=""):
    """The form of one report: `texts`/`comments` {code: stored text} fill a fresh one,
    `formdata` (the posted form) a posted one."""

    class ReportForm(BaseForm):
        version = HiddenField()
        token = HiddenField()

    for indicator in indicators:
        setattr(ReportForm, value_name(indicator.code), _value_field(indicator))
        setattr(ReportForm, comment_name(indicator.code),
                text_field("Комментарий", COMMENT_LIMIT, area=True))
    data = {"version": str(version), "token": token}
    for indicator in indicators:
        data[value_name(indicator.code)] = (texts or {}).get(indicator.code, "")
        data[comment_name(indicator.code)] = (comments or {}).get(indicator.code, "")
    return ReportForm(formdata=formdata, data=data, meta={"csrf": False})


def posted(indicators, form):
    """({code: text}, {code: comment}) of a posted report form (request.form)."""
    raw = {i.code: form.get(value_name(i.code), "") for i in indicators}
    comments = {i.code: form.get(comment_name(i.code), "")[:COMMENT_LIMIT] for i in indicators}
    return raw, comments


class RemarkForm(BaseForm):
    field = StringField("Поле", filters=[strip])
    text = text_field("Замечание", 3000, required=True, area=True)


class AnswerForm(BaseForm):
    answer = text_field("Что исправлено", 3000, area=True)


class ValuesUploadForm(BaseForm):
    file = FileField("Файл .xlsx, заполненный по шаблону кампании")
