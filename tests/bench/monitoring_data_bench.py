"""The consolidated data of a campaign for `make bench`: 500 schools × 30 indicators.

`seed(user)` (called by run.py's _prepare, on the database of 500 schools) adds a closed
campaign of the previous period and an open one whose reports are submitted or accepted, with a
value per school and indicator, and returns the open campaign's id; run.py drives its data page
with wrk. `chart_times()` draws the charts of the note for 500 schools and prints the time per
chart.

Run alone: `python -m tests.bench.monitoring_data_bench` (the chart times), with `--load` the
data page against the bare page too."""
import random
import time
from datetime import date

INDICATORS = 30
SEEDED = {}  # seed() leaves the campaign's id here for case() (run.py keeps _prepare's return)
NAME = "consolidated data, 500 × 30"
# Extra catalogue indicators so a form has 30 (migration 0014 seeds 13).
EXTRA = [(f"bench_{n:02d}", f"Показатель мониторинга № {n}", ("%", "чел.", "ур.")[n % 3],
          ("percent", "int", "decimal")[n % 3]) for n in range(1, 31)]


def _indicators():
    from models import Indicator
    have = list(Indicator.select().where(Indicator.value_type != "choice").order_by(Indicator.id))
    for code, name, unit, kind in EXTRA:
        if len(have) >= INDICATORS:
            break
        if not Indicator.select().where(Indicator.code == code).exists():
            have.append(Indicator.create(code=code, name=name, unit=unit, value_type=kind,
                                         is_active=False))
    return have[:INDICATORS]


def _value(indicator, rng):
    kind = indicator.value_type
    if kind == "text":
        return "Проведены дополнительные занятия, консультации для родителей", None
    if kind == "bool":
        yes = rng.random() < 0.7
        return ("да" if yes else "нет"), int(yes)
    if kind == "int":
        number = rng.randint(0, 300)
        return str(number), number
    number = round(rng.uniform(0, 40 if kind == "percent" else 12), 1)
    return str(number).replace(".", ","), number


def _campaign(schools, indicators, rng, **fields):
    from models import (CampaignIndicator, MonitoringCampaign, MonitoringReport, ReportValue,
                        db)
    with db.atomic():
        campaign = MonitoringCampaign.create(
            title=f"Мониторинг позитивных изменений в ШНОР, {fields['period_label']}", **fields)
        CampaignIndicator.insert_many([
            {"campaign": campaign.id, "indicator": i.id, "position": n,
             "section": "Результаты обучения" if n < 15 else "Условия"}
            for n, i in enumerate(indicators)]).execute()
        MonitoringReport.insert_many([
            {"campaign": campaign.id, "school": s, "version": 1,
             "status": "accepted" if n % 3 else "submitted"}
            for n, s in enumerate(schools)]).execute()
        reports = list(MonitoringReport.select(MonitoringReport.id).where(
            MonitoringReport.campaign == campaign.id))
        rows = []
        for report in reports:
            for indicator in indicators:
                text, number = _value(indicator, rng)
                rows.append({"report": report.id, "indicator": indicator.id, "text": text,
                             "number": number})
        for start in range(0, len(rows), 2000):
            ReportValue.insert_many(rows[start:start + 2000]).execute()
    return campaign


def seed(user):
    """The previous (closed) and the current (open) campaign over every school; the current
    one's id."""
    from models import Organization
    rng = random.Random(12)
    schools = [o.id for o in Organization.select(Organization.id).where(
        Organization.kind == "school").order_by(Organization.id)]
    indicators = _indicators()
    previous = _campaign(schools, indicators, rng, period_label="II полугодие 2025/2026",
                         period_start=date(2026, 1, 9), period_end=date(2026, 5, 31),
                         deadline=date(2026, 6, 10), status="closed", methodist=user.id)
    current = _campaign(schools, indicators, rng, period_label="I полугодие 2026/2027",
                        period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
                        deadline=date(2027, 1, 15), status="open", methodist=user.id,
                        previous=previous.id)
    SEEDED["campaign_id"] = current.id
    return current.id


def case(port, cookie, opener):
    """(name, URL, cookie) of the data page for wrk, after checking it shows 50 of 500 rows
    and warming every worker's table cache (the first request reads all 30 000 values)."""
    url = f"http://127.0.0.1:{port}/monitoring/campaigns/{SEEDED['campaign_id']}/data?sort=share_2"
    for _ in range(8):
        page = opener.open(url).read().decode()
    rows = page.count('<tr id="report-')
    assert rows == 50 and "Школ: 500" in page and 'id="summary-median"' in page, \
        f"the data page shows {rows} rows, expected 50 of 500 with the summary"
    return NAME, url, cookie


def report(results, bare_name):
    rate, p50, p95, errors = results[NAME]
    bare_rate, _, bare_p95, _ = results[bare_name]
    return (f"{NAME} (50 rows shown, sorted by an indicator, summary over 500): p95 {p95:.1f} ms, "
            f"p50 {p50:.1f} ms, {rate:.1f} req/s, errors {errors}; app/bare {rate / bare_rate:.2f} "
            f"(bare p95 {bare_p95:.1f} ms); target p95 < 150 ms: "
            f"{'met' if p95 < 150 and not errors else 'NOT met'}")


def load():
    """Only this page against the bare page, on run.py's database (for working on it)."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests.bench import monitoring_data_bench as this  # run.py seeds that module, not __main__
    from tests.bench import run
    tmp = tempfile.mkdtemp(prefix="opora-bench-data-")
    servers = []
    try:
        env, *_ = run._prepare(tmp)
        app_port, bare_port = run._free_port(), run._free_port()
        servers.append(run._serve(env, "app:app", app_port))
        servers.append(run._serve(env, "tests.bench.bare_app:app", bare_port))
        cookie, opener = run._login(app_port)
        script = Path(tmp, "report.lua")
        script.write_text(run.LUA)
        bare = "bare Flask+peewee, 50 rows"
        results = {bare: run._wrk(f"http://127.0.0.1:{bare_port}/", None, str(script))}
        name, url, cookie = this.case(app_port, cookie, opener)
        results[name] = run._wrk(url, cookie, str(script))
        rate, _, p95, _ = run._wrk(f"http://127.0.0.1:{app_port}/orgs/", cookie, str(script))
        print(this.report(results, bare))
        print(f"for comparison, the directory /orgs/ (50 rows) in the same run: p95 {p95:.1f} ms, "
              f"{rate:.1f} req/s")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def chart_times(campaign_id=None):
    """Lines: the time of each chart for 500 schools (median of 3)."""
    from blueprints.monitoring import charts
    rng = random.Random(3)
    names = [f"МБОУ «СШ № {n:03d}»" for n in range(1, 501)]
    values = [round(rng.uniform(0, 40), 1) for _ in names]
    periods = ["I полугодие 2025/2026", "II полугодие 2025/2026", "I полугодие 2026/2027"]
    cases = [
        ("bars by school, 500 schools (best/worst 15)",
         lambda: charts.bars(names, values, unit="%", mean=20.1, higher_is_better=False,
                             title="Доля обучающихся, получивших «2»")),
        ("bars by school, 20 schools", lambda: charts.bars(names[:20], values[:20], unit="%",
                                                            mean=20.1)),
        ("dynamics, 3 periods × 2 series",
         lambda: charts.dynamics(periods, [("Среднее по муниципалитету", [12.4, 10.1, 9.8]),
                                           ("Школы ШНОР", [18.2, 15.0, 13.1])], unit="%")),
        ("distribution, 500 schools",
         lambda: charts.distribution(values, unit="%", mean=20.1)),
        ("comparison, 30 schools × 2 periods",
         lambda: charts.comparison(names[:30], values[:30], values[30:60], unit="%")),
    ]
    charts.bars(names[:3], values[:3])  # fonts loaded once per process, not timed
    lines = []
    for name, draw in cases:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            size = len(draw())
            times.append(time.perf_counter() - started)
        lines.append(f"chart: {name:<45} {sorted(times)[1] * 1000:6.0f} ms ({size // 1024} KB PNG, "
                     f"{charts.DPI} dpi)")
    return lines


if __name__ == "__main__":
    import sys
    if "--load" in sys.argv[1:]:
        load()
    print("\n".join(chart_times()))
