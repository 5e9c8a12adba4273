"""The visit report (visit_report): «Справка по итогам выезда (посещения) …» with the GOST
requisites of the other notes: the organisation, the document's name, date and number, the
heading, then 1 Общие сведения, 2 Что изучено (уроки, документы, беседы), 3 Выявленное по
факторам риска (a table), 4 Рекомендации (a table: рекомендация, срок, ответственный),
5 Выводы, the curator's signature and the school head's acquaintance line kept together."""
from datetime import date

from models import Organization, RiskFactor, VisitFinding, VisitRecommendation

from ..core.filters import date_num, fio_short
from ..documents.doctype import Doctype


def _paragraphs(text):
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def visit_data(visit):
    """The visit as plain data (the only step that reads the database)."""
    school = visit.school
    curator = visit.curator
    centre = Organization.centre()
    curator_org = curator.organization
    findings = (VisitFinding.select(VisitFinding, RiskFactor).join(RiskFactor)
                .where(VisitFinding.visit == visit.id).order_by(RiskFactor.code))
    recommendations = visit.recommendations.order_by(VisitRecommendation.position)
    return {
        "organization_name": centre.full_name if centre else "",
        "school_name": school.full_name, "school_short": school.short_name,
        "school_head_position": school.head_position or "Директор",
        "school_head_name": school.head_name,
        "visit_date": visit.visit_date, "purpose": visit.purpose,
        "participants": visit.participants,
        "curator_name": curator.full_name, "curator_position": curator.position,
        "curator_organization": curator_org.short_name if curator_org else "",
        "lessons": visit.lessons, "papers_checked": visit.papers_checked,
        "interviews": visit.interviews, "conclusion": visit.conclusion,
        "findings": [{"code": f.risk_factor.code, "factor": f.risk_factor.name, "text": f.text}
                     for f in findings],
        "recommendations": [{"text": r.text, "deadline": r.deadline_text,
                             "responsible": r.responsible} for r in recommendations],
    }


def visit_context(plain):
    number = plain.get("number", "")
    on_date = plain.get("on_date") or plain["visit_date"]
    curator = plain["curator_name"]
    position = plain.get("curator_position") or "Куратор"
    if plain.get("curator_organization"):
        position = f"{position} ({plain['curator_organization']}), куратор"
    else:
        position = f"{position}, куратор"
    general = [f"Дата выезда: {date_num(plain['visit_date'])}.",
               f"Цель: {plain['purpose'].rstrip('.')}."]
    if plain.get("participants"):
        general.append(f"Участники: {plain['participants'].rstrip('.')}.")
    general.append(f"Куратор: {curator}.")
    seen = [(title, _paragraphs(plain.get(key))) for title, key in (
        ("Посещённые уроки и занятия", "lessons"), ("Изученные документы", "papers_checked"),
        ("Беседы и собеседования", "interviews"))]
    return {
        "is_draft": not number,
        "organization_name": plain["organization_name"],
        "heading": f"по итогам выезда (посещения) в {plain['school_name']}",
        "date_text": date_num(on_date),
        "number_text": number or "____",
        "general": general,
        "seen": [{"title": f"2.{i}. {title}", "paragraphs": paragraphs or ["Не проводилось."]}
                 for i, (title, paragraphs) in enumerate(seen, 1)],
        "findings": [{"number": str(i), "factor": f["factor"], "text": f["text"]}
                     for i, f in enumerate(plain["findings"], 1)],
        "recommendations": [{"number": str(i), "text": r["text"], "deadline": r["deadline"],
                             "responsible": r["responsible"]}
                            for i, r in enumerate(plain["recommendations"], 1)],
        "conclusions": _paragraphs(plain.get("conclusion")) or ["Выводы не сформулированы."],
        "signer_position": position,
        "signer_name": fio_short(curator),
        "acquainted": f"{plain['school_head_position']} {plain['school_short']}",
        "acquainted_name": fio_short(plain.get("school_head_name") or ""),
    }


def sample_visit():
    return {
        "organization_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
                             "Новоречинского района",
        "school_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
                       "общеобразовательная школа № 1 г. Новоречинска»",
        "school_short": "МБОУ «СОШ № 1»", "school_head_position": "Директор",
        "school_head_name": "Макарова Ольга Николаевна",
        "visit_date": date(2026, 11, 18),
        "purpose": "Изучение организации работы с обучающимися с рисками учебной неуспешности "
                   "и оказание методической помощи",
        "participants": "Семенова А.В., учитель математики МБОУ «Гимназия № 3»; Макарова О.Н., "
                        "директор; Орлова Е.В., заместитель директора по УВР",
        "curator_name": "Семенова Алла Викторовна", "curator_position": "Учитель математики",
        "curator_organization": "МБОУ «Гимназия № 3»",
        "lessons": "Математика, 6 «Б» класс (учитель Петрова И.С.): урок открытия нового "
                   "знания, дифференцированные задания не предусмотрены.\nРусский язык, "
                   "5 «А» класс (учитель Андреева Н.П.): урок развития речи, организована "
                   "работа в парах.",
        "papers_checked": "Программа повышения качества образования на 2026–2028 годы.\n"
                             "Индивидуальные образовательные маршруты обучающихся 5–6 классов.",
        "interviews": "С заместителем директора по УВР о системе внутришкольного контроля.\n"
                      "С руководителем ШМО учителей математики о работе с неуспевающими.",
        "conclusion": "В школе начата работа по снижению доли обучающихся с рисками учебной "
                      "неуспешности, однако дифференциация на уроках используется мало.\n"
                      "Индивидуальные маршруты составлены формально, без диагностики.",
        "findings": [
            {"code": 2, "factor": "Высокая доля обучающихся с рисками учебной неуспешности",
             "text": "В 5–6 классах 18 % обучающихся имеют по итогам четверти «2» хотя бы по "
                     "одному предмету; диагностика причин не проводилась."},
            {"code": 6, "factor": "Низкое качество преодоления языковых и культурных барьеров",
             "text": "Не выявлено: в школе 3 обучающихся с неродным русским языком, с ними "
                     "работает логопед."},
        ],
        "recommendations": [
            {"text": "Провести входную диагностику обучающихся 5–6 классов и скорректировать "
                     "индивидуальные образовательные маршруты", "deadline": "до 15.12.2026",
             "responsible": "Орлова Е.В., заместитель директора по УВР"},
            {"text": "Включить дифференцированные задания в планы уроков математики",
             "deadline": "январь 2027", "responsible": "Руководитель ШМО учителей математики"},
            {"text": "Организовать взаимопосещение уроков с учителями МБОУ «Гимназия № 3»",
             "deadline": "ежемесячно", "responsible": "Макарова О.Н., директор"},
        ],
    }


VISIT_REPORT = Doctype(
    key="visit_report",
    title="Справка по итогам выезда (посещения)",
    series="visit_report",
    data=visit_data,
    context=visit_context,
    sample=sample_visit(),
    pattern="{n}-В",
    variables={
        "is_draft": "справка ещё не зарегистрирована: печатается отметка «ПРОЕКТ»",
        "organization_name": "методический центр, в регистре которого справка",
        "heading": "заголовок «по итогам выезда (посещения) в …» (полное наименование школы)",
        "date_text": "дата справки (регистрации или выезда), 18.11.2026",
        "number_text": "регистрационный номер («5-В»; в проекте — пустое поле)",
        "general": "раздел 1 «Общие сведения»: дата, цель, участники, куратор — абзацы",
        "seen": "раздел 2 «Что изучено»: title («2.1. Посещённые уроки и занятия»), "
                "paragraphs — абзацы",
        "findings": "раздел 3, таблица: number, factor (фактор риска), text (что выявлено)",
        "recommendations": "раздел 4, таблица: number, text, deadline (срок как написан), "
                           "responsible",
        "conclusions": "раздел 5 «Выводы»: абзацы",
        "signer_position": "должность куратора, его организация и «куратор»",
        "signer_name": "куратор в форме «И.О. Фамилия»",
        "acquainted": "должность руководителя школы для строки «Со справкой ознакомлен(а)»",
        "acquainted_name": "руководитель школы в форме «И.О. Фамилия»",
    },
)
