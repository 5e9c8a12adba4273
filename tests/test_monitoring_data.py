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
    assert summary_of(table, "total")["has_iom"] == "2"  # two «да» of three
    assert summary_of(table, "mean")["has_iom"] == "67\u00a0% «да»"
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


# --- the data page ---------------------------------------------------------------------------

def test_school_users_may_not_open_the_data_page(world, login_as):
    campaign, schools = world
    client = login_as("school", organization=schools[0].id)
    for url in (f"/monitoring/campaigns/{campaign.id}/data",
                f"/monitoring/campaigns/{campaign.id}/data.xlsx",
                f"/monitoring/campaigns/{campaign.id}/data/charts/share_2/bars.png"):
        assert client.get(url).status_code == 403


def test_data_page_shows_the_table_units_and_the_municipal_figures(world, login_as):
    campaign, _ = world
    page = login_as("department").get(f"/monitoring/campaigns/{campaign.id}/data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Доля обучающихся, получивших «2»" in html and "чел." in html
    assert "«Отправлен» или «Принят»" in html and "3 из 4" in html
    assert '<tr id="summary-total">' in html and ">75</td>" in html
    assert "Опубликовать данные" not in html  # the department does not publish
    assert "/data/charts/participants/bars.png?v=" in html  # the first numeric indicator


def test_sorting_by_an_indicator_through_htmx_returns_the_fragment(world, login_as):
    campaign, _ = world
    client = login_as("centre")
    response = client.get(f"/monitoring/campaigns/{campaign.id}/data?sort=share_2&order=desc",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="data-table"')
    order = [html.index(f"МБОУ «СШ № {n}»") for n in (2, 1, 3, 4)]
    assert order == sorted(order)
    assert 'aria-sort="descending"' in html
    # the filters follow a header click out of band (not when they made the request)
    assert 'id="data-filters" hx-swap-oob="true"' in html
    assert '<option selected value="share_2">' in html
    from_form = client.get(f"/monitoring/campaigns/{campaign.id}/data?sort=share_2&order=desc",
                           headers={"HX-Request": "true", "HX-Trigger": "data-filters"})
    assert "hx-swap-oob" not in from_form.get_data(as_text=True)
    # an unknown column or order is ignored, never a 500
    assert client.get(f"/monitoring/campaigns/{campaign.id}/data?sort=%3Cx%3E&order=up&page=-4"
                      ).status_code == 200


def test_empty_state_before_the_first_report(make_org, make_campaign, login_as):
    school = make_org(kind="school")
    campaign = make_campaign(schools=[school])
    html = login_as("centre").get(f"/monitoring/campaigns/{campaign.id}/data").get_data(
        as_text=True)
    assert "Пока ни одна школа не отправила отчёт" in html
    assert "Скачать .xlsx" not in html and "Опубликовать данные" not in html


def test_charts_are_png_with_a_versioned_url_and_an_etag(world, login_as):
    campaign, _ = world
    client = login_as("centre")
    url = f"/monitoring/campaigns/{campaign.id}/data/charts/share_2/distribution.png"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG") and "private" in response.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # no previous period: the dynamics shows the one period there is, never a 500
    lone = client.get(f"/monitoring/campaigns/{campaign.id}/data/charts/share_2/dynamics.png")
    assert lone.status_code == 200 and lone.data.startswith(b"\x89PNG")
    for bad in ("measures/bars.png", "has_iom/bars.png", "share_2/pie.png", "nonsense/bars.png"):
        assert client.get(f"/monitoring/campaigns/{campaign.id}/data/charts/{bad}"
                          ).status_code == 404


# --- .xlsx ---------------------------------------------------------------------------------------

def test_xlsx_keeps_numbers_as_numbers_and_text_as_text(world, login_as):
    import io

    from openpyxl import load_workbook
    campaign, _ = world
    response = login_as("centre").get(f"/monitoring/campaigns/{campaign.id}/data.xlsx")
    assert response.status_code == 200
    from urllib.parse import unquote
    assert unquote(response.headers["Content-Disposition"].split("UTF-8''")[1]) == (
        f"Сводные данные мониторинга, I полугодие 2026-2027 (кампания {campaign.id}).xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[4]]
    assert header[:3] == ["Школа", "Статус отчёта",
                          "Число обучающихся, участвовавших в оценочной процедуре, чел."]
    assert header[4] == "Доля обучающихся, получивших «2», %"
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    first = rows["МБОУ «СШ № 1»"]
    assert first[2].value == 40 and first[2].data_type == "n" and first[2].number_format == "#,##0"
    assert first[4].value == 10 and "0.0" in first[4].number_format  # shown «10,0» in ru Excel
    assert first[5].value == "да" and first[5].data_type == "s"
    assert first[6].value == "=Дополнительные занятия" and first[6].data_type == "s"  # no formula
    assert all(c.value is None for c in rows["МБОУ «СШ № 4»"][2:])  # the draft: no values
    assert rows["Итого по муниципалитету"][2].value == 75
    assert float(rows["Медиана"][3].value) == 4 and rows["Медиана"][3].data_type == "n"
    assert sheet.freeze_panes == "B5"


# --- publishing and open data ----------------------------------------------------------------

def publish(client, campaign, action="publish"):
    from .conftest import csrf_from
    url = f"/monitoring/campaigns/{campaign.id}/data/{action}"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def test_open_data_is_404_until_published_then_csv_and_json(world, login_as, http):
    from models import AuditLog
    campaign, _ = world
    csv_url = f"/monitoring/open-data/{campaign.id}.csv"
    json_url = f"/monitoring/open-data/{campaign.id}.json"
    assert http.get(csv_url).status_code == 404 and http.get(json_url).status_code == 404
    assert f"/open-data/{campaign.id}.csv" not in http.get("/monitoring/open-data/").get_data(
        as_text=True)
    centre = login_as("centre")
    assert publish(centre, campaign).status_code == 303
    with db.connection_context():
        assert MonitoringCampaign.get_by_id(campaign.id).is_published
        assert AuditLog.select().where(AuditLog.action == "monitoring_data_published").count() == 1

    listing = http.get("/monitoring/open-data/").get_data(as_text=True)
    assert f"/monitoring/open-data/{campaign.id}.csv" in listing
    assert "Открытые данные" in http.get("/docs/").get_data(as_text=True)  # the site's menu

    response = http.get(csv_url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == [
        "Школа", "ИНН", "Число обучающихся, участвовавших в оценочной процедуре, чел."]
    assert len(lines) == 4  # the header and the three counted reports, not the draft
    first = next(line for line in lines if line.startswith("МБОУ «СШ № 1»")).split(";")
    assert first[2:] == ["40", "4", "10", "да", "'=Дополнительные занятия"]
    assert "999" not in response.data.decode("utf-8-sig")

    data = http.get(json_url).get_json()
    assert data["campaign"]["period"] == "I полугодие 2026/2027"
    assert [i["code"] for i in data["indicators"]] == list(CODES)
    assert data["indicators"][2]["unit"] == "%"
    assert len(data["rows"]) == 3 and data["reports_counted"] == 3
    row = next(r for r in data["rows"] if r["school"] == "МБОУ «СШ № 3»")
    assert row["values"] == {"participants": 10, "failed": 0, "share_2": 0, "has_iom": True,
                             "measures": "Консультации"}
    assert data["summary"]["participants"]["total"] == 75
    assert data["summary"]["share_2"]["mean"] == 10

    assert publish(centre, campaign, "withdraw").status_code == 303
    assert http.get(csv_url).status_code == 404 and http.get(json_url).status_code == 404


def test_nothing_to_publish_before_the_first_report(make_org, make_campaign, login_as, http):
    campaign = make_campaign(schools=[make_org(kind="school")])
    client = login_as("centre")
    response = client.get(f"/monitoring/campaigns/{campaign.id}/data/publish")
    assert response.status_code == 303
    with db.connection_context():
        assert not MonitoringCampaign.get_by_id(campaign.id).is_published


def test_the_page_follows_a_report_returned_and_accepted_again(world, login_as):
    """The table is cached per state of the reports: a review changes what it shows."""
    campaign, schools = world
    client = login_as("centre")
    url = f"/monitoring/campaigns/{campaign.id}/data"
    assert ">75</td>" in client.get(url).get_data(as_text=True)
    with db.connection_context():
        MonitoringReport.update(status="returned").where(
            (MonitoringReport.campaign == campaign.id)
            & (MonitoringReport.school == schools[0].id)).execute()
    html = client.get(url).get_data(as_text=True)
    assert ">35</td>" in html and "2 из 4" in html  # 25 + 10 without the returned report


def test_change_from_the_previous_period_in_percentage_points(make_org, make_campaign,
                                                              login_as):
    school = make_org(kind="school", short_name="МБОУ «СШ № 7»")
    before = make_campaign(schools=[school], codes=CODES, status="closed",
                           period_label="II полугодие 2025/2026")
    fill(before, school, "accepted", participants="30", share_2="12,4")
    campaign = make_campaign(schools=[school], codes=CODES, previous=before.id)
    fill(campaign, school, "submitted", participants="32", share_2="9,8")
    with db.connection_context():
        table = consolidated.build(MonitoringCampaign.get_by_id(campaign.id), with_change=True)
    share = table["rows"][0]["cells"][2]
    assert share["text"] == "9,8"
    assert share["change"]["arrow"] == "▼" and share["change"]["text"] == "2,6"
    assert share["change"]["unit"] == "п. п." and share["change"]["better"] is True
    assert summary_of(table, "previous_mean")["share_2"] == "12,4"
    html = login_as("centre").get(f"/monitoring/campaigns/{campaign.id}/data?change=y"
                                  ).get_data(as_text=True)
    assert "▼&nbsp;2,6&nbsp;п.\u00a0п." in html and "Среднее в предыдущем периоде" in html
    assert "/data/charts/participants/dynamics.png" in html


def test_the_public_menu_marks_the_open_data_section(http):
    html = http.get("/monitoring/open-data/").get_data(as_text=True)
    assert 'aria-current="page" href="/monitoring/open-data/"' in html
    assert 'aria-current="page" href="/docs/"' in http.get("/docs/").get_data(as_text=True)


def test_sorting_by_report_status(app, world):
    campaign, _ = world
    with db.connection_context():
        table = consolidated.build(MonitoringCampaign.get_by_id(campaign.id), sort="status")
    assert [r["report"].status for r in table["rows"]] == [
        "draft", "submitted", "accepted", "accepted"]


def test_dynamics_follows_the_chain_of_previous_periods(app, make_org, make_campaign):
    school = make_org(kind="school", short_name="МБОУ «СШ № 8»")
    chain = None
    for label, share in (("I полугодие 2025/2026", "15"), ("II полугодие 2025/2026", "12,4"),
                         ("I полугодие 2026/2027", "9,8")):
        chain = make_campaign(schools=[school], codes=CODES, period_label=label,
                              previous=chain.id if chain else None)
        fill(chain, school, "accepted", share_2=share)
    with db.connection_context():
        labels, means = consolidated.periods(MonitoringCampaign.get_by_id(chain.id), "share_2")
    assert labels == ["I полугодие 2025/2026", "II полугодие 2025/2026", "I полугодие 2026/2027"]
    assert [str(m) for m in means] == ["15.0", "12.4", "9.8"]
