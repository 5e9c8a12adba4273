"""The order doctype (приказ / распоряжение): the order as plain data, its context builder
and sample data."""
import re
from datetime import date

from ..core.filters import (clause_sentence, date_num, date_words, fio_short, genitive,
                            preamble_text, strip_end)
from models import OrderAnnex, OrderClause

from ..documents.doctype import Doctype

KIND_TITLES = {"order": ("ПРИКАЗ", "приказу", "ПРИКАЗЫВАЮ:"),
               "directive": ("РАСПОРЯЖЕНИЕ", "распоряжению", "")}


def clause_rows(clauses):
    """Numbered clauses and sub-clauses flattened for the template: 1., 1.1., 1.2., 2. …"""
    rows, top, sub = [], 0, 0
    for index, clause in enumerate(clauses):
        nested = bool(clause["level"] and top)
        if nested:
            sub += 1
            number = f"{top}.{sub}."
        else:
            top, sub = top + 1, 0
            number = f"{top}."
        # Sub-clauses are one enumeration: «;» between them, «.» after the last one.
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        end = ";" if nested and following and following["level"] else "."
        executor, deadline = strip_end(clause["executor"]), strip_end(clause["deadline"])
        # `text` is the whole sentence, with «; ответственный — …, срок — до …» and its
        # closing «.» or «;»: the template prints it as it is.
        rows.append({"number": number,
                     "text": clause_sentence(clause["text"], executor, deadline, end),
                     "executor": executor, "deadline": deadline})
    return rows, top


SINGLE_ANNEX_REF = re.compile(r"\((приложени[еяию])\s*(?:№\s*)?1\)")


def genitive_name(organization_name):
    """«Управление образования …» → «управления образования …» for «к приказу …»."""
    return genitive(organization_name or "")  # an unknown form of name is left as typed


def split_table(text):
    """Pasted table text → (header, rows): tabs from Excel, or «;»."""
    lines = [line for line in (text or "").split("\n") if line.strip()]
    if not lines:
        return [], []
    separator = "\t" if "\t" in lines[0] else ";"
    cells = [[c.strip() for c in line.split(separator)] for line in lines]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    return cells[0], cells[1:]


def order_data(order):
    """The Order as the plain description order_context() reads (see sample_order)."""
    annexes = []
    for annex in order.annexes.order_by(OrderAnnex.position):
        header, rows = split_table(annex.table)
        annexes.append({"title": annex.title, "text": annex.text, "header": header, "rows": rows})
    return {
        "kind": order.kind, "founder": order.founder,
        "organization_name": order.organization.full_name, "order_date": order.order_date,
        "place": order.place, "heading": order.heading, "preamble": order.preamble,
        "clauses": [{"level": c.level, "text": c.text, "executor": c.executor,
                     "deadline": c.deadline}
                    for c in order.clauses.order_by(OrderClause.position)],
        "control_clause": order.control_clause, "signer_position": order.signer_position,
        "signer_name": order.signer_name, "executor_note": order.executor_note,
        "annexes": annexes,
    }


def order_context(order, number="", on_date=None):
    """Plain data for order.docx from a plain description of the order (see sample())."""
    title, genitive, imperative = KIND_TITLES[order["kind"]]
    rows, last = clause_rows(order["clauses"])
    if len(order["annexes"]) == 1:
        # The only annex is marked «Приложение» without a number: so is the text's reference.
        for row in rows:
            row["text"] = SINGLE_ANNEX_REF.sub(r"(\1)", row["text"])
    on_date = on_date or order.get("order_date")
    reference = f"{date_num(on_date) if number else '__________'} № {number or '____'}"
    annexes, several = [], len(order["annexes"]) > 1
    issuer = genitive_name(order["organization_name"])
    for index, annex in enumerate(order["annexes"], start=1):
        # «Приложение 1 к приказу управления образования … от … № …»; numbered only when
        # the order has several annexes, as the text's references («(приложение 1)») are.
        annexes.append({
            "heading": f"Приложение{f' {index}' if several else ''}\nк {genitive} {issuer}"
                       f"\nот {reference}",
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
        "preamble": preamble_text(order.get("preamble", ""), bool(imperative)),
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
            {"level": 0, "text": "Утвердить план-график мониторинга (приложение).",
             "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций:",
             "executor": "", "deadline": ""},
            {"level": 1, "text": "назначить ответственных за мониторинг;",
             "executor": "руководители ОО", "deadline": "до 15.09.2026"},
            {"level": 1, "text": "представить отчёты в МБУ «Центр развития образования» "
                                 "и управление образования.",
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
    series="order",
    data=order_data,
    # Registered plain data carries its number and date; a draft has neither.
    context=lambda plain: order_context(plain, plain.get("number", ""), plain.get("on_date")),
    sample=dict(sample_order(), number="01-07/45", on_date=date(2026, 9, 1)),
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
