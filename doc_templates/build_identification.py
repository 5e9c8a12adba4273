"""Builder of order_low_result_list.docx: the order approving the list of schools with low
educational results is an order (the same layout). Annex 1 is the list — a table of three
columns (number, school, the criteria met with their numbers); annex 2 is the methodology that
produced it, as paragraphs (its `rows` are empty, so no table prints)."""
from .parts import build_order


def build_order_low_result_list():
    build_order("order_low_result_list.docx", annex_columns=[
        ("№ п/п", 1.1), ("Наименование общеобразовательной организации", 5.4),
        ("Выполненные критерии и показатели", 9.5)])


BUILDERS = [build_order_low_result_list]
