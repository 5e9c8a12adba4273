"""Forms of identification: the methodology with its criteria, the run, a change by hand, the
approving order's requisites and the school context of a year."""
from decimal import Decimal, InvalidOperation

from wtforms import BooleanField, DecimalField, FileField, FormField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Optional, ValidationError

from models import CONTEXT_SHARES, current_school_year, school_year

from ..core.forms import BaseForm, RowForm, choices, strip, text_field
from ..documents.forms import OrderRequisitesForm
from .engine import LIMITS

SUBJECTS = ["Математика", "Русский язык", "Математика (профильная)", "Математика (базовая)",
            "Физика", "Химия", "Биология", "История", "Обществознание", "География",
            "Информатика", "Английский язык", "Литература", "Окружающий мир"]


def year_choices():
    this = current_school_year()
    return [(str(y), school_year(y)) for y in range(this + 1, this - 5, -1)]


def _number(label, description=None):
    return DecimalField(label, places=None, validators=[Optional()], description=description)


def _int(label, description=None):
    return IntegerField(label, validators=[Optional()], description=description)


class FederalForm(RowForm):
    use = BooleanField("Применять федеральный критерий")
    threshold = _number("Порог: доля участников ниже минимального порога («2»), %")
    min_procedures = _int("Число процедур в текущем году, не менее")
    years = _int("Лет подряд в одной и той же процедуре")


class VprForm(RowForm):
    use = BooleanField("Применять критерий доли «2» на ВПР")
    subject = SelectField("Предмет", choices=choices([(s, s) for s in SUBJECTS]))
    grades = StringField("Классы (через запятую; пусто — все)", filters=[strip])
    years = _int("Число лет")
    threshold = _number("Порог: доля «2», % (в каждом году не ниже)")


class MeanForm(RowForm):
    use = BooleanField("Применять критерий среднего балла")
    procedure = SelectField("Процедура", choices=choices([("oge", "ОГЭ"), ("ege", "ЕГЭ")]))
    subject = SelectField("Предмет", choices=choices([(s, s) for s in SUBJECTS]))
    gap = _number("Ниже среднего по муниципалитету более чем на, баллов")


class ContextForm(RowForm):
    use = BooleanField("Применять индекс социального контекста (ШФНСУ)")
    low_income = _number("Вес: малоимущие семьи")
    single_parent = _number("Вес: неполные семьи")
    preventive = _number("Вес: профилактические учёты")
    special_needs = _number("Вес: обучающиеся с ОВЗ")
    non_native = _number("Вес: русский язык не родной")
    above = _number("Индекс выше среднего по кластеру более чем на, п.")
    size_limit = _int("Граница «малая / большая школа», обучающихся")


class MethodologyForm(BaseForm):
    name = text_field("Название методики", 300, required=True)
    description = text_field("Описание (для сайта)", 3000, area=True)
    min_met = IntegerField("Школа входит в перечень, если выполнено критериев не менее",
                           validators=[InputRequired("Укажите число критериев.")])
    near = DecimalField("«Близко к порогу»: запас, п.", places=None,
                        validators=[InputRequired("Укажите запас.")],
                        description="Школы, которые вошли бы в перечень при порогах, смягчённых "
                                    "на это число пунктов, отмечаются как близкие к порогу.")
    federal = FormField(FederalForm)
    vpr1 = FormField(VprForm)
    vpr2 = FormField(VprForm)
    mean1 = FormField(MeanForm)
    mean2 = FormField(MeanForm)
    context = FormField(ContextForm)

    SLOTS = ("federal", "vpr1", "vpr2", "mean1", "mean2", "context")
    criteria_errors = ()

    @staticmethod
    def _range(field, name, label=""):
        low, high = LIMITS[name]
        if field.data is None:
            field.errors.append("Заполните это поле.")
            return False
        if isinstance(field.data, Decimal) and not field.data.is_finite():
            field.errors.append("Введите число.")
            return False
        if not low <= field.data <= high:
            field.errors.append(f"Допустимо от {low} до {high}.")
            return False
        return True

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        used = [name for name in self.SLOTS if self[name].form.use.data]
        if not used:
            self.criteria_errors = ["Отметьте хотя бы один критерий."]
            ok = False
        for name in used:
            sub = self[name].form
            kind = name.rstrip("12")
            if kind == "federal":
                ok &= self._range(sub.threshold, "threshold")
                ok &= self._range(sub.min_procedures, "min_procedures")
                if self._range(sub.years, "years") and sub.years.data < 2:
                    sub.years.errors.append("Не меньше 2 лет: «два года подряд».")
                    ok = False
            elif kind == "vpr":
                ok &= self._range(sub.years, "years")
                ok &= self._range(sub.threshold, "threshold")
                if self.grades_of(sub) is None:
                    sub.grades.errors.append("Классы — числа от 4 до 11 через запятую.")
                    ok = False
            elif kind == "mean":
                ok &= self._range(sub.gap, "gap")
            else:
                weights = [sub[key] for key in CONTEXT_SHARES]
                good = all(self._range(field, "weight") for field in weights)
                if good and not sum(field.data for field in weights):
                    sub.low_income.errors.append("Хотя бы один вес должен быть больше нуля.")
                    good = False
                ok &= good
                ok &= self._range(sub.above, "above")
                ok &= self._range(sub.size_limit, "size_limit")
        if self.near.data is not None and not self._range(self.near, "near"):
            ok = False
        if self.min_met.data is not None and used and not 1 <= self.min_met.data <= len(used):
            self.min_met.errors.append(f"От 1 до {len(used)} — числа отмеченных критериев.")
            ok = False
        return bool(ok)

    @staticmethod
    def grades_of(sub):
        text = (sub.grades.data or "").replace(" ", "")
        if not text:
            return []
        try:
            grades = sorted({int(part) for part in text.split(",") if part})
        except ValueError:
            return None
        return grades if all(4 <= g <= 11 for g in grades) else None

    def criteria(self):
        """The used criteria as the engine reads them (plain, JSON)."""
        out = []
        for name in self.SLOTS:
            sub = self[name].form
            if not sub.use.data:
                continue
            kind = name.rstrip("12")
            if kind == "federal":
                out.append({"kind": "federal", "threshold": float(sub.threshold.data),
                            "min_procedures": sub.min_procedures.data, "years": sub.years.data})
            elif kind == "vpr":
                out.append({"kind": "vpr_share", "subject": sub.subject.data,
                            "grades": self.grades_of(sub), "years": sub.years.data,
                            "threshold": float(sub.threshold.data)})
            elif kind == "mean":
                out.append({"kind": "mean_below", "procedure": sub.procedure.data,
                            "subject": sub.subject.data, "gap": float(sub.gap.data)})
            else:
                out.append({"kind": "context", "above": float(sub.above.data),
                            "size_limit": sub.size_limit.data,
                            "weights": {key: float(sub[key].data) for key in CONTEXT_SHARES}})
        return out

    def values(self):
        return {"name": self.name.data, "description": self.description.data,
                "criteria": self.criteria(), "min_met": self.min_met.data,
                "near": self.near.data}


DEFAULTS = {"min_met": 1, "near": 5,
            "federal": {"use": True, "threshold": 30, "min_procedures": 2, "years": 2},
            "vpr1": {"subject": "Математика", "years": 2, "threshold": 30},
            "vpr2": {"subject": "Русский язык", "years": 2, "threshold": 30},
            "mean1": {"procedure": "ege", "subject": "Русский язык", "gap": 15},
            "mean2": {"procedure": "oge", "subject": "Математика", "gap": 1},
            "context": {"above": 10, "size_limit": 300,
                        **{key: 1 for key in CONTEXT_SHARES}}}


def form_data(methodology):
    """The form's data of a saved methodology (its criteria in the slots)."""
    data = {"name": methodology.name, "description": methodology.description,
            "min_met": methodology.min_met, "near": methodology.near_margin}
    slots = {"federal": ["federal"], "vpr_share": ["vpr1", "vpr2"],
             "mean_below": ["mean1", "mean2"], "context": ["context"]}
    for criterion in methodology.criteria:
        free = slots.get(criterion["kind"]) or []
        if not free:
            continue
        slot = free.pop(0)
        values = dict(criterion, use=True)
        values.pop("kind")
        if slot.startswith("vpr"):
            values["grades"] = ", ".join(map(str, criterion.get("grades") or []))
        if slot == "context":
            values.update(criterion.get("weights") or {})
        data[slot] = values
    for slot, values in DEFAULTS.items():
        if isinstance(values, dict) and slot not in data:
            data[slot] = dict(values, use=False)
    return data


class RunForm(BaseForm):
    year = SelectField("Учебный год", choices=year_choices, coerce=str)
    methodology = SelectField("Методика", coerce=int, validate_choice=False)

    def validate_year(self, field):
        if not (field.data or "").isdigit() or field.data not in {v for v, _ in year_choices()}:
            raise ValidationError("Выберите учебный год.")

    def validate_methodology(self, field):
        if not field.data or field.data not in {c.value for c in field.choices}:
            raise ValidationError("Выберите методику.")


class YearForm(BaseForm):
    class Meta:
        csrf = False
        locales = ("ru",)

    year = SelectField("Учебный год", choices=year_choices, validate_choice=False)

    @property
    def value(self):
        text = self.year.data or ""
        return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


class ManualForm(BaseForm):
    reason = text_field("Причина", 1000, required=True, area=True,
                        description="Обязательно: причина будет видна в перечне и в приказе.")


class ListOrderForm(OrderRequisitesForm):
    pass


# --- school context ---------------------------------------------------------------------------

CONTEXT_FIELDS = ("students", *CONTEXT_SHARES)


def read_context(form_data, school_ids):
    """({school: values}, {(school, field): message}) from the context table's inputs
    (`ctx-<school>-<field>`): shares 0–100 with a decimal comma or point, students 0–10000."""
    rows, errors = {}, {}
    for school in school_ids:
        values = {"is_rural": form_data.get(f"ctx-{school}-is_rural") == "1"}
        filled = False
        for name in CONTEXT_FIELDS:
            text = (form_data.get(f"ctx-{school}-{name}") or "").strip().replace(",", ".")
            if not text:
                values[name] = 0
                continue
            filled = True
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                errors[(school, name)] = "Введите число."
                continue
            if name == "students":
                if number != number.to_integral_value() or not 0 <= number <= 10000:
                    errors[(school, name)] = "Целое число от 0 до 10000."
                    continue
                values[name] = int(number)
            elif not 0 <= number <= 100:
                errors[(school, name)] = "Доля — от 0 до 100 %."
            else:
                values[name] = number.quantize(Decimal("0.1"))
        if filled:
            rows[school] = values
    return rows, errors


class ContextSaveForm(BaseForm):
    """CSRF of the context table (the inputs are read by read_context)."""


class ContextImportForm(BaseForm):
    file = FileField("Файл .xlsx", description="Столбцы: «Школа» (краткое или полное "
                     "наименование либо ИНН), «Сельская» (да / нет), «Обучающихся» и пять долей "
                     "в процентах — см. шаблон.")
