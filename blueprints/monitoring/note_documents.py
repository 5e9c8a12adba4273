"""The doctypes of a campaign's results: the analytical note (analytical_note) and the order on
the results (order_monitoring_results). The note's plain data is note.note_data(); its context
draws the charts (PNG pictures, documents.api.picture) and numbers tables and figures. The
order is an order: its context is the order doctype's, with the listed schools as its annex."""
from datetime import date, timedelta

from ..core.filters import NBSP, date_num, fio_short
from ..documents import api
from ..documents.doctype import Doctype
from . import note

CHART_WIDTH_MM = 160


def note_heading(title):
    """«Мониторинг позитивных изменений …» → «по итогам мониторинга позитивных изменений …»."""
    title = (title or "").strip()
    if title.lower().startswith("мониторинг"):
        return "по итогам мониторинга" + title[len("мониторинг"):]
    return f"по итогам мониторинга «{title}»"


def _paragraphs(text):
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def note_context(plain):
    """The template context of the note (JSON: the charts as base64 PNG pictures)."""
    number, on_date = plain.get("number", ""), plain.get("on_date") or plain["note_date"]
    specs = note.chart_specs(plain)
    drawn = note.start_drawing(specs)  # the charts draw on the other cores meanwhile
    by_code = {}
    sections, table_number = [], 0
    for indicator in plain["indicators"]:
        if not sections or sections[-1]["title"] != indicator["section"]:
            sections.append({"title": indicator["section"], "indicators": []})
        view = note.indicator_view(indicator)
        table_number += 1
        unit = f", {view['unit_label']}" if view["unit_label"] else ""
        sections[-1]["indicators"].append({
            "heading": "", "name": view["name"],
            "table_title": f"Таблица {table_number} — {view['name']}{unit}",
            "rows": view["rows"], "municipal": view["municipal"], "below": view["below"],
            "draft": view["draft"], "figures": by_code.setdefault(indicator["code"], [])})
    for figure_number, (spec, png) in enumerate(zip(specs, drawn()), 1):
        caption = f"Рисунок {figure_number} — {spec['title']}"
        by_code.setdefault(spec["code"], []).append({
            "image": api.picture(png, CHART_WIDTH_MM, caption), "caption": caption})
    for s_index, section in enumerate(sections, 1):
        section["heading"] = f"2.{s_index}. {section['title']}" if section["title"] else ""
        for i_index, item in enumerate(section["indicators"], 1):
            prefix = f"2.{s_index}.{i_index}." if section["title"] else f"2.{i_index}."
            item["heading"] = f"{prefix} {item['name']}"
    texts = plain["texts"]
    executor = ", ".join(x for x in (plain.get("executor_name", ""),
                                     plain.get("executor_phone", "")) if x)
    return {
        "is_draft": not number,
        "organization_name": plain["organization_name"],
        "heading": note_heading(plain["title"]),
        "date_text": date_num(on_date),
        "number_text": number or "____",
        "general": note.general_paragraphs(plain),
        "columns": {"current": plain["period_label"],
                    "previous": plain.get("previous_label") or "Предыдущий период"},
        "sections": sections,
        "analysis": _paragraphs(texts.get("analysis")),
        "conclusions": _paragraphs(texts.get("conclusions")),
        "recommendations": _paragraphs(texts.get("recommendations")),
        "signer_position": plain.get("signer_position", ""),
        "signer_name": fio_short(plain.get("signer_name", "")),
        "executor_note": f"Исполнитель: {executor}" if executor else "",
    }


def note_data(campaign, saved=None, on_date=None):
    """The note of a campaign as plain data (note.note_data)."""
    return note.note_data(campaign, saved, on_date)


# --- the order on the results ----------------------------------------------------------------

def results_order(plain_note, organization_name, on_date, note_number="", note_date=None,
                  signer_position="", signer_name="", executor_note="", place="", founder="",
                  methodist="", due=None):
    """The department's order on the results with its standard clauses, pre-filled from the
    note (the user edits them in the order form)."""
    due = date_num(due or on_date + timedelta(days=30))
    title = plain_note["title"]
    topic = title[0].lower() + title[1:] if title else ""
    reference = (f" от {date_num(note_date)} № {note_number}" if note_number and note_date
                 else "")
    return {
        "kind": "order", "founder": founder, "organization_name": organization_name,
        "order_date": on_date, "place": place,
        "heading": f"Об итогах {topic.replace('мониторинг', 'мониторинга', 1)}"
        if topic.startswith("мониторинг") else f"Об итогах мониторинга «{title}»",
        "preamble": f"На основании аналитической справки{reference} "
                    f"{note_heading(title)}, в целях повышения качества образования",
        "clauses": [
            {"level": 0, "text": f"Принять к сведению аналитическую справку{reference} "
                                 f"{note_heading(title)}.", "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций, "
                                 "перечисленных в приложении:", "executor": "", "deadline": ""},
            {"level": 1, "text": "проанализировать результаты мониторинга на заседаниях "
                                 "педагогических советов", "executor": "", "deadline": due},
            {"level": 1, "text": "скорректировать программы повышения качества образования "
                                 "с учётом результатов мониторинга", "executor": "",
             "deadline": due},
            {"level": 0, "text": "Методическому центру провести консультации для руководителей "
                                 "и педагогов общеобразовательных организаций, перечисленных в "
                                 "приложении", "executor": methodist, "deadline": due},
        ],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": signer_position, "signer_name": signer_name,
        "executor_note": executor_note, "annexes": [],
    }


ANNEX_HEADER = ["№ п/п", "Общеобразовательная организация", "Показатели хуже пороговых значений"]


def order_data(record):
    """`record` is {"order": results_order() as edited, "schools": [(school, [indicator])]}."""
    return {"order": record["order"],
            "schools": [[school, list(names)] for school, names in record["schools"]]}


def order_context(plain):
    order = plain["order"]
    rows = [[str(n), school, "; ".join(names)]
            for n, (school, names) in enumerate(plain.get("schools") or [], 1)]
    annexes = [{"title": "Перечень общеобразовательных организаций, показатели которых хуже "
                         "пороговых значений по итогам мониторинга",
                "header": ANNEX_HEADER, "rows": rows}] if rows else []
    return api.context("order", plain=dict(order, annexes=annexes,
                                           number=plain.get("number", ""),
                                           on_date=plain.get("on_date")))


# --- samples ------------------------------------------------------------------------------------

SAMPLE_SCHOOLS = ["МБОУ «СОШ № 1»", "МБОУ «СОШ № 3» с. Заречное", "МБОУ «Лицей № 7»",
                  "МБОУ «ООШ № 12» п. Северный", "МБОУ «СОШ № 5»", "МБОУ «Гимназия № 2»"]


def _sample_rows(values, previous):
    return [{"school": s, "value": v, "previous": p}
            for s, v, p in zip(SAMPLE_SCHOOLS, values, previous)]


def _summary(values, total=False):
    from decimal import Decimal
    numbers = [Decimal(v) for v in values if v is not None]
    mean = (sum(numbers) / len(numbers)).quantize(Decimal("0.1"))
    return {"count": len(numbers), "total": str(sum(numbers)) if total else None,
            "mean": str(mean), "median": None, "min": str(min(numbers)), "max": str(max(numbers))}


def sample_note():
    share = ["9.8", "14.3", "4.2", "18.5", "7.1", "3.6"]
    share_before = ["12.4", "15.0", "5.1", "17.2", "7.1", "4.0"]
    failed = ["5", "7", "3", "6", "4", "2"]
    failed_before = ["6", "7", "4", "5", "4", "3"]
    trained = ["3", "5", "8", "1", "4", "6"]
    trained_before = ["2", "4", "8", "1", "3", "5"]
    return {
        "organization_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
                             "Новоречинского района",
        "title": "Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
        "period_label": "I полугодие 2026/2027", "period_start": date(2026, 9, 1),
        "period_end": date(2026, 12, 31), "previous_label": "II полугодие 2025/2026",
        "note_date": date(2027, 1, 25),
        "basis": {"title": "О проведении мониторинга позитивных изменений в ШНОР",
                  "number": "12", "on_date": date(2026, 9, 5)},
        "participants": {"submitted": 6, "total": 7, "missing": ["МБОУ «СОШ № 9»"]},
        "indicators": [
            {"code": "share_2", "name": "Доля обучающихся, получивших «2»", "unit": "%",
             "value_type": "percent", "higher_is_better": False,
             "section": "Результаты обучения", "rows": _sample_rows(share, share_before),
             "summary": _summary(share), "previous_summary": _summary(share_before),
             "threshold": "10",
             "dynamics": [{"period": "I полугодие 2025/2026", "mean": "11.9"},
                          {"period": "II полугодие 2025/2026", "mean": "10.1"},
                          {"period": "I полугодие 2026/2027", "mean": "9.6"}]},
            {"code": "failed", "name": "Число обучающихся, получивших «2»", "unit": "чел.",
             "value_type": "int", "higher_is_better": False,
             "section": "Результаты обучения", "rows": _sample_rows(failed, failed_before),
             "summary": _summary(failed, True),
             "previous_summary": _summary(failed_before, True), "threshold": None,
             "dynamics": []},
            {"code": "trained_teachers",
             "name": "Число педагогов, прошедших повышение квалификации за период",
             "unit": "чел.", "value_type": "int", "higher_is_better": True,
             "section": "Кадровые условия", "rows": _sample_rows(trained, trained_before),
             "summary": _summary(trained, True),
             "previous_summary": _summary(trained_before, True), "threshold": "3",
             "dynamics": []},
        ],
        "charted": None,
        "texts": {
            "analysis": "Доля обучающихся, получивших «2», снизилась с 10,1 % до 9,6 % (на "
                        "0,5 п. п.): результаты улучшились в трёх ОО из шести.\nНаибольшая доля "
                        "неудовлетворительных отметок — в МБОУ «ООШ № 12» п. Северный (18,5 %).",
            "conclusions": "Отчёты представили 6 из 7 ОО.\nЗначения хуже пороговых отмечены у "
                           "трёх ОО.",
            "recommendations": "Руководителям ОО, перечисленных в выводах, скорректировать "
                               "программы повышения качества образования в срок до "
                               "01.03.2027.\nМетодисту Смирновой Л.А. провести консультации "
                               "до 15.02.2027.",
        },
        "signer_position": "Директор МБУ «Центр развития образования»",
        "signer_name": "Кузнецова Ольга Викторовна",
        "executor_name": "Смирнова Людмила Александровна",
        "executor_phone": f"8{NBSP}(39145) 2-11-22",
    }


def sample_order():
    plain_note = sample_note()
    order = results_order(
        plain_note, "Управление образования администрации муниципального образования "
        "Новоречинский район", date(2027, 2, 1), "3-АС", date(2027, 1, 25),
        "Начальник управления образования", "Волков Михаил Евгеньевич",
        "Белова Наталья Сергеевна, 8 (39145) 2-11-22", "г. Новоречинск",
        "Администрация муниципального образования Новоречинский район",
        methodist="Смирнова Л.А.", due=date(2027, 3, 1))
    return {"order": order, "schools": note.listed_schools(plain_note),
            "number": "01-07/15", "on_date": date(2027, 2, 1)}


# --- the doctypes ---------------------------------------------------------------------------------

ANALYTICAL_NOTE = Doctype(
    key="analytical_note",
    title="Аналитическая справка",
    series="analytical_note",
    data=note_data,  # (campaign, saved=None, on_date=None)
    context=note_context,
    sample=sample_note(),
    pattern="{n}-АС",
    variables={
        "is_draft": "справка ещё не зарегистрирована: печатается отметка «ПРОЕКТ»",
        "organization_name": "организация, составившая справку (методический центр)",
        "heading": "заголовок «по итогам мониторинга …»",
        "date_text": "дата справки 25.01.2027 (регистрации или составления)",
        "number_text": "регистрационный номер («3-АС»; в проекте — пустое поле)",
        "general": "раздел 1 «Общие сведения»: абзацы (цель, основание, период, участники, "
                   "источники данных)",
        "columns": "заголовки столбцов таблиц: current (период мониторинга), previous "
                   "(предыдущий период)",
        "sections": "раздел 2 «Результаты»: heading («2.1. Результаты обучения»; пусто без "
                    "названия), indicators — heading («2.1.1. Доля …»), table_title («Таблица 1 "
                    "— …»), rows (number, school, value, previous, change «▼ 2,6 п. п.»), "
                    "municipal (label, value, previous, change), below (ОО хуже порогового "
                    "значения), draft (предложение о динамике), figures (image — рисунок, "
                    "caption «Рисунок 1 — …»)",
        "analysis": "раздел 3 «Анализ результатов»: абзацы",
        "conclusions": "раздел 4 «Выводы»: абзацы",
        "recommendations": "раздел 5 «Рекомендации»: абзацы",
        "signer_position": "должность подписывающего",
        "signer_name": "подписывающий в форме «И.О. Фамилия»",
        "executor_note": "исполнитель и телефон (внизу мелким шрифтом)",
    },
)

ORDER_RESULTS = Doctype(
    key="order_monitoring_results",
    title="Приказ об итогах мониторинга",
    series="order",  # the department's orders share one yearly numbering
    data=order_data,
    context=order_context,
    sample=sample_order(),
    pattern="{n}",
    variables=api.variables_of("order"),  # the order's template context
)
