"""The road map (roadmap.docx) and its execution report (roadmap_report.docx): context
builders and sample data. The .xlsx exports (xlsx.py) are made from the same contexts.

Input is a plain description of a road map (see sample_roadmap()), never ORM objects:
title, organization_name, the approving order (approved_by «приказом …», approved_number,
approved_on), period_start/period_end and sections with their activities and evidence.
The contexts hold only str, int, bool, lists and dicts: they are stored in the register.
"""
from datetime import date

from models.roadmap import CLOSED  # never overdue

from ..core.filters import date_num, deadline_text, fio_short, percent
from ..documents.doctype import Doctype
from ..documents.requisites import executor_line
from .data import roadmap_data

STATUS_LABELS = {
    "planned": "запланировано",
    "in_progress": "в работе",
    "done": "выполнено",
    "failed": "не выполнено",
    "postponed": "перенесено",
    "cancelled": "отменено",
}
# How an approving act is named in the stamp: «приказом …», «распоряжением …», «решением …».
ACT_WORDS = ("приказом", "распоряжением", "постановлением", "решением", "протоколом")


def stamp_lines(data):
    """«УТВЕРЖДЕНА», «приказом …», «от 12.03.2020 № 45»; [] when there is no approving order.
    A missing date or number is left as a blank to fill by hand."""
    by = (data.get("approved_by") or "").strip()
    number = (data.get("approved_number") or "").strip()
    on = data.get("approved_on")
    if not (by or number or on):
        return []
    if not by:
        by = "приказом"
    elif not by.lower().startswith(ACT_WORDS):
        by = f"приказом {by}"
    return ["УТВЕРЖДЕНА", by, f"от {date_num(on) if on else '__________'} № {number or '____'}"]


def section_heading(section):
    """«1. Организационные мероприятия»; just the title when the section has no number."""
    number = (section.get("number") or "").strip().rstrip(".")
    title = (section.get("title") or "").strip()
    return f"{number}. {title}" if number else title


def period_text(data):
    start, end = data.get("period_start"), data.get("period_end")
    if start and end and start != end:
        return f"{start}–{end}"
    return str(start or end or "")


def activity_number(activity, section, position, running):
    """The number as written; for an unnumbered activity «2.3» (its section's number and its
    place in the section), or its place in the whole road map when the section has none."""
    number = (activity.get("number") or "").strip()
    if number:
        return number
    section_number = (section.get("number") or "").strip().rstrip(".")
    return f"{section_number}.{position}" if section_number else str(running)


def _numbered(data):
    """[(section, [(activity, number)])]: every activity with the number it is printed with."""
    out, running = [], 0
    for section in data.get("sections") or []:
        activities = []
        for position, activity in enumerate(section.get("activities") or [], 1):
            running += 1
            activities.append((activity, activity_number(activity, section, position, running)))
        out.append((section, activities))
    return out


def _activity(activity, number=None):
    return {"number": number or (activity.get("number") or "").strip(),
            "title": activity.get("title") or "",
            "deadline": deadline_text(activity),
            "responsible": activity.get("responsible") or "",
            "audience": activity.get("audience") or "",
            "expected_result": activity.get("expected_result") or ""}


def executor_note(data):
    """«Белова Наталья Сергеевна, 8 (39145) 2-11-22»: who prepared the document."""
    return executor_line(data.get("executor"), data.get("executor_phone"))


def _common(data):
    """The requisites both documents carry: organisation, approval stamp, signer, executor."""
    return {"stamp": stamp_lines(data), "title": data.get("title") or "",
            "organization_name": data.get("organization_name") or "",
            "period": period_text(data),
            "signer_position": (data.get("signer_position") or "").strip(),
            "signer_name": fio_short((data.get("signer_name") or "").strip()),
            "executor_note": executor_note(data)}


def roadmap_context(data):
    """Plain data for roadmap.docx (and roadmap_xlsx) from a road map description."""
    compiled = data.get("as_of")  # the date the document is made on (document_data)
    return {**_common(data),
            "date_text": date_num(compiled) if compiled else "«___» ____________ 20__ г.",
            "sections": [
                {"number": (s.get("number") or "").strip(), "title": s.get("title") or "",
                 "heading": section_heading(s),
                 "activities": [_activity(a, number) for a, number in activities]}
                for s, activities in _numbered(data)]}


def evidence_lines(evidence):
    """«Приказ № 45 от 01.09.2026», then its public link when there is one."""
    lines = []
    for item in evidence or []:
        number, on = (item.get("number") or "").strip(), item.get("date")
        text = " ".join(part for part in (
            (item.get("title") or "").strip(), f"№ {number}" if number else "",
            f"от {date_num(on)}" if on else "") if part)
        url = (item.get("url") or "").strip()
        if not url.lower().startswith(("http://", "https://")):
            url = ""  # a link a reader can't follow from paper is not printed
        lines += [line for line in (text, url) if line]
    return lines


def is_overdue(activity, on_date):
    ends_on = activity.get("ends_on")
    return bool(ends_on and ends_on < on_date and activity.get("status") not in CLOSED)


def report_context(data, on_date):
    """Plain data for roadmap_report.docx (and report_xlsx): the road map on `on_date` with
    the status, the execution information and the evidence of each activity, and a summary."""
    context = _common(data)
    sections, total, done, overdue = [], 0, 0, 0
    for section, numbered in _numbered(data):
        activities = []
        for activity, number in numbered:
            status = activity.get("status") or "planned"
            late = is_overdue(activity, on_date)
            label = STATUS_LABELS.get(status, status)
            activities.append({**_activity(activity, number), "status_code": status,
                               "status": f"{label}, просрочено" if late else label,
                               "overdue": late, "execution": activity.get("execution") or "",
                               "evidence": evidence_lines(activity.get("evidence"))})
        section_done = sum(a["status_code"] == "done" for a in activities)
        sections.append({"number": (section.get("number") or "").strip(),
                         "title": section.get("title") or "", "heading": section_heading(section),
                         "done": section_done, "total": len(activities),
                         "progress": f"выполнено {section_done} из {len(activities)}",
                         "activities": activities})
        total += len(activities)
        done += section_done
        overdue += sum(a["overdue"] for a in activities)
    share = percent(done, total)
    return {**context, "date_text": date_num(on_date),
            "report_date": f"по состоянию на {date_num(on_date)}",
            "sections": sections,
            "summary": {"total": total, "done": done, "overdue": overdue, "percent_done": share,
                        "text": f"Всего мероприятий — {total}, выполнено — {done} "
                                f"({share}\u00a0%), просрочено — {overdue}.",
                        # a section without a heading is only counted in the totals
                        "sections": [{"heading": s["heading"], "done": s["done"],
                                      "total": s["total"]} for s in sections if s["heading"]]}}


# --- sample data --------------------------------------------------------------------------

def _evidence(kind, title, number="", on=None, url=""):
    return {"kind": kind, "title": title, "number": number, "date": on, "url": url}


def _act(number, title, deadline, starts_on, ends_on, responsible, audience, result,
         status="planned", execution="", evidence=()):
    return {"number": number, "title": title, "deadline_text": deadline, "starts_on": starts_on,
            "ends_on": ends_on, "responsible": responsible, "audience": audience,
            "expected_result": result, "status": status, "execution": execution,
            "evidence": list(evidence)}


CENTRE = "МКУ «Центр развития образования»"
DEPARTMENT = "Управление образования"


def sample_roadmap():
    """A realistic road map: 3 sections, 8 activities, evidence, one overdue on 01.12.2026."""
    return {
        "title": "Дорожная карта по реализации муниципальной программы поддержки школ с "
                 "низкими образовательными результатами на 2026–2027 годы",
        "organization_name": "Управление образования администрации муниципального "
                             "образования Новоречинский район",
        "approved_by": "приказом управления образования администрации муниципального "
                       "образования Новоречинский район",
        "approved_number": "01-07/45", "approved_on": date(2026, 3, 12),
        "period_start": 2026, "period_end": 2027,
        "signer_position": "Начальник управления образования",
        "signer_name": "Волков Михаил Евгеньевич",
        "executor": "Белова Наталья Сергеевна", "executor_phone": "8 (39145) 2-11-22",
        "sections": [
            {"number": "1", "title": "Организационные мероприятия", "activities": [
                _act("1.1", "Утверждение перечня школ с низкими образовательными результатами",
                     "Март 2026", date(2026, 3, 1), date(2026, 3, 31), DEPARTMENT,
                     "Руководители ОО", "Приказ об утверждении перечня ОО", status="done",
                     execution="Перечень из 4 школ утверждён, доведён до руководителей ОО.",
                     evidence=[_evidence("document", "Приказ", "01-07/52", date(2026, 3, 20),
                                         "https://opora.example.ru/docs/order-2026-52")]),
                _act("1.2", "Заключение соглашений о сетевом взаимодействии школ-лидеров и "
                            "школ-партнёров", "Апрель - май 2026", date(2026, 4, 1),
                     date(2026, 5, 31), f"{CENTRE}, руководители ОО", "ОО — участники проекта",
                     "Подписаны соглашения, утверждены планы взаимодействия", status="done",
                     execution="Подписаны 4 соглашения и планы взаимодействия.",
                     evidence=[_evidence("document", "Протокол", "3", date(2026, 5, 28)),
                               _evidence("file", "Сканы соглашений (архив)")]),
                _act("1.3", "Заседание координационного совета по итогам полугодия",
                     "II квартал 2026 года", date(2026, 4, 1), date(2026, 6, 30), DEPARTMENT,
                     "Члены координационного совета", "Протокол заседания, решения совета",
                     status="done", execution="Проведено 25.06.2026."),
            ]},
            {"number": "2", "title": "Методическое сопровождение", "activities": [
                _act("2.1", "Разработка школами программ повышения качества образования",
                     "Сентябрь-октябрь 2026", date(2026, 9, 1), date(2026, 10, 31),
                     "Руководители ОО", "Администрация ОО, рабочие группы",
                     "Программы рассмотрены и утверждены", status="in_progress",
                     execution="Утверждены 2 программы из 4; две возвращены на доработку."),
                _act("2.2", "Семинары для учителей математики по результатам ВПР",
                     "1 раз в 2 месяца", date(2026, 9, 1), date(2027, 5, 31), CENTRE,
                     "Учителя математики 5–9 классов", "Повышена методическая компетентность "
                     "учителей", status="in_progress",
                     execution="Проведены семинары 15.09.2026 и 17.11.2026.",
                     evidence=[_evidence("url", "Материалы семинаров",
                                         url="https://cro.example.ru/seminars/2026")]),
                _act("2.3", "Курсы повышения квалификации для педагогов ШНОР", "В течение года",
                     date(2026, 9, 1), date(2027, 8, 31), CENTRE, "Педагоги ШНОР",
                     "Не менее 30 педагогов прошли курсы"),
            ]},
            {"number": "3", "title": "Мониторинг и контроль", "activities": [
                _act("3.1", "Мониторинг реализации программ повышения качества образования",
                     "Октябрь 2026", date(2026, 10, 1), date(2026, 10, 31), CENTRE,
                     "ОО — участники проекта", "Аналитическая справка по итогам мониторинга",
                     status="postponed", execution="Перенесено на январь 2027 года."),
                _act("3.2", "Публикация отчёта об исполнении дорожной карты на сайте",
                     "Декабрь 2027", date(2027, 12, 1), date(2027, 12, 31), DEPARTMENT,
                     "Жители района", "Отчёт опубликован на официальном сайте"),
            ]},
        ],
    }


SAMPLE_REPORT_DATE = date(2026, 12, 1)


def document_data(roadmap, viewer, site_url="", on_date=None):
    """The road map as `viewer` may see it (data.roadmap_data), dated `on_date` (today when
    None): the report's «по состоянию на», the road map's date of compilation."""
    return {**roadmap_data(roadmap, viewer, site_url), "as_of": on_date or date.today()}

ROADMAP = Doctype(
    key="roadmap",
    title="Дорожная карта",
    data=document_data,  # (roadmap, viewer, site_url="", on_date=None)
    context=roadmap_context,
    sample=dict(sample_roadmap(), as_of=SAMPLE_REPORT_DATE),
    series="roadmap",
    pattern="ДК-{n}",
    variables={
        "stamp": "гриф утверждения: строки «УТВЕРЖДЕНА», «приказом …», «от 12.03.2026 № 45»; "
                 "пусто, если дорожная карта не утверждена приказом",
        "title": "наименование дорожной карты",
        "organization_name": "организация, которая ведёт дорожную карту",
        "period": "период реализации («2026–2027»)",
        "signer_position": "должность подписывающего",
        "signer_name": "подписывающий в форме «И.О. Фамилия»",
        "executor_note": "исполнитель и телефон (внизу мелким шрифтом)",
        "date_text": "дата составления: 01.12.2026 (пустые поля, если не указана)",
        "sections": "разделы: number, title, heading («1. Организационные мероприятия»; пусто "
                    "у раздела без номера и названия — строка раздела не печатается), "
                    "activities — мероприятия: number (у ненумерованного — «2.3» по порядку), "
                    "title, deadline (срок как написан), "
                    "responsible, audience (целевая аудитория), expected_result",
    },
)

REPORT = Doctype(
    key="roadmap_report",
    title="Информация об исполнении дорожной карты",
    data=document_data,  # (roadmap, viewer, site_url="", on_date=None)
    context=lambda plain: report_context(plain, plain["as_of"]),
    sample=dict(sample_roadmap(), as_of=SAMPLE_REPORT_DATE),
    series="roadmap_report",
    pattern="ИДК-{n}",
    variables={
        **ROADMAP.variables,
        "date_text": "дата, на которую составлен отчёт: 01.12.2026",
        "report_date": "«по состоянию на 01.12.2026»",
        "sections": "разделы: number, title, heading, done и total (выполнено и всего), "
                    "progress («выполнено 2 из 3»), activities — мероприятия: number, title, "
                    "deadline, responsible, audience, expected_result, status («в работе, "
                    "просрочено»), status_code, overdue (да/нет), execution (информация об "
                    "исполнении), evidence (строки «Приказ № 45 от 01.09.2026» и ссылки)",
        "summary": "итоги: total, done, overdue, percent_done, text («Всего мероприятий — 8, "
                   "выполнено — 3 (38 %), просрочено — 2.»), sections (heading, done, total)",
    },
)
