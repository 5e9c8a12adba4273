"""Demo: three years of ВПР (математика, русский язык; 5 and 7 grades), ОГЭ (математика,
русский язык) and ЕГЭ (русский язык, математика профильная) of every demo school, the same on
every run (seeded by the school's name). The low-result schools (`is_low_result`) have 20–40 %
of «2» on ВПР and ОГЭ, slowly falling; the others 3–12 %. ЕГЭ: 12–30 % below the minimum
threshold at the low-result schools, 0–6 % elsewhere; the basic schools (ООШ) have no 11th
grade and so no ЕГЭ."""
import random
import zlib
from datetime import date
from decimal import Decimal

from models import AssessmentResult, Organization, db

PLAN = [("vpr", "Математика", 5), ("vpr", "Русский язык", 5), ("vpr", "Математика", 7),
        ("vpr", "Русский язык", 7), ("oge", "Математика", 9), ("oge", "Русский язык", 9),
        ("ege", "Русский язык", 11), ("ege", "Математика (профильная)", 11)]
SOURCE = "Демонстрационные данные"


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
            for step, year in enumerate(range(end - 2, end + 1)):
                trend = -0.025 * step if low else 0
                noise = rng.uniform(-0.035, 0.035) if low else rng.uniform(-0.02, 0.03)
                share = min(0.40, max(0.20, level + trend + noise)) if low else min(
                    0.12, max(0.03, level + noise))
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
