"""order_low_result_list: the department's order approving the list of schools with low
educational results for a school year («Об утверждении перечня общеобразовательных организаций
с низкими образовательными результатами …»). An order (the order doctype makes its context)
with two annexes: the list with the criteria each school met and the numbers behind them, and
the methodology that produced it."""
from datetime import date, timedelta

from models import IdentificationRow, Methodology, Organization, school_year

from ..core.filters import date_num
from ..documents import api
from ..documents.doctype import Doctype
from ..documents.requisites import founder_of
from . import engine

ANNEX_HEADER = ["№ п/п", "Наименование общеобразовательной организации",
                "Выполненные критерии и показатели"]


def _centre_name():
    centre = Organization.centre()
    return centre.short_name if centre is not None else ""


def _programme_deadline(year, on_date):
    """1 November of the school year; for an order after that (an amended list), two months
    from the order, not a date already past."""
    deadline = date(year, 11, 1)
    if on_date and on_date >= deadline - timedelta(days=30):
        deadline = on_date + timedelta(days=61)
    return deadline


def list_order(organization_name, on_date, year, signer_position="", signer_name="",
               founder="", place="", executor_note="", centre_name=None):
    """The order approving the list of school year `year` with its standard wording."""
    label = school_year(year)
    centre = (centre_name if centre_name is not None else _centre_name()) or \
        "Методическому центру"
    return {
        "kind": "order", "founder": founder or founder_of(organization_name),
        "organization_name": organization_name, "order_date": on_date, "place": place,
        "heading": "Об утверждении перечня общеобразовательных организаций с низкими "
                   f"образовательными результатами на {label} учебный год",
        "preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
                    "образовании в Российской Федерации», на основании результатов оценочных "
                    "процедур (ВПР, ОГЭ, ЕГЭ) и данных о социальном контексте деятельности "
                    "общеобразовательных организаций, в целях оказания им адресной "
                    "методической помощи",
        "clauses": [
            {"level": 0, "text": "Утвердить перечень общеобразовательных организаций с низкими "
                                 f"образовательными результатами на {label} учебный год "
                                 "(приложение 1), выявленных по методике согласно "
                                 "приложению 2.", "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций, включённых в "
                                 "перечень, разработать (актуализировать) программы повышения "
                                 "качества образования", "executor": "",
             "deadline": f"до {date_num(_programme_deadline(year, on_date))}"},
            {"level": 0, "text": f"{centre} обеспечить методическое сопровождение "
                                 "общеобразовательных организаций, включённых в перечень",
             "executor": "", "deadline": f"в течение {label} учебного года"},
        ],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": signer_position, "signer_name": signer_name,
        "executor_note": executor_note, "annexes": [],
    }


def school_lines(row):
    """What the annex says of a listed row: each criterion met (its short name) with its
    numbers, one per line, or the reason it was added by hand."""
    lines = []
    for check in row["criteria"]:
        if check["met"]:
            lines.append(f"{check.get('short') or check['title']}:")
            lines.extend(f"– {line}" for line in check["lines"])
    if row.get("manual") == "add":
        lines.append(f"Включена решением методического центра: {row.get('reason', '')}")
    return lines


def methodology_plain(methodology):
    return {"name": methodology.name, "version": methodology.version,
            "min_met": methodology.min_met,
            "criteria": [engine.describe(c) for c in methodology.criteria]}


def order_data(record):
    """{"order": list_order() as the user adjusted it, "run": IdentificationRun} → plain."""
    run = record["run"]
    rows = (IdentificationRow.select().where((IdentificationRow.run == run.id)
                                             & IdentificationRow.listed)
            .order_by(IdentificationRow.school_name))
    return {"order": record["order"], "year": run.year,
            "methodology": methodology_plain(Methodology.get_by_id(run.methodology_id)),
            "schools": [{"name": r.school_name, "criteria": r.details, "manual": r.manual,
                         "reason": r.reason} for r in rows]}


def order_context(plain):
    label = school_year(plain["year"])
    method = plain["methodology"]
    rows = [[f"{n}.", school["name"], "\n".join(school_lines(school))]
            for n, school in enumerate(plain.get("schools") or [], 1)]
    criteria = [f"{n}) {text.rstrip('.')};" for n, text in enumerate(method["criteria"], 1)]
    if criteria:
        criteria[-1] = criteria[-1][:-1] + "."
    description = dict(plain["order"], annexes=[
        {"title": "Перечень общеобразовательных организаций с низкими образовательными "
                  f"результатами на {label} учебный год", "header": ANNEX_HEADER, "rows": rows},
        {"title": f"Методика выявления общеобразовательных организаций с низкими "
                  f"образовательными результатами «{method['name']}» (версия "
                  f"{method['version']})", "header": [], "rows": [],
         "text": "\n\n".join([f"Общеобразовательная организация включается в перечень, если "
                        f"выполнено не менее {method['min_met']} из {len(criteria)} "
                        "критериев:", *criteria])},
    ])
    return api.context("order", plain=dict(description, number=plain.get("number", ""),
                                           on_date=plain.get("on_date")))


# --- sample ---------------------------------------------------------------------------------

def _check(criterion, met, lines):
    return {"title": engine.describe(criterion), "short": engine.short(criterion), "met": met,
            "near": False, "lines": lines}


FEDERAL = {"kind": "federal", "threshold": 30, "min_procedures": 2, "years": 2}
VPR = {"kind": "vpr_share", "subject": "Математика", "grades": [], "years": 2, "threshold": 30}


def sample_order():
    federal, vpr = FEDERAL, VPR
    order = list_order(
        "Управление образования администрации муниципального образования Новоречинский "
        "район", date(2026, 9, 14), 2026, "Начальник управления образования",
        "Волков Михаил Евгеньевич",
        founder="Администрация муниципального образования Новоречинский район",
        place="г. Новоречинск", executor_note="Белова Наталья Сергеевна, 8 (39145) 2-11-22",
        centre_name="МБУ «Центр развития образования»")
    schools = [
        {"name": "МБОУ «СОШ № 1»", "manual": "", "reason": "", "criteria": [
            _check(federal, True, ["не ниже порога в 2026 году — 3 процедуры, из них 2 "
                                   "года подряд — 2",
                                   "ВПР, математика, 5 класс: 34,2 % «2» (2025), 31,0 % (2026)",
                                   "ОГЭ, русский язык, 9 класс: 33,3 % «2» (2025), 30,4 % "
                                   "(2026)"]),
            _check(vpr, True, ["ВПР, математика, 5 класс: 34,2 % «2» (2025), 31,0 % (2026)"])]},
        {"name": "МБОУ «Калиновская ООШ»", "manual": "", "reason": "", "criteria": [
            _check(federal, True, ["не ниже порога в 2026 году — 2 процедуры, из них 2 "
                                   "года подряд — 1",
                                   "ВПР, русский язык, 7 класс: 36,4 % «2» (2025), 35,0 % "
                                   "(2026)"]),
            _check(vpr, False, ["ВПР, математика, 5 класс: 27,3 % «2» (2025), 25,0 % (2026)"])]},
        {"name": "МБОУ «Таёжная ООШ»", "manual": "add",
         "reason": "Смена руководителя и 40 % вакансий учителей; результаты 2026 года близки "
                   "к порогу (решение методического совета от 05.09.2026 № 3).",
         "criteria": [_check(federal, False, ["не ниже порога в 2026 году — 1 "
                                              "процедура, из них 2 года подряд — 0"])]},
    ]
    return {"order": order, "year": 2026, "number": "01-07/64", "on_date": date(2026, 9, 14),
            "methodology": {"name": "Федеральные критерии и доля «2» по математике",
                            "version": 2, "min_met": 1,
                            "criteria": [engine.describe(FEDERAL), engine.describe(VPR)]},
            "schools": schools}


ORDER_LOW_RESULT_LIST = Doctype(
    key="order_low_result_list",
    title="Приказ об утверждении перечня школ с низкими образовательными результатами",
    series="order",  # the department's orders share one yearly numbering
    data=order_data,
    context=order_context,
    sample=sample_order(),
    pattern="{n}",
    variables=api.variables_of("order"),
)
