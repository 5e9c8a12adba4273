"""Many schools' report values from an .xlsx: the campaign's template, the preview with
per-row errors, files refused as a whole (merged header cells, formulas), schools outside the
campaign, all or nothing, accepted reports left alone, and the template round trip."""
import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from models import AuditLog, MonitoringReport, ReportValue, db

from .conftest import create_campaign

CODES = ("participants", "failed", "share_2", "has_iom", "measures")


@pytest.fixture
def setup(login_as, make_org):
    first = make_org(inn="7701000001", short_name="МБОУ «СОШ № 1»")
    second = make_org(inn="7701000002", short_name="МБОУ «СОШ № 2»")
    outsider = make_org(inn="7701000009", short_name="МБОУ «СОШ № 9»")
    campaign = create_campaign([first.id, second.id], codes=CODES)
    return {"centre": login_as("centre"), "campaign": campaign, "first": first,
            "second": second, "outsider": outsider}


def _template(client, campaign_id):
    response = client.get(f"/monitoring/campaigns/{campaign_id}/values/template.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _filled(client, campaign_id, rows, edit=None):
    """The campaign's template with `rows` {school name: {code: value}} filled in."""
    book = _template(client, campaign_id)
    sheet = book.worksheets[0]
    codes = {re.search(r"\[(\w+)\]$", c.value).group(1): c.column for c in sheet[1]
             if c.value and c.value.endswith("]")}
    for line in range(2, sheet.max_row + 1):
        values = rows.get(sheet.cell(line, 2).value, {})
        for code, value in values.items():
            sheet.cell(line, codes[code]).value = value
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, campaign_id, data):
    return client.post(f"/monitoring/campaigns/{campaign_id}/values/import",
                       data={"file": (io.BytesIO(data), "значения.xlsx")},
                       content_type="multipart/form-data")


def _token(body):
    return re.search(r'/values/import/([A-Za-z0-9_-]{20,40})"', body).group(1)


GOOD = {"participants": 40, "failed": 5, "share_2": "12,5", "has_iom": "да",
        "measures": "Консультации"}


def _stored(campaign):
    with db.connection_context():
        return {(v.report.school_id, v.indicator.code): v for v in ReportValue.select().join(
            MonitoringReport).where(MonitoringReport.campaign == campaign.id)}


def test_template_round_trip_stores_every_value(setup):
    centre, campaign = setup["centre"], setup["campaign"]
    book = _template(centre, campaign.id)
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:2] == ["ИНН", "Образовательная организация"]
    assert "Число обучающихся, получивших «2», чел. [failed]" in header
    assert [r[1].value for r in book.worksheets[0].iter_rows(min_row=2)] == [
        "МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»"]
    data = _filled(centre, campaign.id, {
        "МБОУ «СОШ № 1»": GOOD,
        "МБОУ «СОШ № 2»": dict(GOOD, participants=20, failed=2, share_2=10, has_iom="нет")})
    preview = _upload(centre, campaign.id, data)
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Ошибок нет: будут записаны отчёты — 2" in body
    done = centre.post(f"/monitoring/campaigns/{campaign.id}/values/import/{_token(body)}")
    assert done.status_code == 303
    stored = _stored(campaign)
    assert stored[(setup["first"].id, "share_2")].number == Decimal("12.5")
    assert stored[(setup["second"].id, "participants")].number == 20
    assert stored[(setup["second"].id, "has_iom")].number == 0
    with db.connection_context():
        reports = list(MonitoringReport.select().where(MonitoringReport.campaign == campaign.id))
        assert {(r.status, r.filled_by_centre, r.revision) for r in reports} == {
            ("submitted", True, 1)}
        assert AuditLog.select().where(AuditLog.action == "monitoring_values_imported").exists()


def test_preview_shows_row_errors_and_confirming_saves_nothing(setup, app):
    centre, campaign = setup["centre"], setup["campaign"]
    data = _filled(centre, campaign.id, {
        "МБОУ «СОШ № 1»": GOOD,
        "МБОУ «СОШ № 2»": dict(GOOD, participants="12,5", failed=50)})
    preview = _upload(centre, campaign.id, data)
    body = preview.get_data(as_text=True)
    assert preview.status_code == 422 and "Строк с ошибками: 1 из 2" in body
    assert "Строка 3</a> (МБОУ «СОШ № 2»)" in body
    assert "Введите целое число, без дробной части." in body
    # …and at the cell of its column.
    assert re.search(r'<td class="text-danger">12,5<div class="small">Введите целое число', body)
    assert "Записать значения" not in body
    # One bad row: nothing is written, not even the good one (a forged confirmation of the
    # kept preview is checked again and refused).
    from pathlib import Path
    token = next(Path(app.config["STORAGE_DIR"], "imports").glob("*.json")).stem
    again = centre.post(f"/monitoring/campaigns/{campaign.id}/values/import/{token}")
    assert again.status_code == 422 and _stored(campaign) == {}


def test_a_broken_rule_is_a_row_error(setup):
    centre, campaign = setup["centre"], setup["campaign"]
    data = _filled(centre, campaign.id, {"МБОУ «СОШ № 1»": dict(GOOD, failed=50),
                                         "МБОУ «СОШ № 2»": GOOD})
    body = _upload(centre, campaign.id, data).get_data(as_text=True)
    assert "Получивших «2» не может быть больше, чем участников." in body


def test_a_school_outside_the_campaign_is_a_row_error(setup):
    centre, campaign = setup["centre"], setup["campaign"]

    def add_outsider(sheet):
        sheet.cell(4, 1).value, sheet.cell(4, 2).value = "7701000009", "МБОУ «СОШ № 9»"
        for column in range(3, sheet.max_column + 1):
            sheet.cell(4, column).value = sheet.cell(2, column).value
    data = _filled(centre, campaign.id, {"МБОУ «СОШ № 1»": GOOD, "МБОУ «СОШ № 2»": GOOD},
                   edit=add_outsider)
    response = _upload(centre, campaign.id, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Школа «МБОУ «СОШ № 9»» не участвует в этой кампании." in body


def test_merged_header_cells_are_refused_naming_them(setup):
    centre, campaign = setup["centre"], setup["campaign"]
    data = _filled(centre, campaign.id, {}, edit=lambda sheet: sheet.merge_cells("C1:D1"))
    response = _upload(centre, campaign.id, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "В заголовке таблицы есть объединённые ячейки (C1:D1)" in body


def test_formula_cells_are_refused_naming_the_cell(setup):
    centre, campaign = setup["centre"], setup["campaign"]

    def formula(sheet):
        sheet["E2"] = "=C2/B2*100"
    data = _filled(centre, campaign.id, {"МБОУ «СОШ № 1»": GOOD, "МБОУ «СОШ № 2»": GOOD},
                   edit=formula)
    body = _upload(centre, campaign.id, data).get_data(as_text=True)
    assert "В ячейке E2 формула" in body


def test_an_accepted_report_is_not_overwritten(setup):
    centre, campaign = setup["centre"], setup["campaign"]
    with db.connection_context():
        MonitoringReport.update(status="accepted").where(
            (MonitoringReport.campaign == campaign.id)
            & (MonitoringReport.school == setup["first"].id)).execute()
    data = _filled(centre, campaign.id, {"МБОУ «СОШ № 1»": GOOD, "МБОУ «СОШ № 2»": GOOD})
    body = _upload(centre, campaign.id, data).get_data(as_text=True)
    assert "Не изменятся (отчёт уже принят или строка пустая): МБОУ «СОШ № 1»" in body
    assert "будут записаны отчёты — 1" in body
    centre.post(f"/monitoring/campaigns/{campaign.id}/values/import/{_token(body)}")
    stored = _stored(campaign)
    assert (setup["second"].id, "participants") in stored
    assert (setup["first"].id, "participants") not in stored


def test_a_school_left_blank_keeps_its_report_and_a_blank_file_is_refused(setup):
    centre, campaign = setup["centre"], setup["campaign"]
    data = _filled(centre, campaign.id, {"МБОУ «СОШ № 2»": GOOD})  # СОШ № 1 reports itself
    body = _upload(centre, campaign.id, data).get_data(as_text=True)
    assert "Ошибок нет: будут записаны отчёты — 1" in body
    assert "пустая строка — отчёт не изменится" in body
    assert centre.post(f"/monitoring/campaigns/{campaign.id}/values/import/"
                       f"{_token(body)}").status_code == 303
    stored = _stored(campaign)
    assert (setup["second"].id, "participants") in stored
    assert not any(school == setup["first"].id for school, _ in stored)
    with db.connection_context():
        first = MonitoringReport.get(campaign=campaign.id, school=setup["first"].id)
        assert first.status == "not_started" and not first.filled_by_centre
    blank = _upload(centre, campaign.id, _filled(centre, campaign.id, {}))
    assert blank.status_code == 422
    assert "не заполнено ни одного значения" in blank.get_data(as_text=True)


def test_not_a_template_and_schools_cannot_import(setup, login_as):
    centre, campaign = setup["centre"], setup["campaign"]
    book = Workbook()
    book.active.append(["Школа", "Что-то"])
    out = io.BytesIO()
    book.save(out)
    body = _upload(centre, campaign.id, out.getvalue()).get_data(as_text=True)
    assert "сделанный по шаблону кампании" in body
    empty = _filled(centre, campaign.id, {}, edit=lambda sheet: sheet.delete_rows(2, 2))
    assert "В файле нет строк со школами" in _upload(centre, campaign.id, empty).get_data(
        as_text=True)
    school = login_as("school", organization=setup["first"].id)
    assert school.get(f"/monitoring/campaigns/{campaign.id}/values/template.xlsx"
                      ).status_code == 403
    assert _upload(school, campaign.id, b"PK").status_code == 403


def test_a_failure_midway_leaves_every_report_as_it_was(setup, monkeypatch):
    """All or nothing inside the transaction too: the second report's write fails, the first
    one's values and status roll back."""
    from blueprints.monitoring import reads, reports
    campaign = setup["campaign"]
    written = []
    original = reports._write_values

    def failing(report_id, *args):
        if written:
            raise RuntimeError("disk full")
        written.append(report_id)
        return original(report_id, *args)
    monkeypatch.setattr(reports, "_write_values", failing)
    with db.connection_context():
        indicators = reads.form_indicators(campaign.id)
        rows = [{"report_id": r.id, "values": {k: str(v) for k, v in GOOD.items()}}
                for r in reads.reports(campaign.id)]
        with pytest.raises(RuntimeError):
            reports.import_values(campaign, indicators, rows, None)
        assert {r.status for r in MonitoringReport.select().where(
            MonitoringReport.campaign == campaign.id)} == {"not_started"}
    assert written and _stored(campaign) == {}
