"""The analytical note for `make bench`: a campaign of BENCH_NOTE_SCHOOLS (500) schools ×
30 indicators with the previous period, every report accepted; the note read from the
database, its 10 charts drawn and the .docx rendered, as «Предпросмотр» does. Prints the
median of 5 runs (the goal: under 3 s) and the time per chart.

Run alone: `python -m tests.bench.monitoring_note_bench`."""
import os
import random
import tempfile
import time
from datetime import date
from decimal import Decimal
from statistics import median

SCHOOLS = int(os.environ.get("BENCH_NOTE_SCHOOLS", "500"))
INDICATORS = 30
RUNS = 5


def _campaign(app):
    from models import (CampaignIndicator, Indicator, MonitoringCampaign, MonitoringReport,
                        Organization, ReportValue, db)
    rng = random.Random(12)
    with app.app_context(), db.connection_context(), db.atomic():
        Organization.create(kind="centre", full_name="МБУ «Центр развития образования»",
                            short_name="МБУ «ЦРО»", municipality="Новоречинский район")
        schools = [Organization.create(
            kind="school", full_name=f"МБОУ «Средняя школа № {n}»",
            short_name=f"МБОУ «СШ № {n:03d}»", municipality="Новоречинский район").id
            for n in range(1, SCHOOLS + 1)]
        indicators = [Indicator.create(
            code=f"bench_{n}", name=f"Доля обучающихся, освоивших программу на уровне {n}",
            unit="%", value_type="percent", direction="up" if n % 2 else "down")
            for n in range(INDICATORS)]
        campaigns = []
        for label, start, previous in (("II полугодие 2025/2026", date(2026, 1, 9), None),
                                       ("I полугодие 2026/2027", date(2026, 9, 1), True)):
            campaign = MonitoringCampaign.create(
                title="Мониторинг позитивных изменений в ШНОР, " + label, period_label=label,
                period_start=start, period_end=start.replace(day=28),
                deadline=start.replace(day=28), status="closed",
                previous=campaigns[-1].id if previous else None)
            campaigns.append(campaign)
            CampaignIndicator.insert_many([
                {"campaign": campaign.id, "indicator": i.id, "position": n,
                 "section": f"Раздел {n // 10 + 1}"} for n, i in enumerate(indicators)]).execute()
            MonitoringReport.insert_many([{"campaign": campaign.id, "school": s,
                                           "status": "accepted"} for s in schools]).execute()
            reports = [r.id for r in MonitoringReport.select(MonitoringReport.id).where(
                MonitoringReport.campaign == campaign.id)]
            rows = []
            for report in reports:
                for indicator in indicators:
                    number = Decimal(rng.randint(0, 1000)) / 10
                    rows.append({"report": report, "indicator": indicator.id,
                                 "text": str(number), "number": number})
            for chunk in range(0, len(rows), 5000):
                ReportValue.insert_many(rows[chunk:chunk + 5000]).execute()
        return campaigns[-1].id


def run():
    from app import create_app
    from blueprints.documents import api as documents
    from blueprints.monitoring import note
    from models import MonitoringCampaign, db
    from models.migrations import upgrade

    tmp = tempfile.mkdtemp(prefix="opora-bench-note-")
    env = {"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "OPORA_STORAGE_DIR": f"{tmp}/storage",
           "OPORA_QUEUE_FILE": f"{tmp}/queue.db", "OPORA_DEMO": "0"}
    os.environ.update(env)
    app = create_app({"DATABASE_URL": env["DATABASE_URL"], "STORAGE_DIR": f"{tmp}/storage",
                      "OPORA_DEMO": False})
    with app.app_context(), db.connection_context():
        upgrade(db)
    campaign_id = _campaign(app)
    times, size = [], 0
    with app.app_context(), db.connection_context():
        campaign = MonitoringCampaign.get_by_id(campaign_id)
        documents.render("analytical_note", campaign)  # warm-up: template compiled, fonts
        for _ in range(RUNS):
            note.clear_charts()  # every run draws its charts: the cold figure
            started = time.perf_counter()
            data = documents.render("analytical_note", campaign)
            times.append(time.perf_counter() - started)
            size = len(data)
        started = time.perf_counter()
        plain = note.note_data(campaign)
        read = time.perf_counter() - started
        started = time.perf_counter()
        documents.render("analytical_note", campaign)  # the charts drawn by the page already
        warm = time.perf_counter() - started
        specs = note.chart_specs(plain)
        chart_times = []
        note.clear_charts()
        for spec in specs:
            started = time.perf_counter()
            note.draw(spec)
            chart_times.append(time.perf_counter() - started)
    kinds = ", ".join(f"{k} {median([t for s, t in zip(specs, chart_times) if s['kind'] == k]) * 1000:.0f} ms"
                      for k in ("bars", "dynamics", "distribution")
                      if any(s["kind"] == k for s in specs))
    return [
        f"analytical note, {SCHOOLS} schools × {INDICATORS} indicators, {len(specs)} charts: "
        f"median {median(times):.2f} s of {RUNS} to .docx ({size / 1e6:.1f} MB), goal < 3 s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}; cores: {os.cpu_count()}, load "
        f"{os.getloadavg()[0]:.1f})",
        f"  with the charts already drawn (the page, then «Зарегистрировать»): {warm:.2f} s",
        f"  reading the figures {read:.2f} s; per chart {sum(chart_times) / len(chart_times) * 1000:.0f} ms "
        f"on average ({kinds}), {sum(chart_times):.2f} s for all",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
