"""Identification for `make bench`: the run of a methodology over 500 schools × 3 years × 12
procedures (the pure function alone, then with the database reads and the save), and the list
page of those 500 schools with their explanations under wrk at 16 connections (p95 and the ratio
to the bare page of the same run).

Called by tests/bench/run.py with its running servers; `synthetic` and `method` are also used by
tests/test_identification.py."""
import random
import time

YEAR = 2026
SUBJECTS = [("vpr", "Математика", 5), ("vpr", "Русский язык", 5), ("vpr", "Математика", 6),
            ("vpr", "Русский язык", 6), ("vpr", "Математика", 7), ("vpr", "Русский язык", 7),
            ("vpr", "Математика", 8), ("vpr", "Русский язык", 8), ("oge", "Математика", 9),
            ("oge", "Русский язык", 9), ("ege", "Русский язык", 11),
            ("ege", "Математика (профильная)", 11)]


def method():
    return {"criteria": [
        {"kind": "federal", "threshold": 30.0, "min_procedures": 2, "years": 2},
        {"kind": "vpr_share", "subject": "Математика", "grades": [], "years": 3,
         "threshold": 25.0},
        {"kind": "mean_below", "procedure": "ege", "subject": "Русский язык", "gap": 10.0},
        {"kind": "context", "above": 8.0, "size_limit": 300,
         "weights": {"low_income": 2, "single_parent": 1, "preventive": 2, "special_needs": 1,
                     "non_native": 1}}], "min_met": 1, "near": 5.0}


def synthetic(schools=500, years=3, procedures=12, seed=14):
    """(results, contexts, schools) as plain data: every school × year × procedure, one school
    in six with 25–40 % of «2»."""
    rng = random.Random(seed)
    results, contexts, named = [], {}, []
    for school in range(1, schools + 1):
        low = school % 6 == 0
        named.append((school, f"МБОУ «СШ № {school:03d}»"))
        contexts[school] = {"is_rural": school % 3 == 0, "students": rng.randint(50, 1200),
                            "low_income": rng.uniform(3, 30), "single_parent": rng.uniform(5, 30),
                            "preventive": rng.uniform(0, 6), "special_needs": rng.uniform(0, 8),
                            "non_native": rng.uniform(0, 10)}
        for year in range(YEAR - years + 1, YEAR + 1):
            for procedure, subject, grade in SUBJECTS[:procedures]:
                participants = rng.randint(15, 90)
                share = rng.uniform(0.25, 0.40) if low else rng.uniform(0.02, 0.15)
                mean = round(rng.uniform(45, 75), 1) if procedure == "ege" else None
                results.append((school, procedure, subject, grade, year, participants,
                                round(participants * share), mean))
    return results, contexts, named


def seed(user=None):
    """Results of the bench database's 500 schools (3 years × 12 procedures), their context and
    a saved list of YEAR; the run's id and the seconds the saved run took."""
    from models import (AssessmentResult, Organization, SchoolContext, db)
    from blueprints.identification import services

    ids = [o.id for o in Organization.select(Organization.id).where(
        Organization.kind == "school").order_by(Organization.id)]
    results, contexts, _ = synthetic(len(ids))
    rows = []
    for school, procedure, subject, grade, year, participants, failed, mean in results:
        rows.append({"school": ids[school - 1], "procedure": procedure, "subject": subject,
                     "grade": grade, "year": year, "participants": participants,
                     "mark2": None if procedure == "ege" else failed,
                     "below_min": failed if procedure == "ege" else None, "mean_score": mean})
    with db.atomic():
        for start in range(0, len(rows), 500):
            AssessmentResult.insert_many(rows[start:start + 500]).execute()
        SchoolContext.insert_many([dict(values, school=ids[school - 1], year=YEAR)
                                   for school, values in contexts.items()]).execute()
    methodology = services.save_methodology(dict(method(), name="Бенчмарк"), None)
    start = time.perf_counter()
    run = services.run_methodology(methodology, YEAR, None)
    return run.id, time.perf_counter() - start


def engine_time(repeat=5):
    """The best of `repeat` runs of the pure function over 500 × 3 × 12."""
    from blueprints.identification import engine
    results, contexts, schools = synthetic()
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        engine.evaluate(method(), YEAR, results, contexts, schools)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, len(results)


def run(app_port, cookie, wrk, bare):
    """Lines to print; `wrk(url, cookie)` → (rate, p50, p95, errors); `bare` the bare page's
    (rate, p50, p95, errors) of the same run."""
    from app import create_app
    from models import db

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    best, count = engine_time()
    with app.app_context(), db.connection_context():
        run_id, saved = seed()
    lines = [f"identification run, 500 schools × 3 years × 12 procedures ({count} results): "
             f"{best * 1000:.0f} ms pure, {saved * 1000:.0f} ms with reads and save; target "
             f"< 1 s: {'met' if best < 1 else 'NOT met'}"]
    url = f"http://127.0.0.1:{app_port}/identification/lists/{run_id}?show=all"
    rate, p50, p95, errors = wrk(url, cookie)
    lines.append(f"identification list page, 500 schools with explanations (50 a page): p95 "
                 f"{p95:.1f} ms, p50 {p50:.1f} ms, {rate:.1f} req/s, errors {errors}; app/bare "
                 f"{rate / bare[0]:.2f} (bare {bare[0]:.1f} req/s, p95 {bare[2]:.1f} ms); target "
                 f"p95 < 150 ms: {'met' if p95 < 150 and not errors else 'NOT met'}")
    return lines


if __name__ == "__main__":
    best, count = engine_time()
    print(f"identification run, 500 × 3 × 12 ({count} results): {best * 1000:.0f} ms")
