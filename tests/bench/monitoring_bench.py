"""The campaign page for `make bench`: an open campaign over the 500 schools of the bench
database with a form of 30 indicators and a value for each (15 000 values), reports in every
status, the deadline passed (the overdue highlighted). wrk drives the page at 16 connections in
the same run as the bare page; prints p95, requests/s and the ratio to the bare page.

Called by tests/bench/run.py with its running servers."""
import random
from datetime import date, timedelta

INDICATORS = 30
STATUSES = ("accepted", "submitted", "submitted", "returned", "draft", "not_started")


def prepare():
    """The campaign in the bench database (the environment points at it); its id."""
    from app import create_app
    from models import (CampaignIndicator, Indicator, MonitoringCampaign, MonitoringReport,
                        Organization, ReportValue, db)

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    rng = random.Random(12)
    with app.app_context(), db.connection_context(), db.atomic():
        catalogue = list(Indicator.select().order_by(Indicator.id))
        for n in range(len(catalogue), INDICATORS):
            catalogue.append(Indicator.create(code=f"bench_{n}", name=f"Показатель № {n}",
                                              unit="чел.", value_type="int"))
        campaign = MonitoringCampaign.create(
            title="Мониторинг позитивных изменений в ШНОР, I полугодие 2026/2027",
            period_label="I полугодие 2026/2027", period_start=date(2026, 9, 1),
            period_end=date(2026, 12, 31), deadline=date.today() - timedelta(days=3),
            status="open", scope="all")
        CampaignIndicator.insert_many([
            {"campaign": campaign.id, "indicator": indicator.id,
             "section": f"Раздел {position // 10 + 1}", "position": position}
            for position, indicator in enumerate(catalogue[:INDICATORS])]).execute()
        schools = [s.id for s in Organization.select(Organization.id).where(
            Organization.kind == "school")]
        MonitoringReport.insert_many([
            {"campaign": campaign.id, "school": school, "status": STATUSES[n % len(STATUSES)]}
            for n, school in enumerate(schools)]).execute()
        reports = [r.id for r in MonitoringReport.select(MonitoringReport.id).where(
            MonitoringReport.campaign == campaign.id)]
        rows = [{"report": report, "indicator": indicator.id, "text": str(value),
                 "number": value} for report in reports for indicator in catalogue[:INDICATORS]
                for value in (rng.randint(0, 90),)]
        for start in range(0, len(rows), 500):
            ReportValue.insert_many(rows[start:start + 500]).execute()
    return campaign.id, len(schools)


def run(app_port, cookie, wrk, bare):
    """Lines to print; `wrk(url, cookie)` → (rate, p50, p95, errors), `bare` the bare page's
    (rate, p50, p95, errors) of the same run."""
    campaign_id, schools = prepare()
    url = f"http://127.0.0.1:{app_port}/monitoring/campaigns/{campaign_id}"
    rate, p50, p95, errors = wrk(url, cookie)
    name = f"campaign page, {schools} schools × {INDICATORS} indicators"
    return [f"{name}: p95 {p95:.1f} ms, p50 {p50:.1f} ms, {rate:.1f} req/s, errors {errors}; "
            f"app/bare {rate / bare[0]:.2f} (bare {bare[0]:.1f} req/s, p95 {bare[2]:.1f} ms); "
            f"target p95 < 150 ms: {'met' if p95 < 150 and not errors else 'NOT met'}"]
