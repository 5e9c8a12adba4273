"""Partnerships, after registration: plan execution with evidence (the mechanism road maps
use), the centre's page of a year and the report, the signed scan of the agreement in the
register and on the public site, and bulk agreements as one background job."""
import io
import itertools
import zipfile
from datetime import date, timedelta

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from models import (GeneratedDocument, Organization, Partnership, PartnershipConfirmation,
                    PlanRow, PlanRowEvidence, db, now)

from blueprints.documents.doctype import DOC_TEMPLATES
from blueprints.partnerships import execution, services

from .conftest import db_fingerprint
from .test_partnership_documents import _plain, _text
from .test_partnership_agreement import create_plan_row

_years = itertools.count(2060)  # within the year filter (2000–2100)


# --- a pair ready for execution ------------------------------------------------------------

def registered_pair(app, leader_id, partner_id, rows=3, status="registered", period=None):
    """A pair with a registered agreement (of the leader school) and `rows` plan rows: the
    first ended last month, the second ends next year, the third has no end date."""
    from .test_register import create_document
    agreement = create_document(app, leader_id, title="Соглашение о сотрудничестве")
    with app.app_context(), db.connection_context():
        pair = services.propose(period or next(_years), Organization.get_by_id(leader_id),
                                Organization.get_by_id(partner_id), ["consulting"], None)
        Partnership.update(status=status, agreement=agreement.id).where(
            Partnership.id == pair.id).execute()
        ends = [date.today() - timedelta(days=30), date.today() + timedelta(days=365), None]
        for i in range(rows):
            PlanRow.create(partnership=pair, position=i, title=f"Мероприятие {i + 1}",
                           deadline_text="в течение года", ends_on=ends[i % 3])
        return Partnership.get_by_id(pair.id)


def create_plan_evidence(app, partner_org_id):
    """An uploaded file of that school on a fresh plan row (access tests)."""
    row = create_plan_row(app, partner_org_id)
    with app.app_context(), db.connection_context():
        return execution.add_evidence(row, None, partner_org_id,
                                      upload=("акт.pdf", b"%PDF-1.4 act"))


@pytest.fixture
def world(app, make_org, make_user, login_as):
    leader, partner, stranger = (make_org(is_leader=True), make_org(is_low_result=True),
                                 make_org())
    pair = registered_pair(app, leader.id, partner.id)
    users = {name: login_as(make_user("school", organization=org.id))
             for name, org in (("leader", leader), ("partner", partner), ("stranger", stranger))}
    users["centre"] = login_as("centre")
    users["department"] = login_as("department")
    with db.connection_context():
        rows = list(PlanRow.select().where(PlanRow.partnership == pair.id).order_by(
            PlanRow.position))
    return {"pair": pair, "rows": rows, "orgs": (leader, partner, stranger), **users}


def _file(client, row, name="акт.pdf", data=b"%PDF-1.4 act"):
    return client.post(f"/partnerships/rows/{row.id}/evidence",
                       data={"kind": "file", "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


# --- evidence on plan rows -------------------------------------------------------------------

def test_both_schools_read_a_plan_row_file_and_a_third_school_gets_404(world):
    row = world["rows"][0]
    assert _file(world["partner"], row).status_code == 303
    with db.connection_context():
        item = PlanRowEvidence.get(PlanRowEvidence.row == row.id)
    url = f"/partnerships/plan-evidence/{item.id}/file"
    for who in ("partner", "leader", "centre", "department"):
        response = world[who].get(url)
        assert response.status_code == 200 and response.data == b"%PDF-1.4 act", who
        assert response.headers["Content-Disposition"].startswith("attachment")
    assert world["stranger"].get(url).status_code == 404
    # The stranger sees neither the row page nor a way to add evidence to it.
    assert world["stranger"].get(f"/partnerships/rows/{row.id}").status_code == 404
    before = db_fingerprint()
    assert _file(world["stranger"], row).status_code == 404
    assert db_fingerprint() == before
    # Both schools see the file on the row page, with its link.
    page = world["leader"].get(f"/partnerships/rows/{row.id}").get_data(as_text=True)
    assert "акт.pdf" in page and url in page


def test_evidence_is_removed_only_by_its_school_or_the_centre(world):
    row = world["rows"][0]
    _file(world["partner"], row)
    world["leader"].post(f"/partnerships/rows/{row.id}/evidence",
                         data={"kind": "url", "url": "https://school.example/news/1",
                               "title": "Новость"})
    with db.connection_context():
        by_partner, by_leader = PlanRowEvidence.select().order_by(PlanRowEvidence.id)
    delete = "/partnerships/plan-evidence/{}/delete".format
    assert world["leader"].post(delete(by_partner.id)).status_code == 403
    assert world["stranger"].post(delete(by_partner.id)).status_code == 404
    assert world["department"].post(delete(by_partner.id)).status_code == 403  # reads only
    assert world["partner"].post(delete(by_partner.id)).status_code == 303
    assert world["centre"].post(delete(by_leader.id)).status_code == 303
    with db.connection_context():
        assert PlanRowEvidence.select().count() == 0


def test_evidence_cites_only_documents_the_school_may_cite(world, app):
    from .test_register import create_document
    row = world["rows"][0]
    _, partner, stranger = world["orgs"]
    foreign = create_document(app, stranger.id, title="Чужой приказ zqx")
    own = create_document(app, partner.id, title="Свой приказ zqx")
    picker = world["partner"].get("/evidence-documents?q=zqx").get_data(as_text=True)
    assert "Свой приказ" in picker and "Чужой приказ" not in picker
    url = f"/partnerships/rows/{row.id}/evidence"
    response = world["partner"].post(url, data={"kind": "document", "document": foreign.id})
    assert response.status_code == 422
    assert "Такого зарегистрированного документа нет" in response.get_data(as_text=True)
    assert world["partner"].post(url, data={"kind": "document",
                                            "document": own.id}).status_code == 303


def test_no_execution_before_the_agreement_is_registered(app, make_org, login_as, make_user):
    leader, partner = make_org(is_leader=True), make_org(is_low_result=True)
    pair = registered_pair(app, leader.id, partner.id, rows=1, status="approved")
    client = login_as(make_user("school", organization=partner.id))
    with db.connection_context():
        row = PlanRow.get(PlanRow.partnership == pair.id)
    response = client.post(f"/partnerships/rows/{row.id}/execution",
                           data={"version": "1", "done": "y", "done_on": "2026-10-01"})
    assert response.status_code == 409
    assert "после регистрации соглашения" in response.get_data(as_text=True)


# --- marking rows done -----------------------------------------------------------------------

def test_marking_done_and_back_with_a_version_conflict(world):
    row = world["rows"][1]
    url = f"/partnerships/rows/{row.id}/execution"
    today = date.today().isoformat()
    response = world["partner"].post(url, data={"version": "1", "done": "y", "done_on": today,
                                                "execution": "Проведено 2 консультации"})
    assert response.status_code == 303
    with db.connection_context():
        fresh = PlanRow.get_by_id(row.id)
    assert (fresh.status, fresh.done_on, fresh.version) == ("done", date.today(), 2)
    # The leader's form was opened at version 1: a conflict, its typing kept, nothing saved.
    stale = world["leader"].post(url, data={"version": "1", "execution": "Перенесено"})
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "уже изменила другая сторона" in text and "Перенесено" in text
    with db.connection_context():
        assert PlanRow.get_by_id(row.id).status == "done"
    # Back to planned at the current version.
    assert world["leader"].post(url, data={"version": "2", "execution": ""}).status_code == 303
    with db.connection_context():
        fresh = PlanRow.get_by_id(row.id)
    assert (fresh.status, fresh.done_on, fresh.version) == ("planned", None, 3)
    # Done without a date, or in the future: 422 with the reason.
    for data in ({"version": "3", "done": "y"},
                 {"version": "3", "done": "y",
                  "done_on": (date.today() + timedelta(days=2)).isoformat()}):
        response = world["leader"].post(url, data=data)
        assert response.status_code == 422
    assert world["stranger"].post(url, data={"version": "3"}).status_code == 404
    assert world["department"].post(url, data={"version": "3"}).status_code == 403


# --- the centre's page and the report --------------------------------------------------------

def test_the_year_page_counts_planned_done_overdue_and_share(world, app):
    pair, rows = world["pair"], world["rows"]
    with db.connection_context():
        PlanRow.update(status="done", done_on=date.today()).where(
            PlanRow.id == rows[2].id).execute()
        counts = execution.counts([pair.id])[pair.id]
    # Row 1 ended last month (overdue), row 2 is ahead, row 3 done.
    assert counts == {"planned": 3, "done": 1, "overdue": 1, "share": 33}
    page = world["centre"].get(f"/partnerships/execution?year={pair.period_start}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "33&nbsp;%" in text and world["orgs"][0].short_name in text
    assert world["leader"].get("/partnerships/execution").status_code == 403


def test_the_report_downloads_per_pair_and_per_year(world):
    pair = world["pair"]
    response = world["partner"].get(f"/partnerships/{pair.id}/report.docx")
    assert response.status_code == 200
    assert response.data[:2] == b"PK" and ".docx" in response.headers["Content-Disposition"]
    single = response.data
    assert world["stranger"].get(f"/partnerships/{pair.id}/report.docx").status_code == 404
    response = world["centre"].get(f"/partnerships/execution/report.docx?year={pair.period_start}")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    names = (world["orgs"][0].short_name, world["orgs"][1].short_name)
    for data in (single, response.data):
        text = _plain(_text(data))
        assert "СПРАВКА" in text and all(name in text for name in names)
    assert "выполнено 0 из 3" in _plain(_text(single))  # three rows, none done yet
    # The executor: who downloaded it, with the school's phone (when the directory has one).
    partner = world["orgs"][1]
    with db.connection_context():
        Organization.update(phone="8 (39145) 2-33-44").where(
            Organization.id == partner.id).execute()
    single = world["partner"].get(f"/partnerships/{pair.id}/report.docx").data
    assert f"{world['partner'].user.full_name}, 8 (39145) 2-33-44" in _plain(_text(single))


# --- the signed scan -------------------------------------------------------------------------

def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(color="white"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 170), color).save(buffer, "PNG")
    return buffer.getvalue()


def _scan(client, pair, *files):
    return client.post(f"/partnerships/{pair.id}/scan",
                       data={"files": [(io.BytesIO(data), name) for name, data in files]},
                       content_type="multipart/form-data")


def _signed(pair):
    with db.connection_context():
        return (Partnership.get_by_id(pair.id).status,
                GeneratedDocument.get_by_id(pair.agreement_id))


def test_a_pdf_scan_signs_the_agreement_and_the_register_shows_it(world):
    pair, scan = world["pair"], pdf_bytes(2)
    response = _scan(world["partner"], pair, ("скан.pdf", scan))
    assert response.status_code == 303
    status, document = _signed(pair)
    assert status == "signed"
    assert (document.signed_size, document.signed_on) == (len(scan), date.today())
    mark = f"подписано обеими сторонами, {date.today():%d.%m.%Y}"
    # The register (list and page) of the document's organisation, and staff.
    for who in ("leader", "centre"):
        assert mark in world[who].get("/documents/").get_data(as_text=True)
        assert mark in world[who].get(f"/documents/{document.id}").get_data(as_text=True)
        copy = world[who].get(f"/documents/{document.id}/signed")
        assert copy.status_code == 200 and copy.data == scan
    # Same visibility as the document: another school gets 404; both schools of the pair
    # read it from the pair.
    assert world["stranger"].get(f"/documents/{document.id}/signed").status_code == 404
    for who in ("leader", "partner"):
        assert world[who].get(f"/partnerships/{pair.id}/signed.pdf").data == scan
    assert world["stranger"].get(f"/partnerships/{pair.id}/signed.pdf").status_code == 404


def test_two_pngs_are_merged_into_a_two_page_pdf(world):
    pair = world["pair"]
    response = _scan(world["leader"], pair, ("стр1.png", png_bytes()), ("стр2.png",
                                                                      png_bytes("gray")))
    assert response.status_code == 303
    data = world["leader"].get(f"/partnerships/{pair.id}/signed.pdf").data
    assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) == 2


@pytest.mark.parametrize("name, data, status, reason", [
    ("скан.pdf", b"MZ\x90\x00" + b"\x00" * 500, 415, "это не PDF, JPEG или PNG"),  # an .exe
    ("скан.png", (DOC_TEMPLATES / "order.docx").read_bytes(), 415, "это не PDF, JPEG или PNG"),
    ("скан.png", png_bytes()[:60], 422, "изображение повреждено"),  # a truncated PNG
    ("скан.pdf", b"%PDF-1.4\n%garbage\n", 422, "повреждён или это не PDF"),
])
def test_a_bad_scan_is_refused_with_a_reason_and_nothing_stored(world, name, data, status,
                                                                reason):
    before = db_fingerprint()
    response = _scan(world["partner"], world["pair"], (name, data))
    assert response.status_code == status
    assert reason in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_an_oversized_scan_is_refused(world, app):
    app.config["SCAN_MAX_BYTES"] = 1024 * 1024
    before = db_fingerprint()
    response = _scan(world["partner"], world["pair"],
                     ("скан.pdf", pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)))
    assert response.status_code == 413 and "Скан больше 1 МБ" in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_a_scan_may_be_larger_than_the_apps_body_limit(world, app):
    """The scan upload has its own body limit (OPORA_SCAN_MAX_MB), above the app's."""
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    scan = pdf_bytes() + b"\n%" + b"x" * (2 * 1024 * 1024)
    assert _scan(world["partner"], world["pair"], ("скан.pdf", scan)).status_code == 303
    row = world["rows"][0]  # elsewhere the app's limit holds
    assert world["partner"].post(f"/partnerships/rows/{row.id}/execution", data={
        "version": "1", "execution": "y" * (2 * 1024 * 1024)}).status_code == 413


def test_a_scan_for_an_unregistered_agreement_is_refused(app, make_org, login_as, make_user):
    leader, partner = make_org(is_leader=True), make_org(is_low_result=True)
    with db.connection_context():
        pair = services.propose(next(_years), leader, partner, ["consulting"], None)
        Partnership.update(status="approved").where(Partnership.id == pair.id).execute()
    client = login_as(make_user("school", organization=partner.id))
    before = db_fingerprint()
    response = _scan(client, pair, ("скан.pdf", pdf_bytes()))
    assert response.status_code == 409
    assert "только после регистрации соглашения" in response.get_data(as_text=True)
    assert db_fingerprint() == before
    assert _scan(login_as("department"), pair, ("скан.pdf", pdf_bytes())).status_code == 403


def test_the_public_page_offers_the_signed_copy_only_when_published(world, app):
    from blueprints.documents import services as document_services
    pair, scan = world["pair"], pdf_bytes()
    _scan(world["partner"], pair, ("скан.pdf", scan))
    with app.app_context(), db.connection_context():
        document = document_services.publish_document(
            GeneratedDocument.get_by_id(pair.agreement_id))
    public = app.test_client()
    page_url = f"/docs/{document.year}/{document.slug}"
    assert "Подписанная копия" not in public.get(page_url).get_data(as_text=True)
    assert public.get(f"{page_url}/signed").status_code == 404
    publish = f"/documents/{document.id}/signed/publish"
    assert world["leader"].post(publish, data={"public": "1"}).status_code == 403
    assert world["centre"].post(publish, data={"public": "1"}).status_code == 303
    assert "Подписанная копия" in public.get(page_url).get_data(as_text=True)
    copy = public.get(f"{page_url}/signed")
    assert copy.status_code == 200 and copy.data == scan
    assert world["centre"].post(publish, data={"public": "0"}).status_code == 303
    assert public.get(f"{page_url}/signed").status_code == 404


def test_the_pair_page_says_the_signed_copy_waits_for_the_agreement_to_be_published(
        world, app):
    from blueprints.documents import services as document_services
    pair = world["pair"]
    _scan(world["partner"], pair, ("скан.pdf", pdf_bytes()))
    with db.connection_context():
        document = GeneratedDocument.get_by_id(pair.agreement_id)
    publish = f"/documents/{document.id}/signed/publish"
    told = world["centre"].post(publish, data={"public": "1"}, follow_redirects=True)
    assert "когда документ будет опубликован" in told.get_data(as_text=True)
    page = world["centre"].get(f"/partnerships/{pair.id}").get_data(as_text=True)
    assert "будет на сайте после публикации соглашения" in page
    assert "опубликован на сайте" not in page
    with app.app_context(), db.connection_context():
        document = document_services.publish_document(document)
    page = world["partner"].get(f"/partnerships/{pair.id}").get_data(as_text=True)
    assert f'href="/docs/{document.year}/{document.slug}"' in page
    assert "опубликован на сайте" in page


# --- bulk agreements -------------------------------------------------------------------------

def test_the_bulk_job_registers_both_documents_per_pair_into_one_zip(app, make_org, login_as,
                                                                    monkeypatch):
    from blueprints.documents import pdf

    from .test_jobs import _wait_done
    from .test_register import create_document
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "convert", lambda data, *args, **kwargs: b"%PDF-1.4 fake")
    client = login_as("department")
    order = create_document(app, client.user.organization_id, title="Об организации партнёрства")
    period = next(_years)
    with db.connection_context():
        pairs = []
        for i in range(3):
            leader, partner = make_org(is_leader=True), make_org(is_low_result=True)
            pairs.append(services.propose(period, leader, partner, ["consulting"], None))
        Partnership.update(approval=order.id, status="approved").where(
            Partnership.id.in_([p.id for p in pairs])).execute()
        for pair in pairs[:2]:  # both sides confirmed; the third is still a draft
            for side in ("leader", "partner"):
                PartnershipConfirmation.create(partnership=pair, side=side, version=1,
                                               confirmed_at=now())
    page = client.get("/partnerships/").get_data(as_text=True)
    if "partnership_bulk" in page or "partnership-bulk" in page:
        assert "Сформировать соглашения для всех пар" in page
    response = client.post("/partnerships/bulk", data={"year": str(period), "with_pdf": "y"})
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    job = _wait_done(job_id)
    assert (job.status, job.done, job.total, job.failed) == ("done", 2, 2, 0)
    assert "2 из 2" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    with db.connection_context():
        done = [Partnership.get_by_id(p.id) for p in pairs]
        assert [p.status for p in done] == ["registered", "registered", "approved"]
        assert all(p.agreement_id and p.plan_id for p in done[:2]) and not done[2].agreement_id
        documents = [GeneratedDocument.get_by_id(i) for p in done[:2]
                     for i in (p.agreement_id, p.plan_id)]
    assert all(d.status == "registered" and d.number for d in documents)
    assert all(d.pdf_status == "done" for d in documents)
    archive = client.get(f"/jobs/{job_id}/zip")
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert len(names) == 8 and sum(n.endswith(".pdf") for n in names) == 4
    assert names[0].startswith("001 № ") and any(n.startswith("001-2 № ") for n in names)
    # Run again: nothing is registered twice (the pairs keep their numbers).
    again = client.post("/partnerships/bulk", data={"year": str(period)})
    job = _wait_done(int(again.headers["Location"].rstrip("/").split("/")[-1]))
    with db.connection_context():
        assert [Partnership.get_by_id(p.id).agreement_id for p in pairs[:2]] == \
            [p.agreement_id for p in done[:2]]
        assert GeneratedDocument.select().where(
            GeneratedDocument.doctype.in_(("partnership_agreement", "partnership_plan"))
        ).count() == 4
    # Schools may not start it.
    assert login_as("school").post("/partnerships/bulk",
                                   data={"year": str(period)}).status_code == 403
