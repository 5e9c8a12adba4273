"""Road maps through HTTP: import with a preview, bad files, the page and its filters,
execution with evidence and history, access, the documents, the exports and the CLI."""
import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from blueprints.roadmaps import samples
from models import (ActivityChange, ActivityEvidence, Roadmap, RoadmapActivity, RoadmapSection,
                    db)

from .conftest import HX, db_fingerprint
from .test_register import make_document  # noqa: F401 (a fixture)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(client, data, name, **fields):
    return client.post("/roadmaps/import", data=dict(fields, file=(io.BytesIO(data), name)),
                       content_type="multipart/form-data")


def import_seed(client, name="lesosibirsk", builder=samples.build_docx, filename=None):
    """Upload a seed road map, confirm the preview, return the new road map's id."""
    preview = upload(client, builder(samples.seed(name)), filename or f"{name}.docx")
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    token = re.search(r'/roadmaps/import/([\w-]+)"', preview.get_data(as_text=True)).group(1)
    saved = client.post(f"/roadmaps/import/{token}")
    assert saved.status_code == 303
    return int(saved.location.rstrip("/").rsplit("/", 1)[-1])


def full_form(activity, version=None, **changes):
    """Every field of the activity form as the page posts it, with `changes`."""
    form = {"version": str(version or activity.version), "number": activity.number,
            "title": activity.title, "deadline_text": activity.deadline_text,
            "responsible": activity.responsible, "audience": activity.audience,
            "expected_result": activity.expected_result, "status": activity.status,
            "execution": activity.execution}
    form.update(changes)
    return form


def activities_of(roadmap_id):
    with db.connection_context():
        return list(RoadmapActivity.select().where(RoadmapActivity.roadmap == roadmap_id)
                    .order_by(RoadmapActivity.section, RoadmapActivity.position))


@pytest.mark.parametrize("name, sections, activities", [
    ("smolensk", 4, 16), ("moscow-region", 3, 13), ("lesosibirsk", 1, 14)])
@pytest.mark.parametrize("builder, ext", [(samples.build_docx, "docx"),
                                          (samples.build_xlsx, "xlsx")])
def test_import_shows_a_preview_and_saves_only_after_confirmation(
        login_as, name, sections, activities, builder, ext):
    centre = login_as("centre")
    before = db_fingerprint()
    preview = upload(centre, builder(samples.seed(name)), f"{name}.{ext}")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert f"разделов {sections}, мероприятий {activities}" in page
    assert db_fingerprint() == before  # nothing saved yet
    token = re.search(r'/roadmaps/import/([\w-]+)"', page).group(1)
    assert centre.post(f"/roadmaps/import/{token}").status_code == 303
    with db.connection_context():
        roadmap = Roadmap.select().order_by(Roadmap.id.desc()).get()
        assert RoadmapSection.select().where(RoadmapSection.roadmap == roadmap).count() == sections
    assert len(activities_of(roadmap.id)) == activities
    # The preview token works once.
    assert centre.post(f"/roadmaps/import/{token}").status_code == 303
    with db.connection_context():
        assert Roadmap.select().count() == 1


def _not_a_roadmap():
    from docx import Document
    document = Document()
    document.add_paragraph("Протокол совещания")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "ФИО", "Подпись"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _empty_table():
    seed = samples.seed("lesosibirsk")
    return samples.build_docx(samples.with_rows(seed, []), split=False, unnumbered=False)


@pytest.mark.parametrize("data, name, message", [
    (_not_a_roadmap(), "protocol.docx", "Мероприятие"),
    (_empty_table(), "empty.docx", "нет ни одного мероприятия"),
    (b"\x00garbage" * (5 * 1024 * 1024 // 8 + 1), "big.docx", "больше"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "secret.xlsx", "паролем"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", ".xlsx"),
])
def test_files_that_are_not_road_maps_get_a_message_and_save_nothing(
        login_as, data, name, message):
    centre = login_as("centre")
    before = db_fingerprint()
    response = upload(centre, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db_fingerprint() == before


@pytest.fixture
def roadmap(login_as, make_org):
    """A centre user, a school named among the responsible of two activities, the road map."""
    centre = login_as("centre")
    roadmap_id = import_seed(centre)
    school_org = make_org(kind="school", short_name="МБОУ «СОШ № 47»",
                          full_name="Муниципальное бюджетное общеобразовательное учреждение "
                                    "«Средняя общеобразовательная школа № 47»")
    items = activities_of(roadmap_id)
    for activity in items[:2]:
        response = centre.post(f"/roadmaps/activities/{activity.id}/edit", data=full_form(
            activity, responsible=f"{activity.responsible}, МБОУ «СОШ № 47»"))
        assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    school = login_as("school", organization=school_org)
    return {"id": roadmap_id, "centre": centre, "school": school, "activities": items}


def test_school_reports_its_own_activities_and_changes_nothing_else(roadmap):
    school, mine, other = roadmap["school"], roadmap["activities"][0], roadmap["activities"][5]
    page = school.get(f"/roadmaps/{roadmap['id']}?mine=1").get_data(as_text=True)
    assert f'id="activity-{mine.id}"' in page and f'id="activity-{other.id}"' not in page
    assert school.get(f"/roadmaps/{roadmap['id']}").status_code == 200  # reads the rest
    # Its own activity: status and execution; the title it may not touch is ignored.
    response = school.post(f"/roadmaps/activities/{mine.id}/edit", headers=HX, data={
        "version": str(mine.version + 1), "status": "done", "execution": "Проведено 12.10",
        "title": "Взлом", "responsible": "никто"})
    assert response.status_code == 200 and "Выполнено" in response.get_data(as_text=True)
    with db.connection_context():
        saved = RoadmapActivity.get_by_id(mine.id)
        assert (saved.status, saved.execution, saved.title) == ("done", "Проведено 12.10",
                                                                mine.title)
        history = [c.field for c in ActivityChange.select().where(
            ActivityChange.activity == mine.id)]
    assert "status" in history and "execution" in history
    before = db_fingerprint()
    for url, data in ((f"/roadmaps/activities/{other.id}/edit", {"status": "done", "version": "1"}),
                      (f"/roadmaps/activities/{other.id}/evidence", {"kind": "url",
                                                                    "url": "https://x.ru"}),
                      (f"/roadmaps/activities/{other.id}/delete", {}),
                      (f"/roadmaps/{roadmap['id']}/sections", {"title": "Новый"})):
        assert school.post(url, data=data).status_code == 403, url
    assert db_fingerprint() == before


def test_stale_version_is_a_conflict_with_the_typing_kept(roadmap):
    centre, activity = roadmap["centre"], roadmap["activities"][3]
    form = full_form(activity, status="in_progress", execution="Первый")
    assert centre.post(f"/roadmaps/activities/{activity.id}/edit", data=form).status_code == 303
    late = centre.post(f"/roadmaps/activities/{activity.id}/edit",
                       data=dict(form, execution="Моя запись", status="done"))
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Моя запись" in page and "уже изменил другой пользователь" in page and "Первый" in page


def test_evidence_from_the_register_is_in_the_report_with_its_number(roadmap, make_document,
                                                                       make_org):
    centre, activity = roadmap["centre"], roadmap["activities"][0]
    document = make_document(make_org(kind="department").id)
    found = centre.get(f"/roadmaps/documents?q={document.number}", headers=HX)
    assert f'value="{document.id}"' in found.get_data(as_text=True)
    assert centre.post(f"/roadmaps/activities/{activity.id}/evidence", data={
        "kind": "document", "document": str(document.id)}).status_code == 303
    assert centre.post(f"/roadmaps/activities/{activity.id}/evidence", data={
        "kind": "url", "url": "javascript:alert(1)"}).status_code == 422
    assert centre.post(f"/roadmaps/activities/{activity.id}/evidence", data={
        "kind": "file", "file": (io.BytesIO(b"%PDF-1.4 test"), "akt.pdf")},
        content_type="multipart/form-data").status_code == 303
    report = centre.get(f"/roadmaps/{roadmap['id']}/report.docx?on=2026-12-01")
    assert report.status_code == 200 and report.mimetype == DOCX
    text = docx_text(report.data)
    assert f"№ {document.number}" in text
    for item in roadmap["activities"]:
        assert item.title[:40] in text
    with db.connection_context():
        file_item = ActivityEvidence.get(ActivityEvidence.kind == "file")
    download = centre.get(f"/roadmaps/evidence/{file_item.id}/file")
    assert download.data == b"%PDF-1.4 test" and "attachment" in download.headers[
        "Content-Disposition"]


def docx_text(data):
    """The document's text, non-breaking spaces read as spaces (typography is checked in
    test_roadmap_documents)."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n")).replace("\u00a0", " ")


def test_roadmap_document_and_exports_list_every_activity(roadmap):
    centre = roadmap["centre"]
    text = docx_text(centre.get(f"/roadmaps/{roadmap['id']}/roadmap.docx").data)
    for item in roadmap["activities"]:
        assert item.title[:40] in text
    for kind in ("roadmap.xlsx", "report.xlsx"):
        response = centre.get(f"/roadmaps/{roadmap['id']}/{kind}")
        sheet = load_workbook(io.BytesIO(response.data)).active
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        for item in roadmap["activities"]:
            assert item.title[:40] in cells, kind


def test_filters_by_status_month_and_overdue(roadmap):
    centre, items = roadmap["centre"], roadmap["activities"]
    first = items[0]
    centre.post(f"/roadmaps/activities/{first.id}/edit", data=full_form(
        first, first.version + 1, status="done"))
    done = centre.get(f"/roadmaps/{roadmap['id']}?status=done", headers=HX)
    body = done.get_data(as_text=True)
    assert "<html" not in body and f'id="activity-{first.id}"' in body
    assert f'id="activity-{items[1].id}"' not in body
    overdue = centre.get(f"/roadmaps/{roadmap['id']}?overdue=1").get_data(as_text=True)
    assert f'id="activity-{first.id}"' not in overdue  # done is never overdue
    assert any(f'id="activity-{a.id}"' in overdue for a in items if a.ends_on
               and a.ends_on < date.today())
    dated = next(a for a in items if a.starts_on)
    month = centre.get(f"/roadmaps/{roadmap['id']}?month={dated.starts_on:%Y-%m}")
    assert f'id="activity-{dated.id}"' in month.get_data(as_text=True)
    assert centre.get(f"/roadmaps/{roadmap['id']}?month=2026-99").status_code == 200


def test_centre_adds_moves_and_deletes_activities_and_sections(roadmap):
    centre, rid = roadmap["centre"], roadmap["id"]
    with db.connection_context():
        section = RoadmapSection.get(RoadmapSection.roadmap == rid)
    assert centre.post(f"/roadmaps/sections/{section.id}/activities",
                       data={"title": "Итоговое совещание"}).status_code == 303
    added = activities_of(rid)[-1]
    assert added.title == "Итоговое совещание"
    assert centre.post(f"/roadmaps/activities/{added.id}/move/up").status_code == 303
    assert activities_of(rid)[-2].id == added.id
    assert centre.post(f"/roadmaps/activities/{added.id}/delete").status_code == 303
    assert added.id not in [a.id for a in activities_of(rid)]
    assert centre.post(f"/roadmaps/{rid}/sections", data={"number": "2",
                                                          "title": "Мониторинг"}).status_code == 303
    assert "2. Мониторинг" in centre.get(f"/roadmaps/{rid}").get_data(as_text=True)
    assert centre.post(f"/roadmaps/{rid}/sections", data={"title": ""}).status_code == 422


def test_cli_import_roadmap_prints_the_summary_and_dry_run_saves_nothing(app, tmp_path, make_org):
    make_org(kind="centre")
    path = tmp_path / "moscow.docx"
    path.write_bytes(samples.build_docx(samples.seed("moscow-region")))
    runner = app.test_cli_runner()
    before = db_fingerprint()
    result = runner.invoke(args=["import-roadmap", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "sections: 3, activities: 13, warnings: 1"
    assert "Период" in result.output
    assert db_fingerprint() == before
    result = runner.invoke(args=["import-roadmap", str(path)])
    assert result.exit_code == 0 and "Сохранено" in result.output
    with db.connection_context():
        assert RoadmapActivity.select().count() == 13
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    result = runner.invoke(args=["import-roadmap", str(bad)])
    assert result.exit_code != 0 and "docx" in result.output


def create_activity(app, school_org_id):
    """A small road map whose one activity names `school_org_id` among the responsible."""
    from models import ActivityOrganization, Organization
    with app.app_context(), db.connection_context():
        owner = Organization.select().where(Organization.kind != "school").first() or \
            Organization.get_by_id(school_org_id)
        roadmap = Roadmap.create(title="Дорожная карта", organization=owner, period_start=2026,
                                 period_end=2026)
        section = RoadmapSection.create(roadmap=roadmap, position=0, number="1",
                                        title="Организационные мероприятия")
        activity = RoadmapActivity.create(roadmap=roadmap, section=section, position=0,
                                          number="1.1", title="Совещание", deadline_text="Январь")
        ActivityOrganization.create(activity=activity, organization=school_org_id)
        return activity


def create_evidence(app, school_org_id):
    from blueprints.roadmaps import services
    activity = create_activity(app, school_org_id)
    with app.app_context(), db.connection_context():
        return services.add_evidence(activity, None, upload=("акт.pdf", b"%PDF-1.4"),
                                     organization=school_org_id)


def test_a_change_made_through_another_worker_shows_on_the_next_page_view(roadmap, app):
    from .conftest import another_worker, login
    centre, activity = roadmap["centre"], roadmap["activities"][7]
    first = centre.get(f"/roadmaps/{roadmap['id']}").get_data(as_text=True)  # now cached
    badge = f'id="activity-{activity.id}"'
    assert "Отменено</span>" not in first.split(badge)[1].split("</tr>")[0]
    other = another_worker(app).test_client()
    with db.connection_context():
        from models import User
        user = User.select().where(User.role == "centre").first()
    login(other, user)
    assert other.post(f"/roadmaps/activities/{activity.id}/edit", data=full_form(
        activity, status="cancelled")).status_code == 303
    again = centre.get(f"/roadmaps/{roadmap['id']}").get_data(as_text=True)
    assert "Отменено</span>" in again.split(badge)[1].split("</tr>")[0]
    token = re.search(r'name="csrf_token" value="([^"]*)"', again).group(1)
    assert "\x00" not in token  # the session's token replaced the cache's placeholder


def test_a_document_published_later_gets_its_public_link_in_the_report(roadmap, make_document,
                                                                         make_org):
    from blueprints.documents.services import publish_document
    centre, activity = roadmap["centre"], roadmap["activities"][2]
    document = make_document(make_org(kind="department").id)
    centre.post(f"/roadmaps/activities/{activity.id}/evidence", data={
        "kind": "document", "document": str(document.id)})
    report = docx_text(centre.get(f"/roadmaps/{roadmap['id']}/report.docx").data)
    assert f"№ {document.number}" in report and "/docs/" not in report
    with db.connection_context():
        published = publish_document(document)
    report = docx_text(centre.get(f"/roadmaps/{roadmap['id']}/report.docx").data)
    # an absolute link from the configured site address, never a bare path
    assert re.search(rf"https?://[^/\s]+/docs/{published.year}/{published.slug}", report)
    assert f"\n/docs/{published.year}" not in report


def test_centre_edits_the_requisites_and_deletes_the_roadmap_after_confirmation(roadmap):
    centre, rid = roadmap["centre"], roadmap["id"]
    bad = centre.post(f"/roadmaps/{rid}/edit", data={"title": "Карта", "period_start": "2027",
                                                     "period_end": "2026", "status": "active"})
    assert bad.status_code == 422 and "Окончание раньше начала." in bad.get_data(as_text=True)
    assert centre.post(f"/roadmaps/{rid}/edit", data={
        "title": "Дорожная карта на 2026/2027 учебный год", "period_start": "2026",
        "period_end": "2027", "approved_by": "приказом управления образования",
        "approved_number": "01-07/12", "approved_on": "2026-08-30",
        "status": "active"}).status_code == 303
    yearless = [a for a in activities_of(rid) if a.starts_on
                and not any(ch.isdigit() for ch in a.deadline_text)]
    assert yearless and all(a.starts_on.year in (2026, 2027) for a in yearless)  # read again
    text = docx_text(centre.get(f"/roadmaps/{rid}/roadmap.docx").data)
    assert "от 30.08.2026 № 01-07/12" in text
    assert "Удалить дорожную карту" in centre.get(f"/roadmaps/{rid}/delete").get_data(as_text=True)
    with db.connection_context():
        assert Roadmap.select().count() == 1  # GET only asks
    assert centre.post(f"/roadmaps/{rid}/delete").status_code == 303
    with db.connection_context():
        assert Roadmap.select().count() == 0 and RoadmapActivity.select().count() == 0


def test_the_list_counts_done_and_overdue_activities(roadmap):
    centre, items = roadmap["centre"], roadmap["activities"]
    assert centre.post(f"/roadmaps/activities/{items[0].id}/edit", data=full_form(
        items[0], items[0].version + 1, status="done")).status_code == 303
    overdue = sum(1 for a in items[1:] if a.ends_on and a.ends_on < date.today())
    page = centre.get("/roadmaps/").get_data(as_text=True)
    assert f"1 из {len(items)}" in page
    assert re.search(rf'<td class="text-danger fw-semibold">{overdue}</td>', page)


def test_a_school_removes_only_the_evidence_its_organisation_added(app, login_as, make_user):
    """Two schools responsible for one activity: one may not remove what the other added (the
    page offers «убрать» only where it would work); the centre may."""
    from models import ActivityEvidence
    evidence = create_evidence(app, make_user("school").organization_id)
    with db.connection_context():
        activity = evidence.activity
    own_school = login_as("school")
    with db.connection_context():
        from models import ActivityOrganization
        ActivityOrganization.create(activity=activity, organization=own_school.user.organization_id)
    page = own_school.get(f"/roadmaps/activities/{activity.id}").get_data(as_text=True)
    assert f"/roadmaps/evidence/{evidence.id}/delete" not in page
    refused = own_school.post(f"/roadmaps/evidence/{evidence.id}/delete")
    assert refused.status_code == 403
    assert "добавившая его организация" in refused.get_data(as_text=True)
    with db.connection_context():
        assert ActivityEvidence.get_or_none(ActivityEvidence.id == evidence.id) is not None
    centre = login_as("centre")
    assert centre.post(f"/roadmaps/evidence/{evidence.id}/delete").status_code == 303
    with db.connection_context():
        assert ActivityEvidence.get_or_none(ActivityEvidence.id == evidence.id) is None


def test_documents_carry_the_signer_the_executor_with_phone_and_the_date(roadmap):
    """The organisation's head signs («И.О. Фамилия»), the user who made the file is the
    executor with the organisation's phone, and the date of compilation is printed."""
    from models import Organization
    centre = roadmap["centre"]
    with db.connection_context():
        organization_id = Roadmap.get_by_id(roadmap["id"]).organization_id
        Organization.update(head_position="Директор", head_name="Соколова Анна Викторовна",
                            phone="8 (39145) 2-44-55").where(
            Organization.id == organization_id).execute()
        name = Organization.get_by_id(organization_id).full_name
    for kind in ("roadmap.docx", "report.docx?on=2026-12-01"):
        text = docx_text(centre.get(f"/roadmaps/{roadmap['id']}/{kind}").data)
        assert name in text
        assert "Директор\nА.В. Соколова" in text
        assert re.search(r"\n\d\d\.\d\d\.\d{4}\n", text.split("А.В. Соколова")[1])
        assert ", 8 (39145) 2-44-55" in text


def test_postponed_activity_is_not_counted_as_overdue(app, login_as, make_org):
    activity = create_activity(app, make_org().id)
    with app.app_context(), db.connection_context():
        RoadmapActivity.update(ends_on=date(2020, 1, 31), status="postponed").where(
            RoadmapActivity.id == activity.id).execute()
        stored = RoadmapActivity.get_by_id(activity.id)
    assert not stored.is_overdue(date(2026, 12, 3))
    page = login_as("centre").get(f"/roadmaps/{activity.roadmap_id}").get_data(as_text=True)
    assert "Перенесено" in page and "просрочено" not in page


def test_the_same_file_twice_is_saved_again_only_when_asked(login_as):
    centre = login_as("centre")
    data = samples.build_docx(samples.seed("lesosibirsk"))

    def token_of(response):
        return re.search(r'/roadmaps/import/([\w-]+)"', response.get_data(as_text=True)).group(1)

    assert centre.post(f"/roadmaps/import/{token_of(upload(centre, data, 'карта.docx'))}"
                       ).status_code == 303
    second = upload(centre, data, "карта (1).docx")
    assert "Похоже, этот файл уже загружен" in second.get_data(as_text=True)
    token = token_of(second)
    refused = centre.post(f"/roadmaps/import/{token}")
    assert refused.status_code == 409 and "Загрузить ещё раз" in refused.get_data(as_text=True)
    with db.connection_context():
        assert Roadmap.select().count() == 1
    assert centre.post(f"/roadmaps/import/{token}", data={"again": "1"}).status_code == 303
    with db.connection_context():
        assert Roadmap.select().count() == 2
