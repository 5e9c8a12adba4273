"""The order form: requisites, clauses with sub-clauses, annexes."""
from wtforms import DateField, FieldList, FormField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from models import ORDER_KINDS

from ..core.forms import RowForm, VersionedForm, choices, text_field

REQUIRED = "Заполните это поле."



class ClauseForm(RowForm):
    level = IntegerField(default=0, validators=[Optional(), NumberRange(0, 1)])
    text = text_field("Текст пункта", 3000, required=True, area=True)
    executor = text_field("Исполнитель", 300)
    deadline = text_field("Срок", 100, description="Дата или «ежеквартально», «до 15.09.2026»")


class AnnexForm(RowForm):
    title = text_field("Заголовок приложения", 500, required=True)
    text = text_field("Текст", 20000, area=True, description="Абзацы разделяйте пустой строкой.")
    table = text_field("Таблица", 50000, area=True, description=(
        "Вставьте таблицу из Excel или Word: каждая строка с новой строки, столбцы через "
        "табуляцию или «;». Первая строка — заголовки столбцов."))


class OrderForm(VersionedForm):
    kind = SelectField("Вид документа", choices=choices(ORDER_KINDS), default="order")
    order_date = DateField("Дата", format="%Y-%m-%d", validators=[InputRequired(
        "Укажите дату.")], description="Дата подписания; номер присваивается при регистрации.")
    founder = text_field("Учредитель (строка над наименованием)", 500,
                    description="Например: Администрация муниципального образования Новоречинский район")
    place = text_field("Место издания", 200, description="Например: г. Новоречинск")
    heading = text_field("Заголовок", 500, required=True,
                    description="«О(б) …», без точки в конце")
    preamble = text_field("Вступительная часть (основание приказа)", 5000, area=True,
                     description="«В соответствии с …», «В целях …». Слово «ПРИКАЗЫВАЮ:» добавится само.")
    clauses = FieldList(FormField(ClauseForm), min_entries=1, max_entries=100)
    control_clause = text_field("Пункт о контроле", 1000, area=True)
    signer_position = text_field("Должность подписывающего", 200, required=True)
    signer_name = text_field("ФИО подписывающего", 200, required=True,
                        description="Полностью; в документе будет «И.О. Фамилия»")
    executor_note = text_field("Исполнитель (внизу документа)", 300,
                          description="ФИО и телефон исполнителя")
    annexes = FieldList(FormField(AnnexForm), max_entries=20)

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        formdata = self.meta.wrap_formdata(self, formdata)  # the request's form, or None
        self._posted = formdata
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)

    def _posted_rows(self, field):
        """How many rows were posted for a list field: WTForms keeps only max_entries of them
        and drops the rest without a word, so the count is taken from the request itself."""
        if not getattr(self, "_posted", None):
            return len(field.entries)
        return len(set(field._extract_indices(field.name, self._posted)))

    def _refuse_dropped(self, field, what):
        posted = self._posted_rows(field)
        if posted > field.max_entries:
            raise ValidationError(
                f"В форме {posted} {what}, а принимается не больше {field.max_entries}: ничего "
                f"не сохранено. Разделите документ или вынесите перечень в приложение.")

    def validate_clauses(self, field):
        self._refuse_dropped(field, "пунктов")

    def validate_annexes(self, field):
        self._refuse_dropped(field, "приложений")

    def validate_heading(self, field):
        if field.data and field.data.rstrip().endswith("."):
            raise ValidationError("Заголовок пишется без точки в конце.")

    def validate_order_date(self, field):
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Укажите дату между 2000 и 2100 годом.")

