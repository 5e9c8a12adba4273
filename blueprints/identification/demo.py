"""Demo: the centre's methodology (the federal rule, the share of «2» on ВПР in mathematics,
the ЕГЭ mean score and the ШФНСУ context index), the context data of the last two school years,
and the lists of both years approved by the department's orders. The assessment results of the
monitoring demo (its STORY) make five schools meet the methodology each year: four both years,
ООШ № 6 entering this year, Малиновская ООШ leaving; Таёжная ООШ stays just under the threshold
and the centre adds it by hand with a reason. The current list is published."""
import random
import zlib
from datetime import date

from peewee import fn

from models import (CONTEXT_SHARES, AssessmentResult, IdentificationRow, IdentificationRun,
                    Organization, User)

from . import services
from .documents import list_order

CRITERIA = [
    {"kind": "federal", "threshold": 30.0, "min_procedures": 2, "years": 2},
    {"kind": "vpr_share", "subject": "Математика", "grades": [], "years": 2, "threshold": 30.0},
    {"kind": "mean_below", "procedure": "ege", "subject": "Русский язык", "gap": 15.0},
    {"kind": "context", "above": 12.0, "size_limit": 300,
     "weights": {"low_income": 2.0, "single_parent": 1.0, "preventive": 2.0,
                 "special_needs": 1.0, "non_native": 1.0}},
]
# Schools whose social context is harder than their cluster's (the ШФНСУ criterion).
HARD = {"МБОУ «Калиновская ООШ»": 1.0, "МБОУ «Таёжная ООШ»": 0.7,
        "МБОУ «Берёзовская СОШ»": 0.6}
MANUAL_REASON = ("Результаты 2-й год подряд у порога (≈ 27 % «2» на ВПР и ОГЭ), смена "
                 "руководителя и 40 % вакансий учителей начальных классов; решение "
                 "методического совета от 05.09.{year} № 3.")


def _context(school, year):
    rng = random.Random(zlib.crc32(f"{school.short_name} {year}".encode()))
    village = not any(mark in school.short_name for mark in ("№", "Перспектива"))
    hard = HARD.get(school.short_name, 0)
    values = {"is_rural": village,
              "students": rng.randint(60, 240) if village else rng.randint(450, 1100)}
    for name, (low, high) in zip(CONTEXT_SHARES, ((6, 14), (12, 22), (1, 4), (2, 6), (0, 3))):
        values[name] = round(rng.uniform(low, high) * (1 + 1.6 * hard), 1)
    return values


def load_demo_identification(today=None):
    """The methodology, the context, the lists of the last two years and their orders; the
    current one published. Without assessment results (no monitoring demo) it does nothing."""
    last = AssessmentResult.select(fn.MAX(AssessmentResult.year)).scalar()
    if not last:
        return None
    today = today or date.today()
    centre = User.get(User.login == "centre")
    department = User.get(User.login == "department")
    issuer = department.organization
    methodology = services.save_methodology({
        "name": "Федеральные критерии и социальный контекст",
        "description": "Методика муниципального центра: федеральный критерий 2024–2025 годов, "
                       "доля «2» на ВПР по математике, средний балл ЕГЭ по русскому языку и "
                       "индекс социального контекста (ШФНСУ) внутри кластера школ.",
        "criteria": CRITERIA, "min_met": 1, "near": 5}, centre.id)
    schools = list(Organization.select().where(Organization.kind == "school"))
    run = None
    for year in (last - 1, last):
        services.save_contexts(year, {s.id: _context(s, year) for s in schools}, centre.id)
        run = services.run_methodology(methodology, year, centre.id)
        if year == last:
            taiga = (IdentificationRow.select().join(Organization, on=(
                IdentificationRow.school == Organization.id))
                .where((IdentificationRow.run == run.id)
                       & (Organization.short_name == "МБОУ «Таёжная ООШ»")).first())
            if taiga is not None and not taiga.listed:
                services.change_by_hand(run, taiga, True, MANUAL_REASON.format(year=year),
                                        centre.id)
        on_date = min(date(year, 9, 12), today)
        order = list_order(issuer.full_name, on_date, year, issuer.head_position,
                           issuer.head_name, place="г. Новоречинск",
                           executor_note="Белова Наталья Сергеевна, 8 (39145) 2-11-22")
        services.approve(IdentificationRun.get_by_id(run.id), order, department.id, issuer.id)
    run = IdentificationRun.get_by_id(run.id)
    services.publish(run)
    return run
