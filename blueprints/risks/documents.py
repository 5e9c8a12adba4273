"""The doctypes of risk profiles: a school's profile (`risk_profile`, «Рисковый профиль ОО») and
the municipal summary note of a year (`risk_summary`) with its heat map picture. Plain data is
made of the records here (`profile_data`, `summary_data`); the contexts only format it."""
from datetime import date

from models import RISK_LEVELS, Organization

from ..core.filters import date_num, fio_short, plural_ru
from ..documents import api
from ..documents.doctype import Doctype
from . import charts, summary

CHART_WIDTH_MM = 160


# --- risk_profile ----------------------------------------------------------------------------

def profile_data(profile, on_date=None):
    """A profile (RiskProfile) as plain data."""
    school = Organization.get_by_id(profile.school_id)
    centre = Organization.centre()
    return {
        "organization_name": centre.full_name if centre else "",
        "school_name": school.full_name, "school_short": school.short_name,
        "year": profile.year, "status": profile.status,
        "submitted_on": profile.submitted_at.date() if profile.submitted_at else None,
        "confirmed_on": profile.confirmed_at.date() if profile.confirmed_at else None,
        "factors": [{"code": r["code"], "name": r["name"], "level": r["level"],
                     "computed": r["computed"], "comment": r["comment"]}
                    for r in summary.profile_rows(profile)],
        "signer_position": school.head_position or "Директор",
        "signer_name": school.head_name, "profile_date": on_date or date.today(),
    }


def _level_counts_text(factors):
    counts = summary.counts([f["level"] for f in factors])
    parts = [f"{RISK_LEVELS[code]} — {n}" for code, n in counts.items() if n]
    return ("Уровни риска по факторам: " + "; ".join(parts) + ".") if parts else ""


def profile_context(plain):
    number, on_date = plain.get("number", ""), plain.get("on_date") or plain["profile_date"]
    year_text = f"{plain['year']}/{plain['year'] + 1}"
    basis = []
    if plain.get("submitted_on"):
        basis.append(f"по результатам самодиагностики, проведённой школой "
                     f"{date_num(plain['submitted_on'])}")
    if plain.get("confirmed_on"):
        basis.append(f"подтверждён методическим центром {date_num(plain['confirmed_on'])}")
    rows = [{"number": f"{f['code']}.", "name": f["name"],
             "level": RISK_LEVELS.get(f["level"], "не оценён"), "comment": f["comment"]}
            for f in plain["factors"]]
    return {
        "is_draft": not number,
        "organization_name": plain["organization_name"],
        "school_name": plain["school_name"],
        "year_text": f"на {year_text} учебный год",
        "date_text": date_num(on_date),
        "number_text": number or "____",
        "basis": ("Профиль составлен " + ", ".join(basis) + ".") if basis else "",
        "factors": rows,
        "counts": _level_counts_text(plain["factors"]),
        "signer_position": plain.get("signer_position") or "Директор",
        "signer_name": fio_short(plain.get("signer_name", "")),
    }


SAMPLE_FACTORS = [
    (1, "Низкий уровень оснащения школы", "low", "Интерактивные панели в 6 из 18 кабинетов."),
    (2, "Дефицит педагогических кадров", "high", "Две вакансии учителей математики."),
    (3, "Недостаточная предметная и методическая компетентность педагогических работников",
     "medium", ""),
    (4, "Риски низкой адаптивности учебного процесса", "medium", ""),
    (5, "Несформированность внутришкольной системы повышения квалификации", "low", ""),
    (6, "Низкое качество преодоления языковых и культурных барьеров", "none", ""),
    (7, "Пониженный уровень качества школьной образовательной и воспитательной среды", "low",
     ""),
    (8, "Высокая доля обучающихся с рисками учебной неуспешности", "high",
     "18 % обучающихся имеют «2» по итогам года."),
    (9, "Низкий уровень вовлечённости родителей", "medium", ""),
    (10, "Низкая учебная мотивация обучающихся", "high", "Пропуски уроков в 7–9 классах."),
]


def sample_profile():
    return {
        "organization_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
                             "Новоречинского района",
        "school_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
                       "общеобразовательная школа № 1 г. Новоречинска»",
        "school_short": "МБОУ «СОШ № 1»", "year": 2026, "status": "confirmed",
        "submitted_on": date(2026, 10, 5), "confirmed_on": date(2026, 10, 12),
        "factors": [{"code": c, "name": n, "level": lv, "computed": lv, "comment": cm}
                    for c, n, lv, cm in SAMPLE_FACTORS],
        "signer_position": "Директор", "signer_name": "Макарова Ольга Николаевна",
        "profile_date": date(2026, 10, 12),
    }


# --- risk_summary ------------------------------------------------------------------------------

def summary_data(year, on_date=None):
    """The summary of a school year (its start, int) as plain data (summary.year_summary plus
    the centre and the signer)."""
    centre = Organization.centre()
    return dict(summary.year_summary(year),
                organization_name=centre.full_name if centre else "",
                signer_position=(centre.head_position if centre else "") or "Директор",
                signer_name=centre.head_name if centre else "",
                note_date=on_date or date.today())


def _general(plain):
    total = len(plain["schools"])
    if not total:
        return [f"На {plain['year_label']} учебный год рисковые профили не составлены."]
    schools = f"{total} {plural_ru(total, 'общеобразовательной организации', 'общеобразовательных организаций', 'общеобразовательных организаций')}"
    confirmed = plain["confirmed"]
    return [
        f"Справка составлена по рисковым профилям {schools}, включённых в перечень "
        f"общеобразовательных организаций с низкими образовательными результатами на "
        f"{plain['year_label']} учебный год.",
        f"Профили составлены по результатам самодиагностики школ и подтверждены методическим "
        f"центром: подтверждено {confirmed} из {total}.",
        f"Уровень риска оценён по {len(plain['factors'])} "
        f"{plural_ru(len(plain['factors']), 'фактору', 'факторам', 'факторам')} риска "
        "(высокий, средний, низкий, не выявлен).",
    ]


def _conclusions(plain):
    top = summary.widespread(plain)
    if not top:
        return ["Факторы риска высокого и среднего уровня не выявлены."]
    total = len(plain["schools"])
    lines = ["Наиболее распространённые факторы риска (высокий и средний уровень): " + "; ".join(
        f"«{name}» — {n} из {total} ОО" for _, name, n in top) + "."]
    high = plain["totals"]["high"]
    if high:
        lines.append(f"Всего оценок высокого уровня риска — {high}. Рекомендуется учесть их "
                     "в программах повышения качества образования и планах кураторов.")
    return lines


def summary_context(plain):
    number, on_date = plain.get("number", ""), plain.get("on_date") or plain["note_date"]
    factors = plain["factors"]
    picture = charts.summary_heat_map(plain)
    caption = "Рисунок 1 — Уровни факторов риска по общеобразовательным организациям"
    return {
        "is_draft": not number,
        "organization_name": plain["organization_name"],
        "heading": ("о рисковых профилях общеобразовательных организаций с низкими "
                    f"образовательными результатами на {plain['year_label']} учебный год"),
        "date_text": date_num(on_date),
        "number_text": number or "____",
        "general": _general(plain),
        "factor_numbers": [str(f["code"]) for f in factors],
        "schools": [{"number": str(n), "school": s["school"],
                     "marks": [summary.MARKS.get(level, "?") for level in s["levels"]]}
                    for n, s in enumerate(plain["schools"], 1)],
        "legend": "Обозначения: В — высокий, С — средний, Н — низкий уровень риска, «—» — "
                  "риск не выявлен, «?» — не оценён. Номера факторов — по таблице 2.",
        "factors": [{"number": str(f["code"]), "name": f["name"],
                     "high": str(f["counts"]["high"]), "medium": str(f["counts"]["medium"]),
                     "low": str(f["counts"]["low"]), "none": str(f["counts"]["none"])}
                    for f in factors],
        "totals": {k: str(v) for k, v in plain["totals"].items()},
        "figure": {"image": api.picture(picture, CHART_WIDTH_MM, caption), "caption": caption},
        "conclusions": _conclusions(plain),
        "signer_position": plain.get("signer_position") or "Директор",
        "signer_name": fio_short(plain.get("signer_name", "")),
    }


SAMPLE_SCHOOLS = [
    ("МБОУ «СОШ № 1»", ["low", "high", "medium", "medium", "low", "none", "low", "high",
                        "medium", "high"]),
    ("МБОУ «СОШ № 2»", ["medium", "medium", "high", "low", "low", "none", "medium", "high",
                        "low", "medium"]),
    ("МБОУ «ООШ № 6»", ["high", "high", "medium", "medium", "medium", "low", "low", "medium",
                        "high", "high"]),
    ("МБОУ «Берёзовская СОШ»", ["medium", "high", "low", "low", "none", "none", "low", "medium",
                                 "medium", "medium"]),
    ("МБОУ «Калиновская ООШ»", ["high", "medium", "medium", "", "", "", "", "", "", ""]),
]


def sample_summary():
    factors = [{"code": c, "name": n} for c, n, _, _ in SAMPLE_FACTORS]
    schools = [{"profile_id": i, "school": name, "status": "confirmed" if i < 4 else "diagnosis",
                "status_label": "", "levels": levels}
               for i, (name, levels) in enumerate(SAMPLE_SCHOOLS)]
    for index, factor in enumerate(factors):
        factor["counts"] = summary.counts([s["levels"][index] for s in schools])
    return {
        "year": 2026, "year_label": "2026/2027", "factors": factors, "schools": schools,
        "totals": summary.counts([lv for s in schools for lv in s["levels"]]), "confirmed": 4,
        "organization_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
                             "Новоречинского района",
        "signer_position": "Директор", "signer_name": "Смирнова Людмила Аркадьевна",
        "note_date": date(2026, 10, 20),
    }


# --- the doctypes ------------------------------------------------------------------------------

RISK_PROFILE = Doctype(
    key="risk_profile",
    title="Рисковый профиль ОО",
    series="risk_profile",
    data=profile_data,  # (profile, on_date=None)
    context=profile_context,
    sample=sample_profile(),
    pattern="{n}-РП",
    variables={
        "is_draft": "профиль не зарегистрирован: печатается отметка «ПРОЕКТ»",
        "organization_name": "методический центр, который ведёт профили",
        "school_name": "полное наименование школы",
        "year_text": "«на 2026/2027 учебный год»",
        "date_text": "дата профиля 12.10.2026 (регистрации или составления)",
        "number_text": "регистрационный номер («5-РП»; в проекте — пустое поле)",
        "basis": "как составлен профиль: самодиагностика школы, подтверждение центром (абзац)",
        "factors": "факторы риска: number («1.»), name, level (высокий, средний, низкий, не "
                   "выявлен, не оценён), comment",
        "counts": "итог: сколько факторов каждого уровня (абзац)",
        "signer_position": "должность руководителя школы",
        "signer_name": "руководитель школы в форме «И.О. Фамилия»",
    },
)

RISK_SUMMARY = Doctype(
    key="risk_summary",
    title="Сводная справка о рисковых профилях",
    series="risk_summary",
    data=summary_data,  # (year, on_date=None)
    context=summary_context,
    sample=sample_summary(),
    pattern="{n}-РС",
    variables={
        "is_draft": "справка не зарегистрирована: печатается отметка «ПРОЕКТ»",
        "organization_name": "методический центр, составивший справку",
        "heading": "заголовок «о рисковых профилях … на 2026/2027 учебный год»",
        "date_text": "дата справки 20.10.2026",
        "number_text": "регистрационный номер («2-РС»; в проекте — пустое поле)",
        "general": "раздел 1 «Общие сведения»: абзацы",
        "factor_numbers": "номера факторов — заголовки столбцов таблицы 1",
        "schools": "таблица 1 (ОО × факторы): number, school, marks — обозначение уровня по "
                   "каждому фактору (В, С, Н, —, ?)",
        "legend": "расшифровка обозначений таблицы 1",
        "factors": "таблица 2 (факторы): number, name, high, medium, low, none — число ОО "
                   "с этим уровнем",
        "totals": "итоговая строка таблицы 2: high, medium, low, none",
        "figure": "тепловая карта: image (рисунок), caption («Рисунок 1 — …»)",
        "conclusions": "раздел 4 «Выводы»: абзацы",
        "signer_position": "должность подписывающего",
        "signer_name": "подписывающий в форме «И.О. Фамилия»",
    },
)
