"""Consolidated data of a campaign: the table's figures and sorting, the data page, the .xlsx,
publishing and open data (CSV, JSON) on the public site."""
from decimal import Decimal

import pytest

from blueprints.monitoring import consolidated
from models import MonitoringCampaign, MonitoringReport, ReportValue, db

CODES = ("participants", "failed", "share_2", "has_iom", "measures")


def fill(campaign, school, status, **values):
    """The school's report in `status` with values {code: text} (numbers read from the text)."""
    from models import Indicator
    with db.connection_context():
        report = MonitoringReport.get(campaign=campaign, school=school)
        report.status = status
        report.save()
        for code, text in values.items():
            indicator = Indicator.get(Indicator.code == code)
            number = None
            if indicator.value_type == "bool":
                number = Decimal(1 if text == "да" else 0)
            elif indicator.value_type not in ("text", "choice"):
                number = Decimal(text.replace(",", "."))
            ReportValue.create(report=report, indicator=indicator, text=text, number=number)
    return report


@pytest.fixture
def world(make_org, make_campaign):
    """Four schools: three counted (submitted, accepted, accepted) and one draft."""
    names = ("МБОУ «СШ № 1»", "МБОУ «СШ № 2»", "МБОУ «СШ № 3»", "МБОУ «СШ № 4»")
    schools = [make_org(kind="school", short_name=name, full_name=name) for name in names]
    campaign = make_campaign(schools=schools, codes=CODES)
    fill(campaign, schools[0], "submitted", participants="40", failed="4", share_2="10",
         has_iom="да", measures="=Дополнительные занятия")
    fill(campaign, schools[1], "accepted", participants="25", failed="5", share_2="20",
         has_iom="нет")
    fill(campaign, schools[2], "accepted", participants="10", failed="0", share_2="0,0",
         has_iom="да", measures="Консультации")
    fill(campaign, schools[3], "draft", participants="999", failed="999", share_2="99,9")
    return campaign, schools


def summary_of(table, key):
    row = next(r for r in table["summary"] if r["key"] == key)
    return {c["code"]: cell["text"] for c, cell in zip(table["columns"], row["cells"])}


def test_summary_rows_count_only_submitted_and_accepted_reports(app, world):
    campaign, _ = world
    with db.connection_context():
        table = consolidated.build(MonitoringCampaign.get_by_id(campaign.id))
    assert table["counted"] == 3 and table["schools"] == 4
    assert summary_of(table, "total")["participants"] == "75"  # 40 + 25 + 10, not the draft
    assert summary_of(table, "total")["share_2"] == ""  # a sum of shares means nothing
    assert summary_of(table, "mean")["participants"] == "25"
    assert summary_of(table, "mean")["share_2"] == "10"
    assert summary_of(table, "median")["failed"] == "4"
    assert summary_of(table, "min")["share_2"] == "0"
    assert summary_of(table, "max")["participants"] == "40"
    assert summary_of(table, "count")["measures"] == ""
    assert summary_of(table, "total")["has_iom"] == "2"  # two «да»
    draft = next(r for r in table["rows"] if r["report"].status == "draft")
    assert all(cell["text"] == "" for cell in draft["cells"])  # a draft's values are not shown


def test_sorting_by_an_indicator_puts_empty_cells_last(app, world):
    campaign, _ = world
    with db.connection_context():
        campaign = MonitoringCampaign.get_by_id(campaign.id)
        up = consolidated.build(campaign, sort="share_2")
        down = consolidated.build(campaign, sort="share_2", descending=True)
        text = consolidated.build(campaign, sort="measures")
        unknown = consolidated.build(campaign, sort="nonsense")
    assert [r["school"].short_name[-2] for r in up["rows"]] == ["3", "1", "2", "4"]
    assert [r["school"].short_name[-2] for r in down["rows"]] == ["2", "1", "3", "4"]
    assert [r["cells"][4]["text"] for r in text["rows"]][:2] == [
        "=Дополнительные занятия", "Консультации"]
    assert unknown["sort"] == "school"
