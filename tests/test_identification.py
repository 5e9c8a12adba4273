"""Identification of low-result schools: the methodology (bad input, versions), the run with
its explanations and refusals, changes by hand, the approving order and the statuses it sets,
publication, the recomputation of the published list, the inbox."""
import json
import re
import time
from datetime import date

from models import (AssessmentResult, GeneratedDocument, IdentificationRow, IdentificationRun,
                    LowResultStatus, Methodology, Organization, User, current_school_year, db)

from .conftest import db_fingerprint

YEAR = current_school_year()
FEDERAL = {"kind": "federal", "threshold": 30.0, "min_procedures": 2, "years": 2}
VPR = {"kind": "vpr_share", "subject": "Математика", "grades": [], "years": 2,
       "threshold": 30.0}


def _result(school, procedure, subject, grade, year, participants, failed, mean=None):
    marks = {"mark2": failed, "mark3": participants - failed, "mark4": 0, "mark5": 0}
    if procedure == "ege":
        marks = {"below_min": failed}
    return AssessmentResult.create(school=school, procedure=procedure, subject=subject,
                                   grade=grade, year=year, participants=participants,
                                   mean_score=mean, **marks)


PLAN = [("vpr", "Математика", 5), ("vpr", "Русский язык", 5), ("oge", "Математика", 9)]


def create_schools(shares):
    """Schools with results for YEAR − 1 and YEAR: `shares` {name: (share before, share now)}
    of «2» in every procedure of PLAN (participants 100, so the share is the count)."""
    made = {}
    with db.connection_context():
        for name, (before, now) in shares.items():
            school = Organization.create(kind="school", full_name=name, short_name=name,
                                         municipality="Новоречинский район")
            for procedure, subject, grade in PLAN:
                for year, share in ((YEAR - 1, before), (YEAR, now)):
                    _result(school, procedure, subject, grade, year, 100, share)
            made[name] = school
    return made


STORY = {"МБОУ «А»": (34, 31), "МБОУ «Б»": (30, 40), "МБОУ «В»": (10, 8), "МБОУ «Г»": (27, 28)}


def create_methodology(criteria=(FEDERAL, VPR), min_met=1):
    from blueprints.identification import services
    with db.connection_context():
        return services.save_methodology({"name": "Федеральные критерии", "criteria":
                                          list(criteria), "min_met": min_met, "near": 5}, None)


def create_published_run(app, school_id=None):
    """An approved, published list of YEAR over the STORY schools (and `school_id`, given the
    same results as «А»): the world of the access test."""
    from blueprints.identification import services
    from blueprints.identification.documents import list_order
    schools = create_schools({f"{name} {time.time_ns()}": v for name, v in STORY.items()})
    with app.app_context(), db.connection_context():
        if school_id:
            for procedure, subject, grade in PLAN:
                for year in (YEAR - 1, YEAR):
                    if not AssessmentResult.select().where(
                            (AssessmentResult.school == school_id)
                            & (AssessmentResult.year == year)
                            & (AssessmentResult.procedure == procedure)
                            & (AssessmentResult.subject == subject)).exists():
                        _result(school_id, procedure, subject, grade, year, 100, 35)
        # Schools of other tests in the same database get results so the run is not refused.
        for org in Organization.select().where(Organization.kind == "school"):
            if org.id not in {s.id for s in schools.values()} and org.id != school_id and \
                    not AssessmentResult.select().where(AssessmentResult.school == org.id).exists():
                for procedure, subject, grade in PLAN:
                    for year in (YEAR - 1, YEAR):
                        _result(org.id, procedure, subject, grade, year, 100, 5)
        department = Organization.create(kind="department", full_name="Управление образования",
                                         short_name="УО", municipality="Новоречинский район")
        methodology = Methodology.get_by_id(create_methodology().id)
        run = services.run_methodology(methodology, YEAR, None)
        order = list_order(department.full_name, date(YEAR, 9, 12), YEAR, "Начальник",
                           "Волков Михаил Евгеньевич")
        services.approve(run, order, None, department.id)
        run = IdentificationRun.get_by_id(run.id)
        services.publish(run)
        return run


def _listed(run_id):
    with db.connection_context():
        return sorted(r.school_name for r in IdentificationRow.select().where(
            (IdentificationRow.run == run_id) & IdentificationRow.listed))


# --- the engine -------------------------------------------------------------------------------

def test_engine_explains_each_criterion_with_the_numbers():
    from blueprints.identification import engine
    results = [(1, "vpr", "Математика", 5, 2025, 120, 41, None),
               (1, "vpr", "Математика", 5, 2026, 100, 31, None),
               (1, "oge", "Русский язык", 9, 2025, 50, 16, None),
               (1, "oge", "Русский язык", 9, 2026, 50, 17, None),
               (2, "vpr", "Математика", 5, 2025, 100, 5, None),
               (2, "vpr", "Математика", 5, 2026, 100, 28, None),
               (2, "oge", "Русский язык", 9, 2025, 100, 5, None),
               (2, "oge", "Русский язык", 9, 2026, 100, 4, None)]
    out = engine.evaluate({"criteria": [FEDERAL, VPR], "min_met": 1, "near": 5}, 2026,
                          results, {}, [(1, "СОШ № 1"), (2, "СОШ № 2")], previous={2})
    first, second = out["rows"]
    assert first["computed"] and first["met"] == 2 and first["change"] == "entered"
    assert "ВПР, математика, 5 класс: 34,2 % «2» (2025), 31,0 % (2026)" in \
        first["criteria"][0]["lines"]
    assert not second["computed"] and second["change"] == "left"
    assert second["near"] is False  # 28 % this year, but 5 % the year before
    assert second["criteria"][1]["lines"] == [
        "ВПР, математика, 5 класс: 5,0 % «2» (2025), 28,0 % (2026)"]


def test_engine_mean_and_context_criteria():
    from blueprints.identification import engine
    results = [(s, "ege", "Русский язык", 11, 2026, 20, 1, mean)
               for s, mean in ((1, 48.0), (2, 70.0), (3, 68.0))]
    contexts = {1: {"is_rural": True, "students": 120, "low_income": 40, "single_parent": 30,
                    "preventive": 6, "special_needs": 5, "non_native": 0},
                2: {"is_rural": True, "students": 150, "low_income": 8, "single_parent": 12,
                    "preventive": 1, "special_needs": 2, "non_native": 0},
                3: {"is_rural": False, "students": 900, "low_income": 30, "single_parent": 30,
                    "preventive": 5, "special_needs": 5, "non_native": 5}}
    method = {"criteria": [
        {"kind": "mean_below", "procedure": "ege", "subject": "Русский язык", "gap": 10},
        {"kind": "context", "above": 5, "size_limit": 300,
         "weights": {"low_income": 1, "single_parent": 1, "preventive": 1,
                     "special_needs": 1, "non_native": 1}}], "min_met": 2, "near": 0}
    rows = engine.evaluate(method, 2026, results, contexts, [(1, "А"), (2, "Б"), (3, "В")])["rows"]
    assert [r["computed"] for r in rows] == [True, False, False]
    assert rows[0]["criteria"][0]["lines"][0].startswith(
        "ЕГЭ, русский язык: средний балл 48,0 при среднем по муниципалитету 62,0 (−14,0)")
    assert "в группе «сельские, до 300 обучающихся»" in rows[0]["criteria"][1]["lines"][0]
    # The urban school is alone in its cluster: compared with itself, it is not above.
    assert rows[2]["criteria"][1]["met"] is False


def test_engine_runs_500_schools_3_years_12_procedures_under_a_second():
    from tests.bench.identification_bench import method, synthetic
    from blueprints.identification import engine
    results, contexts, schools = synthetic(500, 3, 12)
    start = time.perf_counter()
    out = engine.evaluate(method(), 2026, results, contexts, schools)
    elapsed = time.perf_counter() - start
    assert len(out["rows"]) == 500 and not out["missing"]
    assert elapsed < 1.0


# --- methodology ------------------------------------------------------------------------------

def _methodology_form(**changes):
    data = {"name": "Методика 2026", "min_met": "1", "near": "5",
            "federal-use": "y", "federal-threshold": "30", "federal-min_procedures": "2",
            "federal-years": "2", "vpr1-subject": "Математика", "vpr2-subject": "Русский язык",
            "mean1-procedure": "ege", "mean1-subject": "Русский язык", "mean2-procedure": "oge",
            "mean2-subject": "Математика"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_methodology_without_criteria_or_out_of_range_is_refused(app, login_as):
    client = login_as("centre")
    before = db_fingerprint()
    response = client.post("/identification/methodologies/new",
                           data=_methodology_form(**{"federal-use": None}))
    assert response.status_code == 422
    assert "Отметьте хотя бы один критерий." in response.get_data(as_text=True)
    response = client.post("/identification/methodologies/new",
                           data=_methodology_form(**{"federal-threshold": "150"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Допустимо от 1 до 100." in page
    assert 'id="federal-threshold-error"' in page
    response = client.post("/identification/methodologies/new", data=_methodology_form(
        **{"context-use": "y", "context-above": "abc", "min_met": "9"}))
    assert response.status_code == 422
    assert "От 1 до 2 — числа отмеченных критериев." in response.get_data(as_text=True)
    response = client.post("/identification/methodologies/new",
                           data=_methodology_form(**{"federal-threshold": "NaN", "near": "Inf"}))
    assert response.status_code == 422 and "Введите число." in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_used_methodology_is_frozen_and_a_change_makes_a_new_version(app, login_as):
    create_schools(STORY)
    client = login_as("centre")
    response = client.post("/identification/methodologies/new", data=_methodology_form())
    assert response.status_code == 303
    with db.connection_context():
        first = Methodology.select().order_by(Methodology.id.desc()).first()
    # Not used yet: edited in place.
    client.post(f"/identification/methodologies/{first.id}/edit",
                data=_methodology_form(name="Методика 2026 (уточнённая)"))
    with db.connection_context():
        assert Methodology.get_by_id(first.id).name == "Методика 2026 (уточнённая)"
    response = client.post("/identification/run", data={"year": str(YEAR),
                                                         "methodology": str(first.id)})
    assert response.status_code == 303
    response = client.post(f"/identification/methodologies/{first.id}/edit",
                           data=_methodology_form(**{"federal-threshold": "25"}))
    assert response.status_code == 303
    with db.connection_context():
        old, new = Methodology.get_by_id(first.id), Methodology.select().order_by(
            Methodology.id.desc()).first()
        assert old.criteria[0]["threshold"] == 30 and old.is_frozen and not old.is_current
        assert new.version == 2 and new.family == old.family and new.criteria[0]["threshold"] == 25
    page = client.get(f"/identification/methodologies/{new.id}").get_data(as_text=True)
    assert "версия 2" in page and "не менее 25 %" in page


# --- the run ----------------------------------------------------------------------------------

def test_run_lists_with_explanations_and_entered_left(app, login_as):
    schools = create_schools(STORY)
    with db.connection_context():
        LowResultStatus.create(school=schools["МБОУ «В»"], year=YEAR - 1, is_low_result=True,
                               source="order")
    methodology = create_methodology()
    client = login_as("centre")
    response = client.post("/identification/run", data={"year": str(YEAR),
                                                         "methodology": str(methodology.id)})
    assert response.status_code == 303
    run_url = response.headers["Location"]
    page = client.get(run_url).get_data(as_text=True)
    assert "МБОУ «А»" in page and "МБОУ «Б»" in page and "МБОУ «В»" not in page
    assert "ВПР, математика, 5 класс: 34,0 % «2» (2025), 31,0 % (2026)".replace(
        "2025", str(YEAR - 1)).replace("2026", str(YEAR)) in page
    left = client.get(run_url + "?show=left").get_data(as_text=True)
    assert "МБОУ «В»" in left and "вышла из перечня" in left
    near = client.get(run_url + "?show=near").get_data(as_text=True)
    assert "МБОУ «Г»" in near and "МБОУ «А»" not in near
    with db.connection_context():
        assert Methodology.get_by_id(methodology.id).is_frozen


def test_run_without_results_names_schools_and_procedures(app, login_as):
    schools = create_schools({"МБОУ «А»": (34, 31)})
    with db.connection_context():
        Organization.create(kind="school", full_name="Новая", short_name="МБОУ «Новая»",
                            municipality="Новоречинский район")
        AssessmentResult.delete().where((AssessmentResult.school == schools["МБОУ «А»"])
                                        & (AssessmentResult.procedure == "oge")
                                        & (AssessmentResult.year == YEAR)).execute()
    methodology = create_methodology()
    client = login_as("centre")
    before = db_fingerprint()
    response = client.post("/identification/run", data={"year": str(YEAR),
                                                         "methodology": str(methodology.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"МБОУ «А» — ОГЭ {YEAR}" in page.replace("&#34;", '"')
    assert f"МБОУ «Новая» — ВПР {YEAR - 1}, ВПР {YEAR}" in page
    assert db_fingerprint() == before
    response = client.post("/identification/run", data={"year": str(YEAR + 1),
                                                        "methodology": str(methodology.id)})
    assert response.status_code == 422
    assert f"Нет результатов оценочных процедур за {YEAR + 1} год ни по одной школе" in \
        response.get_data(as_text=True)


def test_manual_change_needs_a_reason_and_is_shown_as_such(app, login_as):
    create_schools(STORY)
    methodology = create_methodology()
    client = login_as("centre")
    client.post("/identification/run", data={"year": str(YEAR), "methodology": str(methodology.id)})
    with db.connection_context():
        run = IdentificationRun.select().order_by(IdentificationRun.id.desc()).first()
        row = IdentificationRow.get((IdentificationRow.run == run.id)
                                    & (IdentificationRow.school_name == "МБОУ «Г»"))
    url = f"/identification/lists/{run.id}/rows/{row.id}"
    # The page is rendered (and kept) before the change; the change shows at once after it.
    assert "Смена руководителя" not in client.get(
        f"/identification/lists/{run.id}").get_data(as_text=True)
    before = db_fingerprint()
    response = client.post(url, data={"include": "1", "reason": "  "})
    assert response.status_code == 422 and "Заполните это поле." in response.get_data(as_text=True)
    assert db_fingerprint() == before
    response = client.post(url, data={"include": "1", "reason": "Смена руководителя"})
    assert response.status_code == 303
    page = client.get(f"/identification/lists/{run.id}").get_data(as_text=True)
    assert "МБОУ «Г»" in page and "Включена вручную</strong>: Смена руководителя" in page
    with db.connection_context():
        assert IdentificationRun.get_by_id(run.id).listed_count == 3
    # The department cannot change the list.
    department = login_as("department")
    assert department.post(url, data={"include": "0", "reason": "x"}).status_code == 403


# --- the order, statuses, publication ---------------------------------------------------------

def test_department_registers_the_order_and_statuses_follow(app, login_as, make_org):
    schools = create_schools(STORY)
    methodology = create_methodology()
    centre = login_as("centre")
    centre.post("/identification/run", data={"year": str(YEAR), "methodology": str(methodology.id)})
    with db.connection_context():
        run = IdentificationRun.select().order_by(IdentificationRun.id.desc()).first()
        Organization.update(is_low_result=True).where(
            Organization.id == schools["МБОУ «В»"].id).execute()
    form = {"order_date": f"{YEAR}-09-12", "heading": "Об утверждении перечня",
            "signer_position": "Начальник", "signer_name": "Волков Михаил Евгеньевич"}
    # The centre downloads the draft but cannot register it.
    assert centre.post(f"/identification/lists/{run.id}/order", data=dict(
        form, preview="1")).headers["Content-Type"].startswith("application/vnd.openxml")
    assert centre.post(f"/identification/lists/{run.id}/order", data=form).status_code == 403
    department = login_as("department", organization=make_org(kind="department"))
    response = department.post(f"/identification/lists/{run.id}/order", data=form)
    assert response.status_code == 303
    with db.connection_context():
        run = IdentificationRun.get_by_id(run.id)
        assert run.status == "approved" and run.document_id
        listed = LowResultStatus.listed_ids(YEAR)
        assert listed == {schools["МБОУ «А»"].id, schools["МБОУ «Б»"].id}
        assert Organization.get_by_id(schools["МБОУ «А»"].id).is_low_result
        assert not Organization.get_by_id(schools["МБОУ «В»"].id).is_low_result
        status = LowResultStatus.get((LowResultStatus.school == schools["МБОУ «А»"])
                                     & (LowResultStatus.year == YEAR))
        assert status.source == "order" and status.document_id == run.document_id
        document = GeneratedDocument.get_by_id(run.document_id)
        assert document.doctype == "order_low_result_list" and document.status == "registered"
    page = centre.get(f"/orgs/{schools['МБОУ «А»'].id}").get_data(as_text=True)
    assert f"{YEAR}/{YEAR + 1}" in page and "приказ об утверждении перечня" in page
    # Registered once: a second order is refused.
    assert department.post(f"/identification/lists/{run.id}/order", data=form).status_code == 409


def test_published_list_recomputes_to_the_same_schools(app, login_as):
    """From the public methodology and the stored results, the published list comes out again."""
    from blueprints.identification import engine, services
    run = create_published_run(app)
    response = app.test_client().get(f"/identification/public/{run.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "не менее 30 % участников" in page
    with app.app_context(), db.connection_context():
        methodology = Methodology.get_by_id(run.methodology_id)
        assert methodology.is_published
        document = GeneratedDocument.get_by_id(run.document_id)
        assert document.status == "published"
        # The methodology as published (its plain data) and the results as stored.
        method = json.loads(json.dumps(methodology.plain()))
        inputs = services.run_inputs(method, run.year)
        again = engine.evaluate(method, run.year, inputs["results"], inputs["contexts"],
                                inputs["schools"])
    recomputed = sorted(r["name"] for r in again["rows"] if r["computed"])
    assert recomputed == _listed(run.id)
    assert any(name.startswith("МБОУ «А»") for name in recomputed)
    for name in recomputed:
        assert name in page


def test_an_approved_list_is_amended_by_a_new_run_and_order(app, login_as, make_org):
    """Late results after the order: the centre computes again, the approved list stays in force
    until the department registers the new order; the first stays on the site with its order."""
    from blueprints.identification import services
    first = create_published_run(app)
    school = next(s for s in _listed(first.id) if s.startswith("МБОУ «Б»"))
    with app.app_context(), db.connection_context():
        b = Organization.get(Organization.short_name == school)
        AssessmentResult.update(mark2=2, mark3=98).where(  # «Б» now below the thresholds
            (AssessmentResult.school == b.id) & (AssessmentResult.year == YEAR)).execute()
    centre = login_as("centre")
    response = centre.post("/identification/run", data={
        "year": str(YEAR), "methodology": str(first.methodology_id)})
    assert response.status_code == 303
    with db.connection_context():
        second = IdentificationRun.select().order_by(IdentificationRun.id.desc()).first()
        assert second.id != first.id and second.status == "draft"
        assert IdentificationRun.get_by_id(first.id).status == "approved"
        assert b.id in LowResultStatus.listed_ids(YEAR)  # in force until the new order
    assert school not in _listed(second.id)
    department = login_as("department", organization=make_org(kind="department"))
    assert department.post(f"/identification/lists/{second.id}/order", data={
        "order_date": f"{YEAR}-12-01", "heading": "О внесении изменений в перечень",
        "signer_position": "Начальник", "signer_name": "Волков Михаил Евгеньевич"}
    ).status_code == 303
    with db.connection_context():
        assert IdentificationRun.get_by_id(first.id).status == "superseded"
        assert IdentificationRun.get_by_id(second.id).status == "approved"
        assert b.id not in LowResultStatus.listed_ids(YEAR)
        assert [r.is_low_result for r in LowResultStatus.history(b)][:2] == [False, True]
        assert services.latest_run(YEAR).id == second.id
    assert app.test_client().get(f"/identification/public/{first.id}").status_code == 200


def test_public_page_of_an_unpublished_list_is_404(app, login_as):
    create_schools(STORY)
    methodology = create_methodology()
    client = login_as("centre")
    client.post("/identification/run", data={"year": str(YEAR), "methodology": str(methodology.id)})
    with db.connection_context():
        run = IdentificationRun.select().order_by(IdentificationRun.id.desc()).first()
    assert app.test_client().get(f"/identification/public/{run.id}").status_code == 404


def test_inbox_asks_centre_to_run_and_department_to_approve(app, login_as, make_org):
    from blueprints.core.inbox import collect
    create_schools(STORY)
    methodology = create_methodology()
    centre = login_as("centre")
    with app.test_request_context(), db.connection_context():
        user = User.get_by_id(centre.user.id)
        assert any("Рассчитайте перечень ШНОР" in i.text for i in collect(user))
    centre.post("/identification/run", data={"year": str(YEAR), "methodology": str(methodology.id)})
    department = login_as("department")
    with app.test_request_context(), db.connection_context():
        assert any("ждёт приказа" in i.text for i in collect(User.get_by_id(centre.user.id)))
        assert any("ждёт приказа об утверждении" in i.text
                   for i in collect(User.get_by_id(department.user.id)))
    assert "ждёт приказа об утверждении" in department.get("/").get_data(as_text=True)


def test_school_context_form_refuses_bad_shares(app, login_as):
    schools = create_schools({"МБОУ «А»": (34, 31)})
    school = schools["МБОУ «А»"].id
    client = login_as("centre")
    before = db_fingerprint()
    response = client.post(f"/identification/context?year={YEAR}", data={
        f"ctx-{school}-students": "250", f"ctx-{school}-low_income": "140"})
    assert response.status_code == 422 and "Доля — от 0 до 100 %." in response.get_data(
        as_text=True)
    assert db_fingerprint() == before
    response = client.post(f"/identification/context?year={YEAR}", data={
        f"ctx-{school}-students": "250", f"ctx-{school}-low_income": "14,5",
        f"ctx-{school}-is_rural": "1"})
    assert response.status_code == 303
    from models import SchoolContext
    with db.connection_context():
        saved = SchoolContext.get((SchoolContext.school == school) & (SchoolContext.year == YEAR))
        assert saved.is_rural and float(saved.low_income) == 14.5 and saved.students == 250


def _xlsx(rows):
    from openpyxl import Workbook
    import io
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_school_context_import_all_or_nothing(app, login_as):
    import io
    from models import SchoolContext
    create_schools({"МБОУ «А»": (34, 31), "МБОУ «Б»": (30, 40)})
    client = login_as("centre")
    header = ["Школа", "Сельская", "Обучающихся", "Малоимущие семьи, %", "Неполные семьи, %",
              "Профилактические учёты, %", "ОВЗ, %", "Русский язык не родной, %"]
    before = db_fingerprint()
    bad = _xlsx([header, ["МБОУ «А»", "да", 120, "12,5", 20, 2, 3, 0],
                 ["МБОУ «Нет такой»", "нет", 500, 10, 10, 1, 1, 1],
                 ["МБОУ «Б»", "нет", 500, 140, 10, 1, 1, 1]])
    response = client.post(f"/identification/context/import?year={YEAR}",
                           data={"file": (io.BytesIO(bad), "context.xlsx")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "ничего не сохранено" in page
    assert "строка 3: школа «МБОУ «Нет такой»» не найдена в справочнике" in page
    assert "строка 4: доля 140 вне 0–100 %" in page
    assert db_fingerprint() == before
    good = _xlsx([header, ["МБОУ «А»", "да", 120, "12,5", 20, 2, 3, 0],
                  ["МБОУ «Б»", "нет", 500, 10, 10, 1, 1, 1]])
    response = client.post(f"/identification/context/import?year={YEAR}",
                           data={"file": (io.BytesIO(good), "context.xlsx")},
                           content_type="multipart/form-data")
    preview = response.get_data(as_text=True)
    assert response.status_code == 200 and "будут записаны данные школ — 2" in preview
    assert "12,5" in preview and db_fingerprint() == before  # shown, not saved yet
    token = re.search(r'/identification/context/import/([A-Za-z0-9_-]{20,40})"', preview).group(1)
    assert login_as("centre").post(f"/identification/context/import/{token}").status_code == 303
    with db.connection_context():  # another user's preview is not theirs to confirm
        assert not SchoolContext.select().exists()
    assert client.post(f"/identification/context/import/{token}").status_code == 303
    with db.connection_context():
        rows = {c.school.short_name: c for c in SchoolContext.select()}
        assert rows["МБОУ «А»"].is_rural and float(rows["МБОУ «А»"].low_income) == 12.5
        assert not rows["МБОУ «Б»"].is_rural and rows["МБОУ «Б»"].students == 500
    assert client.get("/identification/context/template.xlsx").status_code == 200


def test_the_programmes_deadline_is_never_before_the_order():
    from blueprints.identification.documents import list_order
    autumn = list_order("Управление образования", date(YEAR, 9, 12), YEAR)
    winter = list_order("Управление образования", date(YEAR, 12, 1), YEAR)
    assert autumn["clauses"][1]["deadline"] == f"до 01.11.{YEAR}"
    assert winter["clauses"][1]["deadline"] == f"до 31.01.{YEAR + 1}"
