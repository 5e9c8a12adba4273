"""Campaign figures: the municipal summary counts submitted and accepted reports only, and the
change from the previous period is in п. п. for shares, with the good or bad direction."""
from decimal import Decimal
from models import Indicator, ReportValue, MonitoringReport, db
from blueprints.monitoring import stats
from .conftest import create_campaign

def test_figures_summarise_submitted_reports_and_change_from_previous(app, make_org):
    a, b, c = (make_org() for _ in range(3))
    before = create_campaign([a.id], status="closed", period_label="II полугодие 2025/2026")
    campaign = create_campaign([a.id, b.id, c.id], previous=before.id)
    with db.connection_context():
        share = Indicator.get(Indicator.code == "share_2")
        def put(campaign_id, school, number, status):
            report = MonitoringReport.get(campaign=campaign_id, school=school.id)
            report.status = status; report.save()
            ReportValue.create(report=report, indicator=share, text=str(number), number=number)
        put(before.id, a, Decimal("12.4"), "accepted")
        put(campaign.id, a, Decimal("9.8"), "accepted")
        put(campaign.id, b, Decimal("20"), "submitted")
        put(campaign.id, c, Decimal("50"), "draft")  # a draft does not count
        figures = stats.figures(campaign)
    summary = figures["summary"]["share_2"]
    assert (summary["count"], summary["mean"], summary["min"], summary["max"]) == (
        2, Decimal("14.9"), Decimal("9.8"), Decimal("20"))
    row = next(r for r in figures["rows"] if r["school"].id == a.id)
    change = stats.change(row["values"]["share_2"].number, row["previous"]["share_2"].number, share)
    assert change == {"delta": Decimal("-2.6"), "arrow": "▼", "better": True, "unit": "п. п."}
