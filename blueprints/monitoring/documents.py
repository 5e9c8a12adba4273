"""Monitoring doctypes. order_monitoring: the order launching a campaign («О проведении
мониторинга …») — an order (the order doctype makes its context) whose clauses name the period,
the deadline and the methodist, with two annexes: the form's indicators by section with their
units, and the schools asked."""
import re
from collections.abc import Mapping
from datetime import date, timedelta

from models import VALUE_TYPES, Organization

from ..core.filters import date_num, date_words, fio_short
from ..documents import api
from ..documents.doctype import Doctype
from ..documents.requisites import founder_of

# What the «unit» column says for indicators measured in no unit.
UNITLESS = {"bool": "да / нет", "choice": "вариант из списка", "text": "текст"}
INDICATORS_HEADER = ["№ п/п", "Наименование показателя", "Единица измерения"]
SCHOOLS_HEADER = ["№ п/п", "Наименование общеобразовательной организации"]
CONTROL = "Контроль за исполнением настоящего приказа оставляю за собой."
SCHOOL_YEAR = re.compile(r"\d{4}/\d{4}$")


def unit_of(indicator):
    """The unit as the annex prints it: «%», «чел.», or what a unitless value is."""
    unit = indicator.get("unit") if isinstance(indicator, dict) else indicator.unit
    kind = indicator.get("value_type") if isinstance(indicator, dict) else indicator.value_type
    return unit or UNITLESS.get(kind, VALUE_TYPES.get(kind, "—")) or "—"


def subject_of(title, period_label):
    """«Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027» → «мониторинга
    позитивных изменений в ШНОР»: the campaign's title without its period, in the genitive
    after «О проведении»."""
    topic = (title or "").strip()
    if period_label and topic.endswith(period_label):
        topic = topic[:-len(period_label)].rstrip(" ,—-:")
    if topic.lower().startswith("мониторинг "):
        return "мониторинга " + topic[len("мониторинг "):]
    return f"мониторинга «{topic}»" if topic else "мониторинга"


def period_phrase(period_label):
    """«за I полугодие 2026/2027 учебного года» (a school year gets its words)."""
    label = (period_label or "").strip()
    if not label:
        return ""
    return f"за {label} учебного года" if SCHOOL_YEAR.search(label) else f"за {label}"


def monitoring_order(organization_name, on_date, campaign, signer_position="", signer_name="",
                     founder="", place="", executor_note=""):
    """The order launching `campaign` (plain: campaign_plain()) with its standard wording; the
    user may adjust the date, heading, preamble, signer and executor."""
    subject = subject_of(campaign["title"], campaign["period_label"])
    period = period_phrase(campaign["period_label"])
    centre = campaign.get("centre_name") or "Методическому центру"
    methodist = fio_short(campaign.get("methodist_name") or "")
    deadline = campaign["deadline"]
    note_due = deadline + timedelta(days=14)
    return {
        "kind": "order", "founder": founder or founder_of(organization_name),
        "organization_name": organization_name, "order_date": on_date, "place": place,
        "heading": f"О проведении {subject} {period}".strip(),
        "preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
                    "образовании в Российской Федерации», в целях оценки позитивных изменений "
                    "в деятельности общеобразовательных организаций и принятия обоснованных "
                    "управленческих решений",
        "clauses": [
            {"level": 0, "text": f"Провести {subject.replace('мониторинга', 'мониторинг', 1)} "
                                 f"{period} (период с {date_num(campaign['period_start'])} по "
                                 f"{date_num(campaign['period_end'])}) по показателям согласно "
                                 "приложению 1.", "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций согласно "
                                 "приложению 2:", "executor": "", "deadline": ""},
            {"level": 1, "text": "назначить ответственных за представление данных мониторинга",
             "executor": "", "deadline": "в течение 5 рабочих дней со дня издания приказа"},
            {"level": 1, "text": "представить отчёты по показателям мониторинга в "
                                 "информационной системе «Опора», обеспечив достоверность и "
                                 "полноту данных", "executor": "",
             "deadline": f"до {date_words(deadline)}"},
            {"level": 0, "text": f"{centre} обеспечить обработку результатов мониторинга и "
                                 "подготовить аналитическую справку по его итогам",
             "executor": methodist, "deadline": f"до {date_words(note_due)}"},
        ],
        "control_clause": CONTROL,
        "signer_position": signer_position, "signer_name": signer_name,
        "executor_note": executor_note, "annexes": [],
    }


def campaign_plain(campaign, indicators, schools, methodist_name="", centre_name=None):
    """What the order reads of a campaign, as plain data: `indicators` are Indicators with
    `.section` (reads.form_indicators), `schools` Organizations."""
    sections = []
    for indicator in indicators:
        if not sections or sections[-1]["title"] != indicator.section:
            sections.append({"title": indicator.section, "indicators": []})
        sections[-1]["indicators"].append({"name": indicator.name, "unit": unit_of(indicator)})
    return {"title": campaign.title, "period_label": campaign.period_label,
            "period_start": campaign.period_start, "period_end": campaign.period_end,
            "deadline": campaign.deadline, "methodist_name": methodist_name,
            "centre_name": _centre_name() if centre_name is None else centre_name,
            "sections": sections,
            "schools": [s.short_name or s.full_name for s in schools]}


def _centre_name():
    centre = Organization.centre()
    return centre.short_name if centre is not None else ""


def order_data(record):
    """{"order": monitoring_order() as the user adjusted it, "campaign": campaign_plain()} —
    already plain: the view reads the campaign once for the form and the document."""
    return {"order": record["order"], "campaign": record["campaign"]}


def order_context(plain):
    campaign = plain["campaign"]
    sections = campaign.get("sections") or []
    titled = any(s["title"] for s in sections)
    numbered, rows = [], []
    for s_index, section in enumerate(sections, 1):
        items = [[f"{s_index}.{i}." if titled else f"{len(rows) + i}.", item["name"],
                  item["unit"]] for i, item in enumerate(section["indicators"], 1)]
        numbered.append({"title": f"{s_index}. {section['title'] or 'Показатели'}",
                         "rows": items})
        rows.extend(items)
    period = period_phrase(campaign["period_label"])
    description = dict(plain["order"], annexes=[
        {"title": f"Показатели мониторинга {period}".strip(), "header": INDICATORS_HEADER,
         "rows": rows},
        {"title": "Перечень общеобразовательных организаций — участников мониторинга",
         "header": SCHOOLS_HEADER,
         "rows": [[f"{n}.", name] for n, name in enumerate(campaign.get("schools") or [], 1)]},
    ])
    context = api.context("order", plain=dict(description, number=plain.get("number", ""),
                                              on_date=plain.get("on_date")))
    # The indicators annex prints its sections as rows across the table when they have titles.
    indicators, schools = context["annexes"]
    indicators.update(sections=numbered if titled else [], schools=[])
    if titled:
        indicators["rows"] = []
    schools.update(sections=[], schools=schools["rows"], rows=[])
    return context


# --- sample ---------------------------------------------------------------------------------

def _indicator(name, unit):
    return {"name": name, "unit": unit}


def sample_order():
    campaign = {
        "title": "Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
        "period_label": "I полугодие 2026/2027", "period_start": date(2026, 9, 1),
        "period_end": date(2026, 12, 31), "deadline": date(2027, 1, 15),
        "methodist_name": "Белова Наталья Сергеевна",
        "centre_name": "МБУ «Центр развития образования»",
        "sections": [
            {"title": "Результаты обучения", "indicators": [
                _indicator("Число обучающихся, участвовавших в оценочной процедуре", "чел."),
                _indicator("Число обучающихся, получивших «2»", "чел."),
                _indicator("Доля обучающихся, получивших «2»", "%")]},
            {"title": "Работа с обучающимися группы риска", "indicators": [
                _indicator("Число обучающихся группы риска учебной неуспешности", "чел."),
                _indicator("Число обучающихся группы риска с индивидуальным образовательным "
                           "маршрутом", "чел."),
                _indicator("Для обучающихся группы риска разработаны ИОМ", "да / нет")]},
            {"title": "Кадровые условия", "indicators": [
                _indicator("Число педагогических работников", "чел."),
                _indicator("Число педагогов, прошедших повышение квалификации за период",
                           "чел.")]},
        ],
        "schools": ["МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»", "МБОУ «ООШ № 6»",
                    "МБОУ «Берёзовская СОШ»", "МБОУ «Калиновская ООШ»"],
    }
    order = monitoring_order(
        "Управление образования администрации муниципального образования Новоречинский "
        "район", date(2026, 9, 7), campaign, "Начальник управления образования",
        "Волков Михаил Евгеньевич",
        founder="Администрация муниципального образования Новоречинский район",
        place="г. Новоречинск", executor_note="Белова Наталья Сергеевна, 8 (39145) 2-11-22")
    return {"order": order, "campaign": campaign, "number": "01-07/61",
            "on_date": date(2026, 9, 7)}


class _OrderVariables(Mapping):
    """The order's variables (looked up when read), with what this order's annexes add."""

    ANNEXES = ("приложения: heading, title, paragraphs, header, rows; у перечня показателей — "
               "sections (title раздела и его rows: номер, показатель, единица измерения), у "
               "перечня школ — schools (номер, наименование); rows у них пуст")

    def __init__(self):
        self.base = api.variables_of("order")

    def __getitem__(self, name):
        return self.ANNEXES if name == "annexes" else self.base[name]

    def __iter__(self):
        return iter(self.base)

    def __len__(self):
        return len(self.base)


ORDER_MONITORING = Doctype(
    key="order_monitoring",
    title="Приказ о проведении мониторинга",
    series="order",  # the department's orders share one yearly numbering
    data=order_data,
    context=order_context,
    sample=sample_order(),
    pattern="{n}",
    variables=_OrderVariables(),
)

