"""Search that understands Russian, on SQLite (FTS5) and PostgreSQL (`russian` configuration):
the directory, the register, the public /docs list and road-map activities find a record by
abbreviation, number and word form, and never another school's unpublished document."""
import pytest

from models import GeneratedDocument, Organization, db
from models.search import index_text, normalise, query_terms

from .test_register import create_document


def test_normalise_splits_numbers_folds_case_yo_quotes_and_number_sign():
    assert normalise("МБОУ «СОШ №1» Ёлкино") == ["мбоу", "сош", "1", "елкино"]
    assert normalise("сош1") == ["сош", "1"]


def test_index_text_expands_school_abbreviations_both_ways():
    assert "средняя" in index_text("МБОУ «СОШ № 1»").split()
    assert "сош" in index_text("Средняя общеобразовательная школа № 7").split()


def test_query_ignores_stop_words_and_punctuation():
    assert query_terms("по «итогам»") == [(("итог",), True)]
    assert query_terms(" ,. ") == []


@pytest.fixture
def directory(app, make_org):
    names = {
        "target": ("МБОУ «СОШ № 1»", "Муниципальное бюджетное общеобразовательное учреждение "
                   "«Средняя общеобразовательная школа № 1»"),
        "twelve": ("МБОУ «СОШ № 12»", "Муниципальное бюджетное общеобразовательное учреждение "
                   "«Средняя общеобразовательная школа № 12»"),
        "lyceum": ("МАОУ «Лицей № 1»", "Муниципальное автономное общеобразовательное "
                   "учреждение «Лицей № 1»"),
    }
    return {key: make_org(short_name=short, full_name=full).id
            for key, (short, full) in names.items()}


@pytest.mark.parametrize("query", ["сош 1", "СОШ №1", "школа 1", "средняя школа 1",
                                   "Средняя общеобразовательная школа № 1", "сош1"])
def test_directory_finds_the_school_however_its_name_is_typed(app, directory, query):
    with app.app_context(), db.connection_context():
        found = {o.id for o in Organization.search(Organization.select(), query)}
    assert directory["target"] in found
    assert directory["twelve"] not in found and directory["lyceum"] not in found


def test_directory_page_search(login_as, directory):
    client = login_as("centre")
    page = client.get("/orgs/", query_string={"q": "СОШ №1"}).get_data(as_text=True)
    assert "СОШ № 1»" in page and "СОШ № 12" not in page


def test_register_finds_word_forms_and_order_by_kind_and_number(app, login_as, make_org):
    centre = login_as("centre")
    organization = centre.user.organization_id
    diagnostics = create_document(app, organization,
                                  title="О проведении диагностических работ в 5 классах")
    other = create_document(app, organization, title="Об утверждении плана мероприятий")
    with app.app_context(), db.connection_context():
        number = GeneratedDocument.get_by_id(other.id).number
    page = centre.get("/documents/", query_string={"q": "диагностика"}).get_data(as_text=True)
    assert "диагностических" in page and "плана мероприятий" not in page
    serial = number.rsplit("-", 1)[-1].rsplit("/", 1)[-1]
    page = centre.get("/documents/", query_string={"q": f"приказ {serial}"}).get_data(as_text=True)
    assert "плана мероприятий" in page
    assert diagnostics.id != other.id


def test_public_docs_search_finds_word_forms_of_published_documents_only(app, make_org, http):
    department = make_org(kind="department").id
    create_document(app, department, title="О проведении диагностических работ",
                    status="published")
    create_document(app, department, title="О диагностических мероприятиях (черновик)",
                    status="registered")
    page = http.get("/docs/", query_string={"q": "диагностика"}).get_data(as_text=True)
    assert "О проведении диагностических работ" in page
    assert "черновик" not in page


def test_school_search_in_the_register_never_shows_other_schools_documents(app, login_as,
                                                                          make_org):
    school = login_as("school")
    other = make_org().id
    create_document(app, other, title="О диагностических работах другой школы")
    page = school.get("/documents/", query_string={"q": "диагностика"}).get_data(as_text=True)
    assert "другой школы" not in page


def test_renamed_organisation_is_found_by_its_new_name_only(app, make_org):
    school = make_org(short_name="МБОУ «ООШ № 5»", full_name="")
    with app.app_context(), db.connection_context():
        school.short_name = "МБОУ «Гимназия № 5»"
        school.save()
        found = [o.id for o in Organization.search(Organization.select(), "гимназия 5")]
        gone = [o.id for o in Organization.search(Organization.select(), "основная школа 5")]
    assert found == [school.id] and gone == []


def test_roadmap_activities_found_by_word_form_also_after_an_edit(app, login_as, make_org):
    from blueprints.roadmaps import services
    from models import RoadmapActivity, RoadmapSection

    from .test_roadmaps import create_activity
    centre = login_as("centre")
    first = create_activity(app, make_org().id)
    with app.app_context(), db.connection_context():
        section = RoadmapSection.get_by_id(first.section_id)
        services.add_activity(section, "Проведение диагностических работ в 5–9 классах",
                              centre.user.id)
        meeting = RoadmapActivity.get_by_id(first.id)
        services.update_activity(meeting, {"title": "Совещание по итогам мониторинга"},
                                 centre.user.id, meeting.version)
    url = f"/roadmaps/{first.roadmap_id}"
    page = centre.get(url, query_string={"q": "диагностика"}).get_data(as_text=True)
    assert "диагностических работ" in page and "Совещание по итогам" not in page
    page = centre.get(url, query_string={"q": "итоги мониторинга"}).get_data(as_text=True)
    assert "Совещание по итогам мониторинга" in page and "диагностических работ" not in page
