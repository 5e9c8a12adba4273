"""The analytical note of a campaign and the order on its results: the tables match the data,
the sentences are correct Russian with a decimal comma and «п. п.», the registered .docx
carries the charts as pictures with captions, a regenerated note keeps the earlier version in
the register, schools are refused, and the results order lists the schools below the
threshold."""
import io
import json
import re
import zipfile
from decimal import Decimal

import docx
import pytest

from blueprints.documents import engine
from blueprints.documents.storage import storage
from blueprints.monitoring import note, stats
from blueprints.orders.documents import ORDER
from models import GeneratedDocument, Indicator, MonitoringCampaign, MonitoringReport, \
    ReportValue, db

from .conftest import create_campaign

NBSP = "\u00a0"


def _put(campaign, school, values, status="accepted"):
    with db.connection_context():
        report = MonitoringReport.get(campaign=campaign.id, school=school.id)
        report.status = status
        report.save()
        for code, number in values.items():
            ReportValue.create(report=report, indicator=Indicator.get(Indicator.code == code),
                               text=str(number), number=Decimal(str(number)))


@pytest.fixture
def monitored(app, make_org):
    """Schools A, B, C: A accepted with the previous period, B submitted, C a draft."""
    a, b, c = (make_org(short_name=name) for name in ("МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»",
                                                        "МБОУ «СОШ № 3»"))
    before = create_campaign([a.id, b.id], status="closed",
                             period_label="II полугодие 2025/2026")
    campaign = create_campaign([a.id, b.id, c.id], previous=before.id, codes=(
        "participants", "failed", "share_2", "has_iom", "measures"))
    _put(before, a, {"participants": 50, "failed": 6, "share_2": "12.4"})
    _put(before, b, {"participants": 40, "failed": 3, "share_2": "7.5"})
    _put(campaign, a, {"participants": 51, "failed": 5, "share_2": "9.8", "has_iom": 1})
    _put(campaign, b, {"participants": 40, "failed": 8, "share_2": "20"}, status="submitted")
    _put(campaign, c, {"participants": 10, "failed": 9, "share_2": "90"}, status="draft")
    return {"campaign": campaign, "a": a, "b": b, "c": c}


def _plain(campaign, saved=None):
    with db.connection_context():
        return note.note_data(MonitoringCampaign.get_by_id(campaign.id), saved)


def test_note_tables_match_the_data(monitored):
    plain = _plain(monitored["campaign"])
    share = next(i for i in plain["indicators"] if i["code"] == "share_2")
    assert [r["school"] for r in share["rows"]] == ["МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»"]
    view = note.indicator_view(share)
    first = view["rows"][0]
    assert (first["school"], first["value"], first["previous"], first["change"]) == (
        "МБОУ «СОШ № 1»", f"9,8{NBSP}%", f"12,4{NBSP}%", f"▼ 2,6{NBSP}п.{NBSP}п.")
    mean = next(m for m in view["municipal"] if m["label"] == "Среднее по ОО")
    assert mean["value"] == f"14,9{NBSP}%"  # (9.8 + 20) / 2; the draft of C does not count
    assert mean["previous"] == f"10,0{NBSP}%"
    failed = next(i for i in plain["indicators"] if i["code"] == "failed")
    total = note.indicator_view(failed)["municipal"][0]
    assert (total["label"], total["value"], total["change"]) == (
        "Всего по ОО", f"13{NBSP}чел.", f"▲ 4{NBSP}чел.")
    assert plain["participants"] == {"submitted": 2, "total": 3, "missing": ["МБОУ «СОШ № 3»"]}
    with db.connection_context():  # this period: the same figures as the consolidated table's
        figures = stats.figures(MonitoringCampaign.get_by_id(monitored["campaign"].id))
    for indicator in plain["indicators"]:
        for key in ("mean", "min", "max", "total"):
            expected = figures["summary"][indicator["code"]][key]
            assert note.decimal_or_none(indicator["summary"][key]) == expected


def test_previous_period_is_compared_over_the_same_schools(app, make_org, monitored):
    """B reported before and has not sent its report yet: its earlier figure is left out."""
    with db.connection_context():
        MonitoringReport.update(status="draft").where(
            (MonitoringReport.campaign == monitored["campaign"].id)
            & (MonitoringReport.school == monitored["b"].id)).execute()
    failed = next(i for i in _plain(monitored["campaign"])["indicators"]
                  if i["code"] == "failed")
    assert (failed["summary"]["total"], failed["previous_summary"]["total"]) == ("5", "6")


def test_a_school_new_this_period_is_left_out_of_the_change(app, monitored):
    """C reports for the first time: the totals show it, the change compares A and B only."""
    with db.connection_context():
        MonitoringReport.update(status="accepted").where(
            (MonitoringReport.campaign == monitored["campaign"].id)
            & (MonitoringReport.school == monitored["c"].id)).execute()
    failed = next(i for i in _plain(monitored["campaign"])["indicators"]
                  if i["code"] == "failed")
    view = note.indicator_view(failed)
    total = view["municipal"][0]
    # 5 + 8 + 9 = 22 this period; 6 + 3 = 9 before; the change over A and B: 13 − 9 = 4
    assert (total["value"], total["previous"], total["change"]) == (
        f"22{NBSP}чел.", f"9{NBSP}чел.", f"▲ 4{NBSP}чел.")
    assert "рассчитано по 2 ОО, у которых есть значения за оба периода" in view["below"]
    assert view["draft"].startswith("Число обучающихся, получивших «2», выросло с 9 до 13")
    assert "по 2 ОО с данными за оба периода" in view["draft"]


def test_schools_on_the_worse_side_of_the_threshold(monitored):
    plain = _plain(monitored["campaign"], {"thresholds": {"share_2": "10"}})
    share = next(i for i in plain["indicators"] if i["code"] == "share_2")
    assert note.worse_side(share) == ["МБОУ «СОШ № 2»"]  # a lower share of «2» is better
    assert "выше порогового (10,0" in note.indicator_view(share)["below"]
    default = next(i for i in _plain(monitored["campaign"])["indicators"]
                   if i["code"] == "share_2")
    assert note.worse_side(default) == ["МБОУ «СОШ № 2»"]  # the mean (14,9 %) by default


@pytest.mark.parametrize("submitted,total,text", [
    (1, 5, "Отчёт представила 1 из 5 ОО."),
    (2, 5, "Отчёты представили 2 из 5 ОО."),
    (5, 5, "Отчёты представили 5 из 5 ОО."),
    (11, 20, "Отчёты представили 11 из 20 ОО."),
    (21, 25, "Отчёт представила 21 из 25 ОО."),
    (18, 20, "Отчёты представили 18 из 20 ОО."),
])
def test_participants_sentence_word_forms(submitted, total, text):
    assert note.participants_sentence(submitted, total) == text


SHARE = {"name": "Доля обучающихся, получивших «2»", "unit": "%", "value_type": "percent",
         "higher_is_better": False}
COUNT = {"name": "Число обучающихся, получивших «2»", "unit": "чел.", "value_type": "int",
         "higher_is_better": False}
SCORE = {"name": "Средний балл ОГЭ по математике", "unit": "балла", "value_type": "decimal",
         "higher_is_better": True}


@pytest.mark.parametrize("indicator,current,previous,text", [
    (SHARE, "9.8", "12.4", "Доля обучающихся, получивших «2», снизилась с 12,4 % до 9,8 % "
                           "(на 2,6 п. п.)."),
    (SHARE, "14.1", "12.4", "Доля обучающихся, получивших «2», выросла с 12,4 % до 14,1 % "
                            "(на 1,7 п. п.)."),
    (SHARE, "9.8", "9.8", "Доля обучающихся, получивших «2», не изменилась (9,8 %)."),
    (COUNT, "5", "3", "Число обучающихся, получивших «2», выросло с 3 до 5 чел. (на 2 чел.)."),
    (SCORE, "3.4", "3.6", "Средний балл ОГЭ по математике снизился с 3,6 до 3,4 балла "
                          "(на 0,2 балла)."),
    (SHARE, "9.8", None, "Доля обучающихся, получивших «2», — 9,8 % (за предыдущий период "
                         "данных нет)."),
])
def test_draft_sentences(indicator, current, previous, text):
    sentence = note.draft_sentence(indicator, current, previous)
    assert sentence.replace(NBSP, " ") == text
    # a non-breaking space before «%», units and inside «п. п.»
    assert " %" not in sentence and " п." not in sentence.replace("(на ", "")


def _register(client, campaign, **fields):
    data = {"action": "register", "signer_position": "Директор", "signer_name":
            "Кузнецова Ольга Викторовна", "analysis": "Анализ.", "conclusions": "Выводы.",
            "recommendations": "Рекомендации.", **fields}
    return client.post(f"/monitoring/campaigns/{campaign.id}/note", data=data)


def _stored(document):
    return storage().get(document.sha256)


def test_registered_note_has_its_charts_as_pictures_with_captions(app, login_as, monitored):
    client = login_as("centre")
    campaign = monitored["campaign"]
    page = client.get(f"/monitoring/campaigns/{campaign.id}/note")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Отчёты представили 2 из 3 ОО." in html
    assert "Доля обучающихся, получивших «2», выросла с 10,0" in html  # 10,0 → 14,9 %
    response = _register(client, campaign)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    with app.app_context(), db.connection_context():
        document = GeneratedDocument.get_by_id(MonitoringCampaign.get_by_id(campaign.id).note_id)
        data = _stored(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if re.match(r"word/media/.+\.png$", n)]
        assert len(media) >= 3  # bars for each of three indicators, dynamics, distribution
        assert all(archive.read(n).startswith(b"\x89PNG") for n in media)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs).replace(
        NBSP, " ")
    assert "Рисунок 1 — " in text and "Рисунок 2 — " in text
    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in text and "Отчёты представили 2 из 3 ОО." in text
    assert document.number.endswith("-АС")
    tables = docx.Document(io.BytesIO(data)).tables
    rows = [[c.text.replace(NBSP, " ") for c in row.cells] for t in tables for row in t.rows]
    assert ["1", "МБОУ «СОШ № 1»", "9,8 %", "12,4 %", "▼ 2,6 п. п."] in rows
    assert ["", "Среднее по ОО", "14,9 %", "10,0 %", "▲ 4,9 п. п."] in rows
    chart = client.get(f"/monitoring/campaigns/{campaign.id}/note/chart.png?n=0")
    assert chart.status_code == 200 and chart.data.startswith(b"\x89PNG")


def test_the_pages_chart_follows_late_data(app, login_as, monitored):
    client = login_as("centre")
    campaign = monitored["campaign"]
    url = f"/monitoring/campaigns/{campaign.id}/note/chart.png?n=0"
    before = client.get(url).data
    with db.connection_context():
        report = MonitoringReport.get(campaign=campaign.id, school=monitored["c"].id)
        report.status = "accepted"  # school C's bar joins the chart
        report.save()
    after = client.get(url).data
    assert before.startswith(b"\x89PNG") and after.startswith(b"\x89PNG") and after != before


def test_regenerating_after_late_data_keeps_the_earlier_version(app, login_as, monitored):
    client = login_as("centre")
    campaign = monitored["campaign"]
    assert _register(client, campaign).status_code == 303
    with db.connection_context():
        first = MonitoringCampaign.get_by_id(campaign.id).note_id
        report = MonitoringReport.get(campaign=campaign.id, school=monitored["c"].id)
        report.status = "accepted"  # late data: school C's report is accepted now
        report.save()
    assert _register(client, campaign).status_code == 303
    with app.app_context(), db.connection_context():
        newest = GeneratedDocument.get_by_id(MonitoringCampaign.get_by_id(campaign.id).note_id)
        earlier = GeneratedDocument.get_by_id(first)
        assert newest.id != earlier.id and newest.previous_id == earlier.id
        assert (newest.version, earlier.version) == (2, 1)
        assert earlier.status == "registered" and newest.number == earlier.number
        assert "Отчёты представили 3 из 3 ОО." in json.dumps(
            json.loads(newest.context_json)["general"], ensure_ascii=False)
        assert "2 из 3 ОО" in json.dumps(json.loads(earlier.context_json)["general"],
                                         ensure_ascii=False)
    html = client.get(f"/monitoring/campaigns/{campaign.id}/note").get_data(as_text=True)
    assert "версия 1" in html and "версия 2" in html


def test_bad_threshold_is_a_russian_422_and_nothing_is_saved(app, login_as, monitored):
    client = login_as("centre")
    campaign = monitored["campaign"]
    response = _register(client, campaign, threshold_share_2="много")
    assert response.status_code == 422
    assert "Введите число" in response.get_data(as_text=True)
    response = _register(client, campaign, threshold_share_2="120")
    assert response.status_code == 422 and "от 0 до 100" in response.get_data(as_text=True)
    with db.connection_context():
        saved = MonitoringCampaign.get_by_id(campaign.id)
        assert saved.note_id is None and saved.note_texts == "{}"
        assert not GeneratedDocument.select().where(
            GeneratedDocument.doctype == "analytical_note").exists()


def test_schools_and_the_department_may_not_write_the_note(login_as, make_user, monitored):
    campaign = monitored["campaign"]
    school = login_as("school", organization=monitored["a"].id)
    assert school.get(f"/monitoring/campaigns/{campaign.id}/note").status_code == 403
    assert school.get(f"/monitoring/campaigns/{campaign.id}/note/chart.png").status_code == 403
    assert _register(school, campaign).status_code == 403
    assert school.get(f"/monitoring/campaigns/{campaign.id}/results-order").status_code == 403
    department = login_as("department")
    assert department.get(f"/monitoring/campaigns/{campaign.id}/note").status_code == 403


def test_results_order_lists_the_schools_below_the_threshold(app, login_as, make_org,
                                                            monitored):
    campaign = monitored["campaign"]
    centre = login_as("centre")
    centre.post(f"/monitoring/campaigns/{campaign.id}/note", data={
        "action": "save", "signer_position": "Директор", "signer_name": "Кузнецова О.В.",
        "threshold_share_2": "10"})
    department = login_as("department", organization=make_org(
        kind="department", short_name="УО", full_name="Управление образования администрации "
        "муниципального образования Новоречинский район").id)
    page = department.get(f"/monitoring/campaigns/{campaign.id}/results-order")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Принять к сведению аналитическую справку" in html
    assert "скорректировать программы повышения качества образования" in html
    assert "МБОУ «СОШ № 2»" in html and "МБОУ «СОШ № 1»" not in html.split("Приложение")[1]
    form = {"action": "register", "order_date": "2027-02-01",
            "heading": "Об итогах мониторинга позитивных изменений в ШНОР",
            "signer_position": "Начальник управления", "signer_name": "Волков Михаил Евгеньевич",
            "clauses-0-level": "0", "clauses-0-text": "Принять к сведению аналитическую справку.",
            "clauses-1-level": "0", "clauses-1-text": "Руководителям ОО, перечисленных в "
                                                      "приложении, скорректировать программы.",
            "clauses-1-deadline": "до 01.03.2027"}
    response = department.post(f"/monitoring/campaigns/{campaign.id}/results-order", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    with app.app_context(), db.connection_context():
        document = GeneratedDocument.get(GeneratedDocument.doctype == "order_monitoring_results")
        context = json.loads(document.context_json)
    assert [row[1] for row in context["annexes"][0]["rows"]] == ["МБОУ «СОШ № 2»"]
    assert context["clauses"][1]["text"].endswith("срок — до 01.03.2027.")
    # the centre drafts, the department registers
    assert centre.post(f"/monitoring/campaigns/{campaign.id}/results-order",
                       data=form).status_code == 403
    preview = centre.post(f"/monitoring/campaigns/{campaign.id}/results-order",
                          data=dict(form, action="preview"))
    assert preview.status_code == 200 and preview.data[:2] == b"PK"


def test_a_picture_prints_in_the_body_only_and_a_broken_one_is_a_russian_error():
    from .test_template_gate import with_paragraph
    template = engine.CompiledTemplate(with_paragraph("{{ figure }}"))
    png = note.draw({"kind": "distribution", "values": [1, 2, 3], "unit": ""})
    data = template.render(dict(ORDER.sample_context(),
                                figure=engine.picture(png, 100, "Рисунок 1 — проба")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("word/media/opora_picture1.png") == png
        assert b'Extension="png"' in archive.read("[Content_Types].xml")
        assert b"opora_picture1.png" in archive.read("word/_rels/document.xml.rels")
    docx.Document(io.BytesIO(data))  # python-docx opens it
    with pytest.raises(engine.RenderError, match="Рисунок документа повреждён"):
        template.render(dict(ORDER.sample_context(),
                             figure={"png_base64": "bm90IGEgcG5n", "width_mm": 100}))


def test_note_without_reports_is_refused_in_russian(app, login_as, make_org):
    campaign = create_campaign([make_org().id])
    response = _register(login_as("centre"), campaign)
    assert response.status_code == 422
    assert "Ни одна ОО ещё не отправила отчёт" in response.get_data(as_text=True)
    with db.connection_context():
        assert not GeneratedDocument.select().where(
            GeneratedDocument.doctype == "analytical_note").exists()


def test_basis_is_the_launching_order(app, monitored):
    from datetime import date

    from blueprints.documents import api
    with app.app_context(), db.connection_context():
        order = api.register("order", plain=api.doctype("order").sample, on_date=date(2026, 9, 5),
                             title="О проведении мониторинга позитивных изменений в ШНОР")
        MonitoringCampaign.update(order=order.id).where(
            MonitoringCampaign.id == monitored["campaign"].id).execute()
    general = note.general_paragraphs(_plain(monitored["campaign"]))
    assert (f"Основание: приказ «О проведении мониторинга позитивных изменений в ШНОР» от "
            f"05.09.2026 № {order.number}.") in general


def test_an_order_without_clauses_is_422(login_as, make_org, monitored):
    department = login_as("department", organization=make_org(kind="department").id)
    response = department.post(f"/monitoring/campaigns/{monitored['campaign'].id}/results-order",
                               data={"action": "register", "order_date": "2027-02-01",
                                     "heading": "Об итогах мониторинга", "signer_position": "Н",
                                     "signer_name": "Волков М.Е.", "clauses-0-text": ""})
    assert response.status_code == 422
    assert "Заполните хотя бы один пункт приказа." in response.get_data(as_text=True)
    with db.connection_context():
        assert not GeneratedDocument.select().where(
            GeneratedDocument.doctype == "order_monitoring_results").exists()


def test_the_note_is_signed_by_the_centres_head_and_a_missing_signer_is_named(
        app, make_org, make_user, monitored):
    centre = make_org(kind="centre", head_position="Директор",
                      head_name="Кузнецова Ольга Викторовна")
    client = app.test_client()
    user = make_user("centre", organization=centre)
    client.post("/login", data={"login": user.login, "password": "correct-horse-1"})
    campaign = monitored["campaign"]
    page = client.get(f"/monitoring/campaigns/{campaign.id}/note").get_data(as_text=True)
    assert 'value="Кузнецова Ольга Викторовна"' in page and 'value="Директор"' in page
    refused = _register(client, campaign, signer_name="")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'исправьте <a href="#signer_name">«ФИО подписывающего»</a>.' in body
