"""The indicator catalogue and its consistency rules on the reference page."""
from models import AuditLog, Indicator, IndicatorRule, db


def create_rule(app, expression="failed <= participants", message="Проверьте числа."):
    with app.app_context(), db.connection_context():
        return IndicatorRule.create(expression=expression, message=message,
                                    codes=" failed participants ")


def _indicator(code):
    with db.connection_context():
        return Indicator.get(Indicator.code == code)


def test_the_migration_types_and_seeds_the_catalogue(app):
    with db.connection_context():
        assert Indicator.get(Indicator.code == "VPR-LOW").value_type == "percent"
        assert Indicator.get(Indicator.code == "VACANCIES").value_type == "int"  # «ед.»
        seeded = {i.code: i for i in Indicator.select()}
        for code, kind in (("participants", "int"), ("failed", "int"), ("share_2", "percent"),
                           ("QUALITY", "percent"), ("has_iom", "bool"), ("VACANCIES", "int"),
                           ("trained_teachers", "int"), ("parent_satisfaction", "choice"),
                           ("measures", "text"), ("absences_per_student", "decimal")):
            assert seeded[code].value_type == kind, code
        # 0007's indicators whose codes are names already are not seeded twice
        assert "quality" not in seeded and "vacancies" not in seeded
        assert seeded["parent_satisfaction"].options == ["высокая", "средняя", "низкая"]
        assert seeded["share_2"].bounds == (0, 100) and not seeded["share_2"].higher_is_better
        rules = {r.expression: r for r in IndicatorRule.select()}
        assert rules["failed <= participants"].code_list == ["failed", "participants"]
        assert "share_2 == failed / participants * 100 ± 0,5" in rules
        assert rules["VACANCIES <= teachers"].code_list == ["VACANCIES", "teachers"]


def test_reference_page_shows_types_ranges_directions_and_rules(login_as):
    page = login_as("centre").get("/programmes/reference").get_data(as_text=True)
    for text in ("доля в %", "целое", "да/нет", "высокая / средняя / низкая", "0 – 100",
                 "0 – 1000", "↓ меньше", "↑ больше", "failed &lt;= participants",
                 "Получивших «2» не может быть больше, чем участников.", "Добавить правило"):
        assert text in page, text


def test_department_reads_the_reference_page_and_edits_nothing(login_as, app):
    department = login_as("department")
    page = department.get("/programmes/reference").get_data(as_text=True)
    assert "failed &lt;= participants" in page and "Добавить правило" not in page
    rule = create_rule(app)
    assert department.get("/programmes/reference/rules/new").status_code == 403
    assert department.post(f"/programmes/reference/rules/{rule.id}/delete").status_code == 403
    assert department.post("/programmes/reference/indicators/new", data={
        "code": "x", "name": "x", "value_type": "int", "direction": "up"}).status_code == 403
    assert login_as("school").get("/programmes/reference").status_code == 403


def test_centre_adds_a_typed_indicator(login_as):
    centre = login_as("centre")
    response = centre.post("/programmes/reference/indicators/new", data={
        "code": "olympiad_winners", "name": "Число победителей олимпиад", "unit": "чел.",
        "value_type": "int", "min_value": "0", "max_value": "500", "direction": "up"})
    assert response.status_code == 303
    saved = _indicator("olympiad_winners")
    assert (saved.value_type, saved.min_value, saved.max_value, saved.is_active) == (
        "int", 0, 500, False)
    form = centre.get(f"/programmes/reference/indicators/{saved.id}").get_data(as_text=True)
    assert 'value="500"' in form and 'value="0"' in form
    response = centre.post(f"/programmes/reference/indicators/{saved.id}", data={
        "code": "olympiad_winners", "name": "Доля победителей", "unit": "%",
        "value_type": "decimal", "min_value": "0,5", "max_value": "12,25", "direction": "down"})
    assert response.status_code == 303
    saved = _indicator("olympiad_winners")
    assert (saved.value_type, saved.min_value, saved.max_value, saved.direction) == (
        "decimal", 0.5, 12.25, "down")
    edit = centre.get(f"/programmes/reference/indicators/{saved.id}").get_data(as_text=True)
    assert 'value="0,5"' in edit and 'value="12,25"' in edit
    with db.connection_context():
        assert [e.action for e in AuditLog.select().where(AuditLog.action.startswith(
            "indicator_")).order_by(AuditLog.id)] == ["indicator_created", "indicator_updated"]


def test_indicator_form_refuses_in_russian(login_as):
    centre = login_as("centre")
    base = {"code": "bad", "name": "Плохой", "unit": "", "direction": "up"}
    for extra, message in (
            ({"value_type": "decimal", "min_value": "10", "max_value": "5"},
             "Наибольшее значение меньше наименьшего."),
            ({"value_type": "percent", "max_value": "120"}, "Доля в % — от 0 до 100."),
            ({"value_type": "int", "min_value": "0,5"}, "Для целого показателя — целое число."),
            ({"value_type": "decimal", "min_value": "abc"}, "Введите число, например 12,5."),
            ({"value_type": "choice", "choices": "одна"}, "хотя бы два варианта"),
            ({"value_type": "choice", "choices": "да\nДа"}, "Варианты повторяются."),
            ({"value_type": "formula"}, "Not a valid choice"),
            ({"value_type": "int", "code": "a b"}, "Код: до 30 букв")):
        response = centre.post("/programmes/reference/indicators/new", data=dict(base, **extra))
        page = response.get_data(as_text=True)
        assert response.status_code == 422, extra
        assert message in page or (message == "Not a valid choice" and "invalid-feedback" in page)
    with db.connection_context():
        assert not Indicator.select().where(Indicator.code.in_(["bad", "a b"])).exists()


def test_a_code_or_type_the_rules_use_stays(login_as):
    centre = login_as("centre")
    failed = _indicator("failed")
    data = {"code": "fails", "name": failed.name, "unit": "чел.", "value_type": "int",
            "direction": "down"}
    response = centre.post(f"/programmes/reference/indicators/{failed.id}", data=data)
    assert response.status_code == 422
    assert "Код используется в правилах: failed &lt;= participants" in response.get_data(
        as_text=True)
    response = centre.post(f"/programmes/reference/indicators/{failed.id}",
                           data=dict(data, code="failed", value_type="text"))
    assert response.status_code == 422 and "тип должен быть числовым" in response.get_data(
        as_text=True)
    assert _indicator("failed").value_type == "int"


def test_rules_crud(login_as):
    centre = login_as("centre")
    assert centre.get("/programmes/reference/rules/new").status_code == 200
    response = centre.post("/programmes/reference/rules/new", data={
        "expression": "students_with_iom <= teachers", "message": "Больше, чем педагогов?",
        "is_active": "y"})
    assert response.status_code == 303
    with db.connection_context():
        rule = IndicatorRule.get(IndicatorRule.expression == "students_with_iom <= teachers")
        assert rule.code_list == ["students_with_iom", "teachers"] and rule.is_active
        assert IndicatorRule.using("teachers").where(IndicatorRule.id == rule.id).exists()
    edit = centre.get(f"/programmes/reference/rules/{rule.id}").get_data(as_text=True)
    assert "students_with_iom &lt;= teachers" in edit
    response = centre.post(f"/programmes/reference/rules/{rule.id}", data={
        "expression": "students_with_iom * 2 <= teachers", "message": "Слишком много вакансий."})
    assert response.status_code == 303
    with db.connection_context():
        rule = IndicatorRule.get_by_id(rule.id)
        assert (rule.expression, rule.is_active) == ("students_with_iom * 2 <= teachers", False)
    confirm = centre.get(f"/programmes/reference/rules/{rule.id}/delete")
    assert confirm.status_code == 200 and "Удалить правило проверки?" in confirm.get_data(
        as_text=True)
    with db.connection_context():
        assert IndicatorRule.select().where(IndicatorRule.id == rule.id).exists()  # GET: asks
    assert centre.post(f"/programmes/reference/rules/{rule.id}/delete").status_code == 303
    with db.connection_context():
        assert not IndicatorRule.select().where(IndicatorRule.id == rule.id).exists()
        assert [e.action for e in AuditLog.select().where(AuditLog.action.startswith(
            "indicator_rule")).order_by(AuditLog.id)] == [
            "indicator_rule_created", "indicator_rule_updated", "indicator_rule_deleted"]
    assert centre.get(f"/programmes/reference/rules/{rule.id}").status_code == 404
    assert centre.post(f"/programmes/reference/rules/{rule.id}/delete").status_code == 404


def test_a_bad_rule_is_422_with_the_reason_next_to_the_field(login_as):
    centre = login_as("centre")
    with db.connection_context():
        before = IndicatorRule.select().count()
    for expression, reason in (
            ("__import__('os').system('id') == 0", "вызовы функций не допускаются"),
            ("failed <= nobody", "Нет такого показателя: «nobody»"),
            ("measures > 1", "не подходят: «measures»"),
            ("failed ** 2 > 1", "операция «**» не допускается"),
            ("failed + 1", "Правило должно быть сравнением"),
            ("failed <= (participants", "Правило не разобрано"),
            ("failed > 1 " * 60, "Не длиннее 500 символов.")):
        response = centre.post("/programmes/reference/rules/new", data={
            "expression": expression, "message": "Сообщение"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422, expression
        assert 'id="expression-error"' in page and reason in page, (expression, page[-3000:])
    response = centre.post("/programmes/reference/rules/new", data={"expression": "failed > 0"})
    assert response.status_code == 422 and "Заполните это поле." in response.get_data(as_text=True)
    with db.connection_context():
        assert IndicatorRule.select().count() == before


def test_a_choice_indicator_needs_its_options(login_as):
    response = login_as("centre").post("/programmes/reference/indicators/new", data={
        "code": "level", "name": "Уровень", "value_type": "choice", "direction": "up"})
    assert response.status_code == 422 and "хотя бы два варианта" in response.get_data(
        as_text=True)


def test_upgrade_from_0013_types_the_old_rows_and_seeds_only_what_is_absent(tmp_path):
    from models.migrations import available, upgrade

    from .conftest import TEST_DATABASE_URL, build_app, empty_database
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'old.db'}"
    build_app(tmp_path / "new", DATABASE_URL=url)
    with db.connection_context():
        empty_database()
        upgrade(db, target="0013_partnerships")
        # Written by the previous release: a count, a share, and a code the seed also uses.
        for code, name, unit in (("pupils", "Число учеников", "чел."),
                                 ("MY-SHARE", "Моя доля", "%"),
                                 ("failed", "Неуспевающие (своя формулировка)", "чел.")):
            db.execute_sql('INSERT INTO "indicator" (code, name, unit, direction, is_active) '
                           'VALUES (%s, %s, %s, %s, %s)'.replace("%s", db.param),
                           (code, name, unit, "up", True))
        assert "0014_indicator_types" in upgrade(db)
        assert upgrade(db) == [] and "0014_indicator_types" in available()
        rows = {i.code: i for i in Indicator.select()}
        assert rows["pupils"].value_type == "int" and rows["MY-SHARE"].value_type == "percent"
        assert rows["failed"].name == "Неуспевающие (своя формулировка)"  # kept, not re-seeded
        assert Indicator.select().where(Indicator.code == "failed").count() == 1
        assert "participants" in rows and rows["participants"].min_value == 0
