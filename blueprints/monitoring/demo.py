"""Demo: three years of ВПР (математика, русский язык; 5 and 7 grades), ОГЭ (математика,
русский язык) and ЕГЭ (русский язык, математика профильная) of every demo school, the same on
every run (seeded by the school's name). The low-result schools (`is_low_result`) have 20–40 %
of «2» on ВПР and ОГЭ (by year as STORY says); the others 3–12 %. ЕГЭ: 12–30 % below the minimum
threshold at the low-result schools, 0–6 % elsewhere; the basic schools (ООШ) have no 11th
grade and so no ЕГЭ.

Campaigns (load_demo_campaigns): a closed campaign of the previous half-year and an open one
of the current half-year with its registered order, half of the reports sent, one returned,
two overdue (school1's among them: it can still finish its draft)."""
import random
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from models import (AssessmentResult, Indicator, MonitoringCampaign, MonitoringReport,
                    Organization, ReportRemark, ReportValue, User, db)

from ..core.values import format_number, read_value
from . import campaigns, reads
from .documents import monitoring_order

PLAN = [("vpr", "Математика", 5), ("vpr", "Русский язык", 5), ("vpr", "Математика", 7),
        ("vpr", "Русский язык", 7), ("oge", "Математика", 9), ("oge", "Русский язык", 9),
        ("ege", "Русский язык", 11), ("ege", "Математика (профильная)", 11)]
SOURCE = "Демонстрационные данные"
# The low-result schools' level of «2» on ВПР and ОГЭ by year (oldest first), so that the
# identification demo's methodology (30 % in two procedures, the same one two years running)
# lists four of them every year, one from this year on (ООШ № 6), one until last year
# (Малиновская ООШ), and leaves Таёжная ООШ just under the threshold.
STORY = {"МБОУ «СОШ № 1»": (0.36, 0.35, 0.34), "МБОУ «СОШ № 2»": (0.37, 0.35, 0.35),
         "МБОУ «Берёзовская СОШ»": (0.36, 0.36, 0.34), "МБОУ «Калиновская ООШ»": (0.38, 0.37, 0.36),
         "МБОУ «ООШ № 6»": (0.22, 0.32, 0.37), "МБОУ «Малиновская ООШ»": (0.37, 0.36, 0.21),
         "МБОУ «Таёжная ООШ»": (0.25, 0.27, 0.27)}


def last_year(today=None):
    """The latest year with results: the current one from July, when ГИА is over."""
    today = today or date.today()
    return today.year if today.month >= 7 else today.year - 1


def _marks(rng, participants, share_2):
    failed = round(participants * share_2)
    rest = participants - failed
    threes = round(rest * rng.uniform(0.42, 0.55))
    fours = round((rest - threes) * rng.uniform(0.6, 0.75))
    return failed, threes, fours, rest - threes - fours


def load_demo_results(today=None):
    end = last_year(today)
    schools = list(Organization.select().where(Organization.kind == "school")
                   .order_by(Organization.id))
    rows = []
    for school in schools:
        rng = random.Random(zlib.crc32(school.short_name.encode()))
        village = not any(mark in school.short_name for mark in ("№", "Перспектива"))
        basic = "ООШ" in school.short_name
        cohort = rng.randint(10, 22) if village else rng.randint(45, 85)
        low = school.is_low_result
        for procedure, subject, grade in PLAN:
            if procedure == "ege" and basic:
                continue
            level = rng.uniform(0.27, 0.36) if low else rng.uniform(0.05, 0.09)
            story = STORY.get(school.short_name) if low else None
            for step, year in enumerate(range(end - 2, end + 1)):
                trend = -0.025 * step if low else 0
                noise = rng.uniform(-0.035, 0.035) if low else rng.uniform(-0.02, 0.03)
                share = min(0.40, max(0.20, level + trend + noise)) if low else min(
                    0.12, max(0.03, level + noise))
                if story:
                    share = story[step] + noise * 0.5
                participants = max(4, cohort + rng.randint(-4, 4)
                                   - (cohort // 2 if procedure == "ege" else 0))
                row = {"school": school.id, "procedure": procedure, "subject": subject,
                       "grade": grade, "year": year, "participants": participants,
                       "source": SOURCE, "mark2": None, "mark3": None, "mark4": None,
                       "mark5": None, "below_min": None}
                if procedure == "ege":
                    below = min(0.30, max(0.12, share * 0.8)) if low else min(0.06, share * 0.5)
                    row["below_min"] = round(participants * below)
                    base = 52 if subject == "Русский язык" else 44
                    row["mean_score"] = Decimal(str(round(
                        base + (0 if low else 14) + rng.uniform(-4, 4), 1)))
                else:
                    m2, m3, m4, m5 = _marks(rng, participants, share)
                    row.update(mark2=m2, mark3=m3, mark4=m4, mark5=m5, mean_score=(
                        Decimal(2 * m2 + 3 * m3 + 4 * m4 + 5 * m5) / participants).quantize(
                            Decimal("0.01")))
                rows.append(row)
    with db.atomic():
        for start in range(0, len(rows), 100):
            AssessmentResult.insert_many(rows[start:start + 100]).execute()
    return len(rows)


# --- campaigns --------------------------------------------------------------------------------

# The demo form: eight catalogue indicators in three sections.
FORM = [("Результаты обучения", ("participants", "failed", "share_2")),
        ("Работа с обучающимися группы риска", ("students_at_risk", "students_with_iom",
                                                 "has_iom")),
        ("Кадровые условия", ("teachers", "trained_teachers"))]
TOPIC = "Мониторинг позитивных изменений в ШНОР"
# The current campaign's reports by school (short name); the rest of the low-result schools
# are submitted. СОШ № 1 (school1) has a draft and may still finish it.
CURRENT = {"МБОУ «СОШ № 1»": "draft", "МБОУ «СОШ № 2»": "accepted",
           "МБОУ «Берёзовская СОШ»": "accepted", "МБОУ «Калиновская ООШ»": "returned",
           "МБОУ «Таёжная ООШ»": "not_started"}


def half_years(today=None):
    """(previous, current) half-years as (label, start, end, deadline); the current deadline
    has just passed, so the unsent reports are overdue while the collection is still open (a
    late report is still accepted)."""
    today = today or date.today()
    label, start, end, _ = campaigns.half_year(today)
    previous = campaigns.half_year(start - timedelta(days=1))
    return previous, (label, start, end, max(start, today - timedelta(days=3)))


def _values(school, period_start, low):
    """{code: text} of one school's report: plausible and consistent with the seeded rules
    (failed <= participants, share_2 = failed / participants × 100, with IOM <= at risk…)."""
    rng = random.Random(zlib.crc32(f"{school.short_name} {period_start}".encode()))
    participants = rng.randint(14, 30) if "ООШ" in school.short_name else rng.randint(40, 90)
    failed = round(participants * (rng.uniform(0.14, 0.3) if low else rng.uniform(0.02, 0.08)))
    at_risk = max(2, round(participants * rng.uniform(0.1, 0.25)))
    with_iom = rng.randint(at_risk // 2, at_risk)
    teachers = rng.randint(9, 16) if "ООШ" in school.short_name else rng.randint(25, 55)
    share = (Decimal(failed * 100) / participants).quantize(Decimal("0.1"))
    return {"participants": str(participants), "failed": str(failed),
            "share_2": format_number(share), "students_at_risk": str(at_risk),
            "students_with_iom": str(with_iom), "has_iom": "да" if with_iom else "нет",
            "teachers": str(teachers), "trained_teachers": str(rng.randint(2, teachers // 2))}


def _fill(report, indicators, texts, author, when):
    rows = []
    for indicator in indicators:
        if indicator.code not in texts:
            continue
        value, error = read_value(indicator, texts[indicator.code])
        assert error is None, (indicator.code, error)
        number = (1 if value else 0) if isinstance(value, bool) else value
        rows.append({"report": report.id, "indicator": indicator.id,
                     "text": texts[indicator.code], "number": number})
    ReportValue.insert_many(rows).execute()
    MonitoringReport.update(updated_at=when, updated_by=author, version=1).where(
        MonitoringReport.id == report.id).execute()


def _move(report, status, when, reviewer):
    changes = {"status": status}
    if status in ("submitted", "returned", "accepted"):
        changes.update(submitted_at=when, revision=1)
    if status == "accepted":
        changes.update(accepted_at=when + timedelta(days=2))
    MonitoringReport.update(**changes).where(MonitoringReport.id == report.id).execute()
    if status == "returned":
        ReportRemark.create(report=report, field="students_with_iom",
                            field_label="Число обучающихся группы риска с индивидуальным "
                                        "образовательным маршрутом",
                            text="В прошлом полугодии ИОМ было больше: проверьте число и "
                                 "поясните в комментарии.", revision=1, author=reviewer)


def _launch(campaign, issuer, author, on_date):
    record = campaigns.order_record(campaign, {})
    order = monitoring_order(issuer.full_name, on_date, record["campaign"],
                             issuer.head_position, issuer.head_name, place="г. Новоречинск",
                             executor_note="Белова Наталья Сергеевна, 8 (39145) 2-11-22")
    return campaigns.launch_campaign(campaign, order, author, issuer.id)


def load_demo_campaigns(today=None):
    """A closed campaign of the previous half-year (every low-result school accepted) and an
    open one of the current half-year copied from it, launched by a registered order: four
    reports sent or accepted, one returned with a remark, СОШ № 1 (school1) with a draft and
    Таёжная ООШ not started — both overdue."""
    today = today or date.today()
    centre = User.get(User.login == "centre")
    department = User.get(User.login == "department")
    issuer = department.organization
    codes = [code for _, group in FORM for code in group]
    found = {i.code: i for i in Indicator.select().where(Indicator.code.in_(codes))}
    rows = [{"section": title, "indicator": found[code].id} for title, group in FORM
            for code in group if code in found]
    (label, start, end, deadline), current = half_years(today)
    earlier = campaigns.save_campaign({
        "title": f"{TOPIC}, {label}", "period_label": label, "period_start": start,
        "period_end": end, "deadline": deadline, "scope": "low_result", "schools": [],
        "methodist": centre.id, "rows": rows}, centre.id)
    _launch(earlier, issuer, department.id, start + timedelta(days=6))
    indicators = reads.form_indicators(earlier.id)
    for report in MonitoringReport.select().where(MonitoringReport.campaign == earlier.id):
        when = datetime.combine(deadline - timedelta(days=5), datetime.min.time())
        _fill(report, indicators, _values(report.school, start, True), centre, when)
        _move(report, "accepted", when, centre)
    campaigns.close_campaign(earlier)
    label, start, end, deadline = current
    later = campaigns.copy_campaign(MonitoringCampaign.get_by_id(earlier.id), centre.id)
    MonitoringCampaign.update(title=f"{TOPIC}, {label}", period_label=label, period_start=start,
                              period_end=end, deadline=deadline).where(
        MonitoringCampaign.id == later.id).execute()
    later = MonitoringCampaign.get_by_id(later.id)
    _launch(later, issuer, department.id, start + timedelta(days=6))
    when = datetime.combine(max(start, deadline - timedelta(days=2)), datetime.min.time())
    for report in (MonitoringReport.select(MonitoringReport, Organization).join(
            Organization, on=(MonitoringReport.school == Organization.id))
            .where(MonitoringReport.campaign == later.id)):
        status = CURRENT.get(report.school.short_name, "submitted")
        if status == "not_started":
            continue
        texts = _values(report.school, start, True)
        if status == "draft":  # school1 has begun: the results, not yet the rest
            texts = {code: texts[code] for code in ("participants", "failed")}
        _fill(report, indicators, texts, centre if status == "accepted" else None, when)
        _move(report, status, when, centre)
    return earlier, later


def load_demo_note(campaign, today=None):
    """The finished campaign's analytical note, its drafts taken as written, registered and
    published on /docs: what the centre does at the end of a period."""
    from ..documents import api as documents
    from . import note, note_services
    centre = User.get(User.login == "centre")
    on_date = min(today or date.today(), campaign.deadline + timedelta(days=10))
    saved = {"signer_position": "Директор", "signer_name": "Соколова Ирина Владимировна",
             "executor_name": centre.full_name, "executor_phone": "8 (39145) 2-10-30"}
    saved.update(note.default_texts(note.note_data(campaign, saved, on_date)))
    document = note_services.register_note(campaign, saved, on_date, centre.id,
                                           organization=centre.organization_id)
    return documents.publish(document)


def load_demo_monitoring(today=None):
    """The monitoring demo: assessment results, the campaigns, the finished one's note."""
    load_demo_results(today)
    earlier, _ = load_demo_campaigns(today)
    load_demo_note(MonitoringCampaign.get_by_id(earlier.id), today)
