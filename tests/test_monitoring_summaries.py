"""«Справки для всех школ» (issue 10, part 5, for monitoring): a summary per school whose report
was sent or accepted, made by one package job, each with the school's values, the municipal
mean and the change, in one .zip; a draft report gets none; schools and the department cannot
start it."""
import io
import zipfile

import docx
import pytest

from blueprints.documents import api
from blueprints.monitoring.summary_documents import KEY
from models import GeneratedDocument, db

from .test_jobs import _wait_done
from .test_monitoring_data import CODES, fill


def _text(data):
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\u00a0", " ")


@pytest.fixture
def campaign(make_org, make_campaign):
    """Three schools: two counted (sent, accepted), one still a draft."""
    schools = [make_org(kind="school", short_name=f"МБОУ «СШ № {n}»",
                        full_name=f"Муниципальное бюджетное общеобразовательное учреждение "
                                  f"«Средняя школа № {n}»") for n in (1, 2, 3)]
    made = make_campaign(schools=schools, codes=CODES)
    fill(made, schools[0], "submitted", participants="40", failed="4", share_2="10",
         has_iom="да")
    fill(made, schools[1], "accepted", participants="25", failed="5", share_2="20",
         has_iom="нет")
    fill(made, schools[2], "draft", participants="30")
    made.schools = schools
    return made


def test_the_sample_renders(app):
    text = _text(api.render(KEY, plain=api.doctype(KEY).sample))
    assert "СПРАВКА" in text and "о результатах мониторинга позитивных изменений" in text
    assert "Среднее по муниципалитету" in text and "▼ 3,3 п. п." in text


def test_one_package_makes_a_summary_for_every_school_that_reported(campaign, login_as,
                                                                    monkeypatch):
    from blueprints.documents import pdf
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "convert", lambda data, *args, **kwargs: b"%PDF-1.4 fake")
    centre = login_as("centre")
    page = centre.get(f"/monitoring/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Справки для всех школ (2)" in page
    response = centre.post(f"/monitoring/campaigns/{campaign.id}/summaries",
                           data={"with_pdf": "y"})
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    job = _wait_done(int(response.headers["Location"].rstrip("/").split("/")[-1]))
    assert (job.status, job.done, job.total, job.failed) == ("done", 2, 2, 0)
    assert "2 из 2" in centre.get(f"/jobs/{job.id}").get_data(as_text=True)
    with db.connection_context():
        made = list(GeneratedDocument.select().where(GeneratedDocument.doctype == KEY)
                    .order_by(GeneratedDocument.id))
    assert [d.title for d in made] == ["Справка о результатах мониторинга: МБОУ «СШ № 1»",
                                       "Справка о результатах мониторинга: МБОУ «СШ № 2»"]
    assert all(d.status == "registered" and d.number for d in made)
    assert len({d.number for d in made}) == 2
    names = zipfile.ZipFile(io.BytesIO(centre.get(f"/jobs/{job.id}/zip").data)).namelist()
    assert len(names) == 4 and sum(n.endswith(".pdf") for n in names) == 2
    first = _text(centre.get(f"/documents/{made[0].id}/docx").data)
    # The school's value, the mean over the two counted reports ((10 + 20) / 2), no draft's.
    assert "Средняя школа № 1" in first and "Средняя школа № 2" not in first
    assert "\n10\n15\n" in first
    assert "по 2 отчётам школ" in first
    # Run again (a third school sent its report late): the first two keep their numbers as a
    # new version each, the third gets the next number.
    fill(campaign, campaign.schools[2], "submitted")
    again = centre.post(f"/monitoring/campaigns/{campaign.id}/summaries", data={})
    job = _wait_done(int(again.headers["Location"].rstrip("/").split("/")[-1]))
    assert (job.status, job.done, job.failed) == ("done", 3, 0)
    with db.connection_context():
        now = list(GeneratedDocument.select().where(GeneratedDocument.doctype == KEY)
                   .order_by(GeneratedDocument.id))
    assert len(now) == 5 and len({d.number for d in now}) == 3
    assert [(d.number, d.version) for d in now[2:4]] == [(made[0].number, 2),
                                                          (made[1].number, 2)]


def test_without_a_sent_report_nothing_starts(make_org, make_campaign, login_as):
    school = make_org(kind="school")
    empty = make_campaign(schools=[school], codes=CODES)
    centre = login_as("centre")
    page = centre.get(f"/monitoring/campaigns/{empty.id}").get_data(as_text=True)
    assert "Справки для всех школ (0)" in page
    told = centre.post(f"/monitoring/campaigns/{empty.id}/summaries", follow_redirects=True)
    assert "Ни одна школа ещё не отправила отчёт" in told.get_data(as_text=True)
    with db.connection_context():
        assert not GeneratedDocument.select().where(GeneratedDocument.doctype == KEY).exists()


def test_schools_and_the_department_cannot_start_it(campaign, login_as):
    for role in ("school", "department"):
        assert login_as(role).post(f"/monitoring/campaigns/{campaign.id}/summaries"
                                   ).status_code in (403, 404)
