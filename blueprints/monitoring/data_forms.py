"""The GET filters of the data page (sorting, the change from the previous period, the
indicator whose charts are shown): one form, no CSRF; an unknown value is ignored."""
from wtforms import BooleanField, SelectField

from ..core.forms import BaseForm, choices
from . import consolidated

CHARTED = ("int", "percent", "decimal")  # a chart of yes/no answers says nothing
ORDERS = [("asc", "по возрастанию"), ("desc", "по убыванию")]


class DataFilterForm(BaseForm):
    class Meta:
        csrf = False
        locales = ("ru",)

    sort = SelectField("Сортировать по", validate_choice=False)
    order = SelectField("Порядок", choices=choices(ORDERS), validate_choice=False)
    change = BooleanField("Изменение к предыдущему периоду")
    chart = SelectField("Графики по показателю", validate_choice=False)

    def fill(self, indicators, has_previous):
        """Choices from the campaign's form; (sort, descending, with_change, chart code)."""
        self.sort.choices = choices(list(consolidated.FIXED_SORTS.items())
                                    + [(i.code, i.name) for i in indicators])
        numeric = [i for i in indicators if i.value_type in CHARTED]
        self.chart.choices = choices([(i.code, i.name) for i in numeric])
        sort = self.sort.data if self.sort.data in consolidated.sort_keys(indicators) else "school"
        self.sort.data = sort
        descending = self.order.data == "desc"
        self.order.data = "desc" if descending else "asc"
        codes = [i.code for i in numeric]
        chart = self.chart.data if self.chart.data in codes else (codes[0] if codes else "")
        self.chart.data = chart
        if not has_previous:
            self.change.data = False
        return sort, descending, bool(self.change.data), chart
