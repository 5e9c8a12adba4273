"""Risk profiles (issue 14, item 4): levels from the self-diagnosis answers by the cut-offs, the
centre's levels and their bad input, a school seeing only its own profile, the programme's
risk factors pre-filled from the profile, both documents rendered from the sample and from
real records, the inbox items."""
import io
import json
import zipfile

import docx
import pytest

from blueprints.documents import api
from blueprints.risks import services
from models import (Organization, Programme, ProgrammeSection, RiskCutoff, RiskFactor, RiskLevel,
                    RiskProfile, RiskQuestion, current_school_year, db, set_status)
from models.risk import level_for

from .conftest import HX, db_fingerprint


def create_profile(app, school_id, year=None):
    """School `school_id` listed for `year` (the current school year) with its profile opened
    and its self-diagnosis not yet sent (reset if an earlier request sent it)."""
    year = year or current_school_year()
    with app.app_context(), db.connection_context():
        set_status(school_id, year, True, "manual", "для теста")
        profile = RiskProfile.get_or_none((RiskProfile.school == school_id)
                                          & (RiskProfile.year == year))
        if profile is None:
            services.open_profiles(year, schools=[Organization.get_by_id(school_id)])
            profile = RiskProfile.get((RiskProfile.school == school_id)
                                      & (RiskProfile.year == year))
        RiskProfile.update(status="diagnosis", answers="{}").where(
            RiskProfile.id == profile.id).execute()
        return RiskProfile.get_by_id(profile.id)


def factor_id(code=1):
    with db.connection_context():
        return RiskFactor.get(RiskFactor.code == code).id


def _questions(year=None):
    with db.connection_context():
        return services.questions(year or current_school_year())


def _answers_by_factor(scores):
    """Posted answers: for factor code → the option index to pick in each of its questions
    (the default questionnaire scores option i as i points)."""
    posted = {}
    with db.connection_context():
        for question in services.questions(current_school_year()):
            code = RiskFactor.get_by_id(question.factor_id).code
            posted[f"q-{question.id}"] = str(scores.get(code, 0))
    return posted


def _levels(profile_id):
    with db.connection_context():
        return {r.factor.code: (r.level, r.computed, r.score, r.max_score)
                for r in RiskLevel.select().where(RiskLevel.profile == profile_id)}


def _text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\u00a0", " ")


@pytest.fixture
def school(make_user):
    return make_user("school")


# --- levels by the cut-offs ----------------------------------------------------------------

def test_level_for_uses_the_share_of_the_maximum_and_the_cutoffs():
    assert level_for(0, 9) == "none"
    assert level_for(2, 9) == "none"  # 22 % < 25 %
    assert level_for(3, 9) == "low"  # 33 %
    assert level_for(5, 9) == "medium"  # 56 %
    assert level_for(7, 9) == "high"  # 78 %
    assert level_for(9, 9) == "high"
    assert level_for(6, 12) == "medium"  # exactly 50 % is medium
    assert level_for(5, 9, (10, 20, 50)) == "high"
    assert level_for(1, 10, (10, 20, 50)) == "low"
    assert level_for(0, 0) == "none"  # no questions, nothing found


def test_default_questionnaire_is_seeded_for_every_factor(app):
    with db.connection_context():
        factors = list(RiskFactor.in_force(current_school_year()))
        assert len(factors) == 10
        for factor in factors:
            questions = list(RiskQuestion.active().where(RiskQuestion.factor == factor.id))
            assert len(questions) >= 3 and all(len(q.choices) >= 3 for q in questions)
            assert RiskCutoff.get(RiskCutoff.factor == factor.id).bounds == (25, 50, 75)


def test_school_answers_give_levels_by_the_cutoffs(app, school, login_as):
    profile = create_profile(app, school.organization_id)
    client = login_as(school)
    # Factor 1: 3 + 3 + 3 of 9 → high; 2: 0 → none; 3: 2 + 2 + 2 = 6 of 9 (67 %) → medium;
    # 4: 1 + 1 + 1 = 3 (33 %) → low.
    posted = _answers_by_factor({1: 3, 2: 0, 3: 2, 4: 1})
    response = client.post(f"/risks/profiles/{profile.id}/diagnosis",
                           data=dict(posted, version="0", action="submit"))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    levels = _levels(profile.id)
    assert levels[1] == ("high", "high", 9, 9)
    assert levels[2][:2] == ("none", "none")
    assert levels[3][:3] == ("medium", "medium", 6)
    assert levels[4][:3] == ("low", "low", 3)
    with db.connection_context():
        assert RiskProfile.get_by_id(profile.id).status == "submitted"
    # Sent: the answers no longer change.
    assert client.post(f"/risks/profiles/{profile.id}/diagnosis",
                       data=dict(posted, version="1")).status_code == 409


def test_centre_edited_cutoffs_change_the_computed_level(app, school, login_as):
    centre = login_as("centre")
    fid = factor_id(3)
    page = centre.get(f"/risks/questionnaire/{fid}").get_data(as_text=True)
    assert "Да, системно, это видно в планах = 0" in page
    with db.connection_context():
        rows = list(RiskQuestion.active().where(RiskQuestion.factor == fid))
    form = {"low_from": "10", "medium_from": "20", "high_from": "60"}
    for n, q in enumerate(rows):
        form.update({f"questions-{n}-question_id": str(q.id), f"questions-{n}-text": q.text,
                     f"questions-{n}-options": services.options_text(q)})
    assert centre.post(f"/risks/questionnaire/{fid}", data=form).status_code == 303
    profile = create_profile(app, school.organization_id)
    response = login_as(school).post(
        f"/risks/profiles/{profile.id}/diagnosis",
        data=dict(_answers_by_factor({3: 2}), version="0", action="submit"))
    assert response.status_code == 303
    assert _levels(profile.id)[3][:2] == ("high", "high")  # 6 of 9 = 67 % ≥ 60 %


def test_questionnaire_bad_input_saves_nothing(app, login_as):
    centre = login_as("centre")
    fid = factor_id(1)
    before = db_fingerprint()
    bad_cutoffs = {"low_from": "50", "medium_from": "40", "high_from": "75",
                   "questions-0-text": "Вопрос", "questions-0-options": "Да = 0\nНет = 2"}
    response = centre.post(f"/risks/questionnaire/{fid}", data=bad_cutoffs)
    assert response.status_code == 422 and "Пороги должны расти" in response.get_data(as_text=True)
    bad_options = dict(bad_cutoffs, low_from="25", medium_from="50",
                       **{"questions-0-options": "Да = много\nНет = 2"})
    response = centre.post(f"/risks/questionnaire/{fid}", data=bad_options)
    assert response.status_code == 422
    assert "балл — целое число" in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_sending_with_unanswered_questions_saves_nothing(app, school, login_as):
    profile = create_profile(app, school.organization_id)
    client = login_as(school)
    posted = _answers_by_factor({})
    missing = next(iter(posted))
    del posted[missing]
    before = db_fingerprint()
    response = client.post(f"/risks/profiles/{profile.id}/diagnosis",
                           data=dict(posted, version="0", action="submit"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ответьте на все вопросы анкеты: без ответа — 1." in page
    assert f'id="{missing}-error"' in page
    assert db_fingerprint() == before
    # An option that does not exist: a message at the question, nothing saved.
    response = client.post(f"/risks/profiles/{profile.id}/diagnosis",
                           data=dict(posted, **{missing: "7"}, version="0"))
    assert response.status_code == 422
    assert "Выберите один из вариантов ответа." in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_autosave_keeps_answers_and_refuses_a_stale_tab(app, school, login_as):
    profile = create_profile(app, school.organization_id)
    client = login_as(school)
    first = _questions()[0]
    response = client.post(f"/risks/profiles/{profile.id}/diagnosis/autosave", headers=HX,
                           data={f"q-{first.id}": "2", "version": "0", "token": "a" * 32})
    assert response.status_code == 200 and "Сохранено" in response.get_data(as_text=True)
    with db.connection_context():
        assert RiskProfile.get_by_id(profile.id).answered == {first.id: 2}
    stale = client.post(f"/risks/profiles/{profile.id}/diagnosis/autosave", headers=HX,
                        data={f"q-{first.id}": "0", "version": "0", "token": "b" * 32})
    assert stale.status_code == 409
    with db.connection_context():
        assert RiskProfile.get_by_id(profile.id).answered == {first.id: 2}


# --- the centre's levels -------------------------------------------------------------------

def _centre_levels(level="medium"):
    with db.connection_context():
        codes = [f.code for f in RiskFactor.in_force(current_school_year())]
    return {f"level-{c}": level for c in codes}


def test_centre_sets_levels_and_confirms(app, school, login_as):
    profile = create_profile(app, school.organization_id)
    centre = login_as("centre")
    data = dict(_centre_levels("low"), **{"level-2": "high", "comment-2": "Две вакансии."})
    response = centre.post(f"/risks/profiles/{profile.id}", data=dict(data, action="confirm"))
    assert response.status_code == 303
    levels = _levels(profile.id)
    assert levels[2][0] == "high" and levels[5][0] == "low"
    with db.connection_context():
        row = RiskLevel.get((RiskLevel.profile == profile.id)
                            & (RiskLevel.factor == factor_id(2)))
        assert (row.comment, row.source) == ("Две вакансии.", "centre")
        assert RiskProfile.get_by_id(profile.id).status == "confirmed"


def test_level_for_a_factor_not_in_force_that_year_is_refused(app, school, login_as):
    year = current_school_year()
    with db.connection_context():
        RiskFactor.create(code=11, name="Устаревший фактор", valid_from=2015, valid_to=year - 2)
    profile = create_profile(app, school.organization_id)
    centre = login_as("centre")
    before = db_fingerprint()
    response = centre.post(f"/risks/profiles/{profile.id}",
                           data=dict(_centre_levels(), **{"level-11": "high"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Фактор риска «Устаревший фактор» не действует в" in page
    assert db_fingerprint() == before  # the other ten levels were not saved either


def test_level_outside_the_list_is_refused(app, school, login_as):
    profile = create_profile(app, school.organization_id)
    centre = login_as("centre")
    before = db_fingerprint()
    response = centre.post(f"/risks/profiles/{profile.id}",
                           data=dict(_centre_levels(), **{"level-3": "критический"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Выберите уровень из списка: высокий, средний, низкий, не выявлен." in page
    assert 'id="level-3-error"' in page
    assert db_fingerprint() == before
    # Confirming with a factor not assessed: the reason next to it, nothing saved.
    data = _centre_levels()
    data["level-4"] = ""
    response = centre.post(f"/risks/profiles/{profile.id}", data=dict(data, action="confirm"))
    assert response.status_code == 422
    assert "укажите уровень по каждому фактору" in response.get_data(as_text=True)
    assert db_fingerprint() == before


# --- access --------------------------------------------------------------------------------

def test_school_sees_only_its_own_profile(app, school, make_user, login_as):
    other = make_user("school")
    own = create_profile(app, school.organization_id)
    foreign = create_profile(app, other.organization_id)
    client = login_as(school)
    assert client.get(f"/risks/profiles/{own.id}").status_code == 200
    for url in (f"/risks/profiles/{foreign.id}", f"/risks/profiles/{foreign.id}/diagnosis",
                f"/risks/profiles/{foreign.id}/document.docx"):
        assert client.get(url).status_code == 404, url
    before = db_fingerprint()
    posted = dict(_answers_by_factor({1: 3}), version="0", action="submit")
    assert client.post(f"/risks/profiles/{foreign.id}/diagnosis", data=posted).status_code == 404
    assert client.post(f"/risks/profiles/{foreign.id}/diagnosis/autosave", data=posted,
                       headers=HX).status_code == 404
    assert db_fingerprint() == before
    listing = client.get("/risks/").get_data(as_text=True)
    assert f"/risks/profiles/{own.id}" in listing and f"/risks/profiles/{foreign.id}" not in listing
    # Staff pages and the centre's actions are not the school's.
    assert client.get("/risks/summary.png").status_code == 403
    assert client.post(f"/risks/profiles/{own.id}", data=_centre_levels()).status_code == 403


# --- the programme ---------------------------------------------------------------------------

def _confirmed_profile(app, school, login_as, levels):
    profile = create_profile(app, school.organization_id)
    data = _centre_levels("low")
    data.update({f"level-{code}": level for code, level in levels.items()})
    response = login_as("centre").post(f"/risks/profiles/{profile.id}",
                                       data=dict(data, action="confirm"))
    assert response.status_code == 303
    return profile


def _stored_risks(programme_id):
    with db.connection_context():
        section = ProgrammeSection.get((ProgrammeSection.programme == programme_id)
                                       & (ProgrammeSection.key == "analysis"))
        return section.values.get("risks")


def test_new_programme_takes_its_risk_factors_from_the_profile(app, school, login_as):
    _confirmed_profile(app, school, login_as, {2: "high", 8: "medium", 10: "high", 4: "none"})
    client = login_as(school)
    response = client.post("/programmes/new", data={"period_start": str(current_school_year())})
    assert response.status_code == 303
    with db.connection_context():
        programme = Programme.get(Programme.school == school.organization_id)
    assert _stored_risks(programme.id) == ["2", "8", "10"]


def test_programme_section_is_prefilled_from_a_later_profile(app, school, login_as):
    from .test_programmes import create_programme
    programme = create_programme(app, school)  # made before the profile: no factors marked
    assert not _stored_risks(programme.id)
    client = login_as(school)
    page = client.get(f"/programmes/{programme.id}/analysis").get_data(as_text=True)
    assert "risk-profile-note" not in page  # no profile yet
    _confirmed_profile(app, school, login_as, {3: "high", 9: "medium"})
    page = client.get(f"/programmes/{programme.id}/analysis").get_data(as_text=True)
    assert "Факторы риска отмечены по рисковому профилю школы" in page
    for code in ("3", "9"):
        assert f'value="{code}" id="risks-{code}" checked' in page
    assert 'value="2" id="risks-2" checked' not in page
    # The school marked its own choice: the profile no longer overrides it, but offers to.
    with db.connection_context():
        ProgrammeSection.update(data=json.dumps({"risks": ["1"]})).where(
            (ProgrammeSection.programme == programme.id)
            & (ProgrammeSection.key == "analysis")).execute()
    page = client.get(f"/programmes/{programme.id}/analysis").get_data(as_text=True)
    assert 'value="1" id="risks-1" checked' in page and "Отметить по рисковому профилю" in page
    page = client.get(f"/programmes/{programme.id}/analysis?from_profile=1").get_data(
        as_text=True)
    assert 'value="3" id="risks-3" checked' in page and 'value="1" id="risks-1" checked' \
        not in page


# --- documents -------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["risk_profile", "risk_summary"])
def test_documents_render_from_the_sample(app, key):
    with app.app_context(), db.connection_context():
        data = api.preview(key)
    text = _text(data)
    assert "ПРОЕКТ" in text
    if key == "risk_profile":
        assert "РИСКОВЫЙ ПРОФИЛЬ" in text and "Дефицит педагогических кадров" in text
        assert "высокий" in text and "Макарова" in text
    else:
        assert "СВОДНАЯ СПРАВКА" in text and "МБОУ «ООШ № 6»" in text
        assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_documents_render_from_real_records(app, school, login_as):
    profile = _confirmed_profile(app, school, login_as, {2: "high", 7: "medium"})
    centre = login_as("centre")
    response = centre.get(f"/risks/profiles/{profile.id}/document.docx")
    assert response.status_code == 200
    text = _text(response.data)
    with db.connection_context():
        school_org = Organization.get_by_id(school.organization_id)
    assert school_org.full_name in text and "высокий" in text and "низкий" in text
    assert "подтверждён методическим центром" in text
    # The school downloads its own too.
    assert login_as(school).get(f"/risks/profiles/{profile.id}/document.docx").status_code == 200
    response = centre.get(f"/risks/summary.docx?year={profile.year}")
    assert response.status_code == 200
    text = _text(response.data)
    assert school_org.short_name in text and "Всего оценок" in text
    assert any(n.startswith("word/media/") for n in
               zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    # Registered: a number, and the profile keeps its document.
    assert centre.post(f"/risks/profiles/{profile.id}/register").status_code == 303
    with db.connection_context():
        first = RiskProfile.get_by_id(profile.id).document
        assert first.number
    # Registered again (after a change): a new version under the same number, not a new one.
    assert centre.post(f"/risks/profiles/{profile.id}/register").status_code == 303
    with db.connection_context():
        second = RiskProfile.get_by_id(profile.id).document
        assert (second.number, second.version) == (first.number, 2)
        RiskProfile.update(status="submitted").where(RiskProfile.id == profile.id).execute()
    refused = centre.post(f"/risks/profiles/{profile.id}/register")
    assert refused.status_code == 409 and "подтверждённый центром" in refused.get_data(
        as_text=True)
    assert centre.post("/risks/summary/register",
                       data={"year": str(profile.year)}).status_code == 303


def test_summary_page_shows_table_and_heat_map(app, school, login_as):
    profile = _confirmed_profile(app, school, login_as, {1: "high"})
    centre = login_as("centre")
    page = centre.get(f"/risks/?year={profile.year}").get_data(as_text=True)
    with db.connection_context():
        name = Organization.get_by_id(school.organization_id).short_name
    assert name in page and "Сколько школ на каждом уровне" in page
    assert f"/risks/summary.png?year={profile.year}" in page
    chart = centre.get(f"/risks/summary.png?year={profile.year}")
    assert chart.status_code == 200 and chart.data.startswith(b"\x89PNG")
    # Kept while the data are the same; a changed level draws a new picture.
    assert centre.get(f"/risks/summary.png?year={profile.year}").data == chart.data
    with db.connection_context():
        RiskLevel.update(level="low").where(RiskLevel.profile == profile.id).execute()
    assert centre.get(f"/risks/summary.png?year={profile.year}").data != chart.data


# --- opening and the inbox ------------------------------------------------------------------

def test_opening_the_year_and_the_inbox(app, school, make_user, login_as):
    year = current_school_year()
    with app.app_context(), db.connection_context():
        set_status(school.organization_id, year, True, "manual", "тест")
    centre = login_as("centre")
    # The list approved, no profile yet: the centre is asked to open the self-diagnosis.
    assert "школ перечня на" in centre.get("/").get_data(as_text=True)
    assert centre.post("/risks/open", data={"year": str(year)}).status_code == 303
    assert "школ перечня на" not in centre.get("/").get_data(as_text=True)
    with db.connection_context():
        profile = RiskProfile.get(RiskProfile.school == school.organization_id)
    client = login_as(school)
    home = client.get("/").get_data(as_text=True)
    assert "Заполните самодиагностику рисков" in home
    assert f"/risks/profiles/{profile.id}/diagnosis" in home
    client.post(f"/risks/profiles/{profile.id}/diagnosis",
                data=dict(_answers_by_factor({1: 2}), version="0", action="submit"))
    assert "Заполните самодиагностику рисков" not in client.get("/").get_data(as_text=True)
    assert "подтвердите — 1" in centre.get("/").get_data(as_text=True)
    # Opening again adds nothing; an unknown year is refused with a message.
    assert centre.post("/risks/open", data={"year": str(year)}).status_code == 303
    with db.connection_context():
        assert RiskProfile.select().where(RiskProfile.year == year).count() == 1
    assert centre.post("/risks/open", data={"year": "1990"}).status_code == 422
