"""Pairs for a school year: the list, the pair form, suggestions, the .xlsx import, the
approving order and the list-partnerships command."""
import io
import json
import re
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from models import (AuditLog, GeneratedDocument, Organization, Partnership,
                    PartnershipConfirmation, db, now)

from blueprints.partnerships import pairs, services

from .conftest import db_fingerprint


def create_pairs_order(app, partner_org_id):
    """A registered order_partnerships approving a fresh pair with `partner_org_id` as partner."""
    from .test_partnerships import create_partnership
    from blueprints.partnerships.documents import partnerships_order
    pair = create_partnership(app, partner_org_id)
    with app.app_context(), db.connection_context():
        department = Organization.create(kind="department", full_name="Управление образования "
                                         "администрации Новоречинского района",
                                         short_name="УО", municipality="Новоречинский район")
        order = partnerships_order(department.full_name, date(2026, 9, 10), pair.period_start,
                                   "Начальник", "Волков Михаил Евгеньевич")
        return pairs.approve_pairs([Partnership.get_by_id(pair.id)], order, None, department.id)


@pytest.fixture
def directory(make_org):
    """Two leaders in two municipalities, three low-result schools, the centre, a department."""
    north, south = "Северный район", "Южный район"
    return {
        "lyceum": make_org(short_name="МБОУ «Лицей № 7»", is_leader=True, municipality=north,
                           inn="2401000007"),
        "gym": make_org(short_name="МБОУ «Гимназия № 2»", is_leader=True, municipality=south,
                        inn="2401000002"),
        "s1": make_org(short_name="МБОУ «СОШ № 1»", is_low_result=True, municipality=north,
                       inn="2401000011"),
        "s5": make_org(short_name="МБОУ «СОШ № 5»", is_low_result=True, municipality=south,
                       inn="2401000015"),
        "s9": make_org(short_name="МБОУ «СОШ № 9»", is_low_result=True, municipality=north,
                       inn="2401000019"),
        "plain": make_org(short_name="МБОУ «ООШ № 4»", municipality=north),
        "centre": make_org(kind="centre", short_name="МКУ «ЦРО»", municipality=north),
        "department": make_org(kind="department", short_name="Управление образования",
                               full_name="Управление образования администрации Северного района",
                               municipality=north, head_position="Начальник управления",
                               head_name="Волков Михаил Евгеньевич"),
    }


@pytest.fixture
def centre(login_as, directory):
    return login_as("centre", organization=directory["centre"].id)


def pair_form(directory, leader="lyceum", partner="s1", year="2026", directions=("consulting",),
              coordinator=0):
    return {"period_start": year, "leader": directory[leader].id if leader else 0,
            "partner": directory[partner].id if partner else 0,
            "directions": list(directions), "coordinator": coordinator}


def propose(app, directory, leader, partner, year=2026, status="proposed"):
    with app.app_context(), db.connection_context():
        pair = services.propose(year, directory[leader], directory[partner], ["consulting"], None)
        if status != "proposed":
            Partnership.update(status=status).where(Partnership.id == pair.id).execute()
        return pair


# --- the pair form ----------------------------------------------------------------------------

def test_the_centre_proposes_a_pair_and_it_is_audited(centre, directory):
    response = centre.post("/partnerships/new", data=pair_form(
        directory, directions=("consulting", "mentoring"),
        coordinator=directory["centre"].id))
    assert response.status_code == 303
    with db.connection_context():
        pair = Partnership.get()
        assert (pair.leader_id, pair.partner_id, pair.period_start) == (
            directory["lyceum"].id, directory["s1"].id, 2026)
        assert pair.direction_keys == ["consulting", "mentoring"]
        assert pair.coordinator_id == directory["centre"].id and pair.status == "proposed"
        assert AuditLog.select().where(AuditLog.action == "partnership_proposed").count() == 1
    page = centre.get("/partnerships/?year=2026").get_data(as_text=True)
    assert "МБОУ «Лицей № 7»" in page and "консультирование, наставничество" in page
    assert "партнёров: 1" in page  # the leader's load beside it


def test_changing_the_year_in_the_form_shows_the_leaders_load_in_that_year(app, centre,
                                                                         directory):
    """The form asks for itself again with the typed fields when the year changes: the
    leaders are listed with their partners in the chosen year, the choices kept."""
    propose(app, directory, "lyceum", "s1", year=2026)
    lyceum = directory["lyceum"].id
    assert 'data-hx-get="/partnerships/new"' in centre.get("/partnerships/new").get_data(as_text=True)
    for year, load in ((2026, 1), (2027, 0)):
        page = centre.get(f"/partnerships/new?period_start={year}&leader={lyceum}"
                          f"&directions=mentoring").get_data(as_text=True)
        assert f"МБОУ «Лицей № 7» — лидер, партнёров: {load}" in page
        assert re.search(rf'<option selected value="{lyceum}">|<option value="{lyceum}" '
                         rf'selected>', page)
        assert re.search(r'<option selected value="mentoring">|<option value="mentoring" '
                         r'selected>', page)


@pytest.mark.parametrize("change, field, message", [
    ({"partner": "lyceum"}, None, "самой себе"),
    ({"leader": None}, "leader", "Выберите школу-лидера"),
    ({"directions": ()}, "directions", "хотя бы одно направление"),
    ({"year": "1999"}, "period_start", "Выберите учебный год"),
])
def test_form_errors_are_shown_next_to_the_field(centre, directory, change, field, message):
    before = db_fingerprint()
    response = centre.post("/partnerships/new", data=pair_form(directory, **change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if field:
        assert re.search(rf'id="{field}-error"[^>]*>[^<]*{message}', html)
    assert db_fingerprint() == before


def test_a_partner_twice_in_a_year_is_refused_with_the_reason(app, centre, directory):
    propose(app, directory, "lyceum", "s1")
    before = db_fingerprint()
    response = centre.post("/partnerships/new", data=pair_form(directory, leader="gym"))
    assert response.status_code == 422
    assert "уже есть школа-лидер" in response.get_data(as_text=True)
    assert db_fingerprint() == before
    assert centre.post("/partnerships/new", data=pair_form(
        directory, leader="gym", year="2027")).status_code == 303


def test_a_proposed_pair_is_edited_and_deleted_but_an_approved_one_is_not(app, centre, directory):
    pair = propose(app, directory, "lyceum", "s1")
    assert f"/partnerships/{pair.id}/edit-pair" in centre.get("/partnerships/?year=2026").text
    response = centre.post(f"/partnerships/{pair.id}/edit-pair", data=pair_form(
        directory, leader="gym", directions=("resources",)))
    assert response.status_code == 303
    with db.connection_context():
        stored = Partnership.get_by_id(pair.id)
        assert stored.leader_id == directory["gym"].id and stored.direction_keys == ["resources"]
    assert "Удалить предложенную пару?" in centre.get(f"/partnerships/{pair.id}/delete-pair").text
    assert centre.post(f"/partnerships/{pair.id}/delete-pair").status_code == 303
    with db.connection_context():
        assert not Partnership.select().exists()
        assert {a.action for a in AuditLog.select()} >= {"partnership_updated",
                                                        "partnership_deleted"}
    approved = propose(app, directory, "lyceum", "s5", status="approved")
    before = db_fingerprint()
    assert centre.post(f"/partnerships/{approved.id}/edit-pair",
                       data=pair_form(directory, partner="s5")).status_code == 409
    assert centre.post(f"/partnerships/{approved.id}/delete-pair").status_code == 409
    assert db_fingerprint() == before


def test_the_department_and_schools_cannot_propose(login_as, directory):
    for role in ("department", "school"):
        client = login_as(role)
        before = db_fingerprint()
        assert client.get("/partnerships/new").status_code == 403
        assert client.post("/partnerships/new", data=pair_form(directory)).status_code == 403
        assert client.post("/partnerships/suggest?year=2026",
                           data={"pick": directory["s1"].id}).status_code == 403
        assert db_fingerprint() == before
    assert "Предложить пару" not in login_as("department").get("/partnerships/").text


# --- the list -----------------------------------------------------------------------------------

def test_the_list_shows_the_current_year_by_default_with_confirmations(app, centre, directory):
    this = pairs.current_year()
    now_pair = propose(app, directory, "lyceum", "s1", year=this)
    propose(app, directory, "gym", "s5", year=this - 1)
    with db.connection_context():
        PartnershipConfirmation.create(partnership=now_pair.id, side="leader", version=1,
                                       confirmed_at=date(2026, 9, 1))
    page = centre.get("/partnerships/").text
    assert f'id="pair-{now_pair.id}"' in page and "МБОУ «СОШ № 5»" not in page
    row = page[page.index(f'id="pair-{now_pair.id}"'):]
    row = row[:row.index("</tr>")]
    assert "лидер ✓" in row and "партнёр —" in row
    everything = centre.get("/partnerships/?year=all").text
    assert "МБОУ «СОШ № 5»" in everything and "Учебный год" in everything


def test_the_filters_narrow_the_list(app, centre, directory):
    propose(app, directory, "lyceum", "s1")
    propose(app, directory, "gym", "s5", status="approved")
    assert "СОШ № 5" not in centre.get("/partnerships/?year=2026&status=proposed").text
    assert "СОШ № 1" not in centre.get("/partnerships/?year=2026&municipality=Южный район").text
    found = centre.get("/partnerships/?year=2026&q=гимназия").text
    assert "СОШ № 5" in found and "СОШ № 1" not in found
    for hostile in ("abc", "-1", str(10**30), "%00", "2026-2030"):
        assert centre.get(f"/partnerships/?year={hostile}&status={hostile}&page={hostile}"
                          f"&municipality={hostile}&q={hostile}").status_code == 200


def test_an_empty_year_tells_the_centre_what_to_do(centre):
    page = centre.get("/partnerships/?year=2026").text
    assert "Предложите пары" in page and "/partnerships/suggest?year=2026" in page


def test_a_school_sees_only_its_pairs_in_list_search_and_filters(app, login_as, directory):
    mine = propose(app, directory, "lyceum", "s1")
    other = propose(app, directory, "gym", "s5")
    school = login_as("school", organization=directory["s1"].id)
    for query in ("", "?year=2026", "?year=all", "?year=2026&q=сош", "?year=2026&q=гимназия",
                  "?year=2026&status=proposed", "?year=2026&municipality=Южный район"):
        page = school.get(f"/partnerships/{query}").text
        assert f'id="pair-{other.id}"' not in page and "Гимназия № 2" not in page, query
    page = school.get("/partnerships/?year=2026").text
    assert f'id="pair-{mine.id}"' in page
    assert "ждёт приказа управления образования" in page  # what happens next
    assert "Предложить пару" not in page and "партнёров:" not in page
    assert school.get(f"/partnerships/{other.id}").status_code == 404


def test_a_school_that_confirmed_is_told_it_waits_for_the_other_side(app, login_as, directory):
    pair = propose(app, directory, "lyceum", "s1", status="approved")
    leader = login_as("school", organization=directory["lyceum"].id)
    partner = login_as("school", organization=directory["s1"].id)
    with app.app_context(), db.connection_context():
        PartnershipConfirmation.create(partnership=pair.id, side="leader", version=pair.version,
                                       confirmed_at=now(), confirmed_by=leader.user.id)
    waiting = "ждём подтверждения второй школы"
    assert waiting in leader.get("/partnerships/?year=2026").text
    page = partner.get("/partnerships/?year=2026").text
    assert waiting not in page and "подтвердите их со своей стороны" in page


def test_the_list_page_reads_the_database_a_fixed_number_of_times(app, centre, directory,
                                                                  make_org):
    with app.app_context(), db.connection_context():
        leader = directory["lyceum"]
        for n in range(30):
            partner = Organization.create(kind="school", full_name=f"Школа {n}",
                                          short_name=f"Школа {n}", municipality="Северный район")
            services.propose(2026, leader, partner, ["consulting"], None)
    counted = []
    original = db.obj.execute_sql

    def counting(sql, *args, **kwargs):
        counted.append(sql)
        return original(sql, *args, **kwargs)

    db.obj.execute_sql = counting
    try:
        assert centre.get("/partnerships/?year=2026").status_code == 200
    finally:
        db.obj.execute_sql = original
    pair_queries = [q for q in counted if "partnership" in q.lower()]
    assert len(pair_queries) <= 5, pair_queries


# --- suggestions ------------------------------------------------------------------------------

def test_suggest_offers_only_unpartnered_low_result_schools_least_loaded_leader_first(
        app, centre, directory):
    propose(app, directory, "lyceum", "s9")  # s9 already has a leader; the lyceum has one partner
    with app.app_context(), db.connection_context():
        offered = {school.short_name: leader.short_name
                   for school, leader, _ in pairs.suggestions(2026)}
    assert set(offered) == {"МБОУ «СОШ № 1»", "МБОУ «СОШ № 5»"}
    # СОШ № 1 (north): the lyceum has 1 partner, the gymnasium 0 → the gymnasium, though
    # in the south. СОШ № 5 (south): now 1 and 1 → its own municipality's, the gymnasium.
    assert offered["МБОУ «СОШ № 1»"] == "МБОУ «Гимназия № 2»"
    assert offered["МБОУ «СОШ № 5»"] == "МБОУ «Гимназия № 2»"
    page = centre.get("/partnerships/suggest?year=2026").text
    assert "СОШ № 9" not in page and "ООШ № 4" not in page
    response = centre.post("/partnerships/suggest?year=2026",
                           data={"pick": [directory["s1"].id, directory["s5"].id]})
    assert response.status_code == 303
    with db.connection_context():
        made = {(p.leader_id, p.partner_id) for p in Partnership.select().where(
            Partnership.partner != directory["s9"].id)}
    assert made == {(directory["gym"].id, directory["s1"].id),
                    (directory["gym"].id, directory["s5"].id)}


def test_creating_pairs_is_all_or_nothing_and_names_the_refused_school(app, directory):
    with app.app_context(), db.connection_context():
        before = Partnership.select().count()
        items = [(directory["lyceum"].id, directory["s1"].id, ["consulting"], None),
                 (directory["s5"].id, directory["s5"].id, ["consulting"], None)]
        with pytest.raises(services.PartnershipError, match="СОШ № 5.*самой себе"):
            pairs.create_pairs(2026, items, None)
        assert Partnership.select().count() == before


# --- import -----------------------------------------------------------------------------------

def workbook(rows, header=("Школа-лидер", "Школа-партнёр", "Направления", "Координатор")):
    book = Workbook()
    sheet = book.active
    sheet.append(["Список пар на 2026/2027 учебный год"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data, year="2026", name="пары.xlsx"):
    return client.post("/partnerships/import", data={
        "period_start": year, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def test_import_preview_then_confirm_creates_every_pair(centre, directory):
    data = workbook([
        ("Лицей № 7", "мбоу «сош № 1»", "консультирование, наставничество", "МКУ «ЦРО»"),
        ("2401000002", "СОШ № 5", "Обмен ресурсами", ""),
    ], header=("Лидер", "Школа-партнер", "Направления взаимодействия", "Координатор"))
    before = db_fingerprint()
    response = upload(centre, data)
    assert response.status_code == 200
    html = response.text
    assert "Ошибок нет" in html and "МБОУ «Гимназия № 2»" in html
    assert db_fingerprint() == before  # nothing saved by the preview
    token = re.search(r"/partnerships/import/([\w-]+)", html).group(1)
    assert centre.post(f"/partnerships/import/{token}").status_code == 303
    with db.connection_context():
        made = {(p.leader_id, p.partner_id): p for p in Partnership.select()}
    assert set(made) == {(directory["lyceum"].id, directory["s1"].id),
                         (directory["gym"].id, directory["s5"].id)}
    first = made[(directory["lyceum"].id, directory["s1"].id)]
    assert first.direction_keys == ["consulting", "mentoring"]
    assert first.coordinator_id == directory["centre"].id and first.period_start == 2026


def test_import_reports_every_bad_row_and_saves_nothing(app, centre, directory):
    propose(app, directory, "gym", "s9")
    data = workbook([
        ("Лицей № 7", "СОШ № 1", "консультирование", ""),          # fine
        ("Школа № 999", "СОШ № 5", "консультирование", ""),        # unknown leader
        ("Лицей № 7", "Лицей № 7", "консультирование", ""),        # self
        ("Лицей № 7", "СОШ № 9", "консультирование", ""),          # partner taken this year
        ("Гимназия № 2", "СОШ № 1", "консультирование", ""),       # partner twice in the file
        ("Лицей № 7", "СОШ № 5", "танцы", ""),                     # unknown direction
    ])
    before = db_fingerprint()
    response = upload(centre, data)
    assert response.status_code == 422
    html = response.text
    for text in ("«Школа № 999» нет в справочнике", "самой себе", "уже есть школа-лидер",
                 "уже указана партнёром в строке 3", "Неизвестное направление «танцы»",
                 "Строк с ошибками: 5 из 6"):
        assert text in html, text
    assert "/partnerships/import/" not in html.replace("/partnerships/import/template", "")
    assert db_fingerprint() == before


def test_import_checks_the_upload_before_parsing(centre, directory):
    for data, message in ((b"", "Выберите файл"), (b"not a zip at all", "не является книгой"),
                          (workbook([], header=("Школа", "Что-то")), "Не найдена строка")):
        response = upload(centre, data)
        assert response.status_code == 422 and message in response.text, message


def test_the_import_template_has_the_headers(centre):
    response = centre.get("/partnerships/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book.active[1]] == ["Школа-лидер", "Школа-партнёр", "Направления",
                                                  "Координатор"]


# --- the approving order ----------------------------------------------------------------------

def test_registering_the_order_approves_the_pairs_with_the_order_in_the_register(
        app, login_as, directory):
    first = propose(app, directory, "lyceum", "s1")
    second = propose(app, directory, "gym", "s5")
    later = propose(app, directory, "gym", "s9", year=2027)
    department = login_as("department", organization=directory["department"].id)
    page = department.get("/partnerships/approve?year=2026")
    assert page.status_code == 200
    html = page.text
    assert "Об организации партнёрского взаимодействия" in html
    assert f'value="{later.id}"' not in html and f'value="{first.id}" id="p-{first.id}" checked' in html
    form = {"pairs": [first.id, second.id], "order_date": "2026-09-10",
            "heading": "Об организации партнёрского взаимодействия в 2026/2027 учебном году",
            "preamble": "", "signer_position": "Начальник управления",
            "signer_name": "Волков Михаил Евгеньевич", "executor_note": ""}
    preview = department.post("/partnerships/approve?year=2026", data=dict(form, preview="1"))
    assert preview.status_code == 200 and preview.data[:2] == b"PK"
    with db.connection_context():
        assert not GeneratedDocument.select().exists()
    response = department.post("/partnerships/approve?year=2026", data=form)
    assert response.status_code == 303
    with db.connection_context():
        document = GeneratedDocument.get(GeneratedDocument.doctype == "order_partnerships")
        assert document.number and document.organization_id == directory["department"].id
        assert {p.status for p in Partnership.select().where(
            Partnership.id.in_([first.id, second.id]))} == {"approved"}
        assert Partnership.get_by_id(first.id).approval_id == document.id
        assert Partnership.get_by_id(later.id).status == "proposed"
        context = document.context
        annex = (json.loads(context) if isinstance(context, str) else context)["annexes"][0]
    names = " ".join(" ".join(row) for row in annex["rows"])
    assert len(annex["rows"]) == 2
    assert all(directory[k].short_name in names for k in ("lyceum", "s1", "gym", "s5"))
    shown = department.get(response.location).text
    assert "МБОУ «Лицей № 7» → МБОУ «СОШ № 1»" in shown
    # The centre publishes it.
    centre = login_as("centre", organization=directory["centre"].id)
    assert centre.post(f"/partnerships/approvals/{document.id}/publish").status_code == 303
    with db.connection_context():
        assert GeneratedDocument.get_by_id(document.id).status == "published"


def test_the_centre_prepares_the_order_but_cannot_register_it(app, centre, directory):
    pair = propose(app, directory, "lyceum", "s1")
    html = centre.get("/partnerships/approve?year=2026").text
    assert "Скачать проект приказа" in html and "Зарегистрировать" not in html
    assert "Волков Михаил Евгеньевич" in html  # the department head signs
    before = db_fingerprint()
    response = centre.post("/partnerships/approve?year=2026", data={
        "pairs": [pair.id], "order_date": "2026-09-10", "heading": "О парах",
        "signer_position": "Начальник", "signer_name": "Волков М.Е."})
    assert response.status_code == 403
    assert db_fingerprint() == before


# --- the command line ---------------------------------------------------------------------------

def test_list_partnerships_prints_one_pair_a_line(app, directory):
    pair = propose(app, directory, "lyceum", "s1", status="approved")
    propose(app, directory, "gym", "s5", year=2027)
    with db.connection_context():
        PartnershipConfirmation.create(partnership=pair.id, side="leader", version=1,
                                       confirmed_at=date(2026, 9, 1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["list-partnerships", "--period", "2026-2027"])
    assert result.exit_code == 0, result.output
    assert result.output == ("2026/2027  МБОУ «Лицей № 7» → МБОУ «СОШ № 1»  Утверждена  "
                             "лидер ✓ партнёр —\n")
    everything = runner.invoke(args=["list-partnerships"])
    assert everything.output.count("\n") == 2 and "2027/2028" in everything.output
    for bad in ("2026-2028", "abc", "26", "2026/2027/2028"):
        result = runner.invoke(args=["list-partnerships", "--period", bad])
        assert result.exit_code != 0 and "учебный год" in result.output, bad


def test_import_confirm_checks_again_and_saves_nothing_when_a_row_went_bad(app, centre,
                                                                          directory):
    data = workbook([("Лицей № 7", "СОШ № 1", "консультирование", ""),
                     ("Лицей № 7", "СОШ № 5", "консультирование", "")])
    html = upload(centre, data).text
    token = re.search(r"/partnerships/import/([\w-]+)", html).group(1)
    taken = propose(app, directory, "gym", "s5")  # meanwhile СОШ № 5 got a leader
    before = db_fingerprint()
    response = centre.post(f"/partnerships/import/{token}")
    assert response.status_code == 422 and "уже есть школа-лидер" in response.text
    assert db_fingerprint() == before
    with db.connection_context():
        assert [p.id for p in Partnership.select()] == [taken.id]
