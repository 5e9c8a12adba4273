"""The order doctype (приказ / распоряжение): context builder and sample data."""
from datetime import date

from ..core.filters import date_num, date_words, fio_short
from ..documents.registry import Doctype

KIND_TITLES = {"order": ("ПРИКАЗ", "приказу", "ПРИКАЗЫВАЮ:"),
               "directive": ("РАСПОРЯЖЕНИЕ", "распоряжению", "")}


def clause_rows(clauses):
    """Numbered clauses and sub-clauses flattened for the template: 1., 1.1., 1.2., 2. …"""
    rows, top, sub = [], 0, 0
    for clause in clauses:
        if clause["level"] and top:
            sub += 1
            number = f"{top}.{sub}."
        else:
            top, sub = top + 1, 0
            number = f"{top}."
        # The template adds the full stops after executor and deadline.
        rows.append({"number": number, "text": clause["text"],
                     "executor": clause["executor"].strip().rstrip("."),
                     "deadline": clause["deadline"].strip().rstrip(".")})
    return rows, top


def order_context(order, number="", on_date=None):
    """Plain data for order.docx from a plain description of the order (see sample())."""
    title, genitive, imperative = KIND_TITLES[order["kind"]]
    rows, last = clause_rows(order["clauses"])
    on_date = on_date or order.get("order_date")
    reference = f"{date_num(on_date) if number else '__________'} № {number or '____'}"
    annexes = []
    for index, annex in enumerate(order["annexes"], start=1):
        annexes.append({
            "heading": f"Приложение {index}\nк {genitive}\nот {reference}",
            "title": annex["title"],
            "paragraphs": [p for p in annex.get("text", "").split("\n\n") if p.strip()],
            "header": annex.get("header", []),
            "rows": annex.get("rows", []),
        })
    return {
        "is_draft": not number,
        "founder": order.get("founder", ""),
        "organization_name": order["organization_name"],
        "kind_title": title,
        "date_text": date_num(on_date) if number else "«___» ____________ 20__ г.",
        "date_words": date_words(on_date) if number else "",
        "number_text": number or "______",
        "place": order.get("place", ""),
        "heading": order["heading"],
        "preamble": order.get("preamble", ""),
        "imperative": imperative,
        "clauses": rows,
        "control_number": f"{last + 1}." if order.get("control_clause") else "",
        "control_clause": order.get("control_clause", ""),
        "signer_position": order["signer_position"],
        "signer_name": fio_short(order["signer_name"]),
        "executor_note": order.get("executor_note", ""),
        "annexes": annexes,
    }


def sample_order():
    return {
        "kind": "order",
        "founder": "Администрация муниципального образования Новоречинский район",
        "organization_name": "Управление образования администрации муниципального образования "
                             "Новоречинский район",
        "order_date": date(2026, 9, 1),
        "place": "г. Новоречинск",
        "heading": "Об организации мониторинга качества образования в школах с низкими "
                   "образовательными результатами в 2026/2027 учебном году",
        "preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании "
                    "в Российской Федерации», в целях повышения качества образования в школах "
                    "с низкими образовательными результатами (ШНОР)",
        "clauses": [
            {"level": 0, "text": "Утвердить план-график мониторинга (приложение 1).",
             "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций:",
             "executor": "", "deadline": ""},
            {"level": 1, "text": "назначить ответственных за мониторинг;",
             "executor": "руководители ОО", "deadline": "до 15.09.2026"},
            {"level": 1, "text": "представить отчёты в МБУ «Центр развития образования» "
                                 "& управление образования.",
             "executor": "руководители ОО", "deadline": "ежеквартально"},
            {"level": 0, "text": "МБУ «Центр развития образования» подготовить аналитическую "
                                 "справку по итогам мониторинга.",
             "executor": "Смирнова Л.А.", "deadline": "до 25.12.2026"},
        ],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": "Начальник управления образования",
        "signer_name": "Волков Михаил Евгеньевич",
        "executor_note": "Белова Наталья Сергеевна, 8 (39145) 2-11-22",
        "annexes": [
            {"title": "План-график мониторинга качества образования",
             "header": ["№", "Мероприятие", "Срок", "Ответственный"],
             "rows": [["1", "Сбор данных ВПР", "октябрь 2026", "Центр развития образования"],
                      ["2", "Анализ результатов < 30 % «2»", "ноябрь 2026", "Руководители ОО"]]},
        ],
    }


ORDER = Doctype(
    key="order",
    title="Приказ",
    build=order_context,
    sample=lambda: order_context(sample_order(), "01-07/45", date(2026, 9, 1)),
    series="order",
    pattern="{n}",
    variables={
        "is_draft": "документ ещё не зарегистрирован: печатается отметка «ПРОЕКТ»",
        "founder": "учредитель (строка над наименованием), может быть пустой",
        "organization_name": "полное наименование организации, издающей приказ",
        "kind_title": "ПРИКАЗ или РАСПОРЯЖЕНИЕ",
        "date_text": "дата регистрации 05.06.2020 (в проекте — пустые поля)",
        "date_words": "дата словами «5 июня 2020 г.»",
        "number_text": "регистрационный номер",
        "place": "место издания («г. Новоречинск»)",
        "heading": "заголовок «О …» без точки",
        "preamble": "преамбула «В соответствии с …»",
        "imperative": "«ПРИКАЗЫВАЮ:» (для распоряжения пусто)",
        "clauses": "пункты: number («1.», «1.1.»), text, executor, deadline",
        "control_number": "номер пункта о контроле",
        "control_clause": "текст пункта о контроле",
        "signer_position": "должность подписывающего",
        "signer_name": "подписывающий в форме «И.О. Фамилия»",
        "executor_note": "исполнитель и телефон (внизу мелким шрифтом)",
        "annexes": "приложения: heading, title, paragraphs, header, rows",
    },
)

DOCTYPES = (ORDER,)
