"""The public document section: only published (and withdrawn) documents, for everyone."""
import csv
import io
from datetime import date
from urllib.parse import unquote, urlparse

from lxml import etree

from blueprints.documents import services
from models import GeneratedDocument, db

from .test_register import make_document  # noqa: F401 (fixture)

ATOM = "{http://www.w3.org/2005/Atom}"


def _permalink(document):
    with db.connection_context():
        document = GeneratedDocument.get_by_id(document.id)
    return f"/docs/{document.year}/{document.slug}"


def test_list_shows_published_and_withdrawn_only(http, login_as, make_document, make_org):
    org = make_org().id
    make_document(org, title="Проект не для сайта", status="draft")
    make_document(org, title="Зарегистрирован, но не опубликован")
    make_document(org, title="Старый опубликованный", status="published", on_date=date(2025, 5, 1))
    make_document(org, title="Новый опубликованный", status="published")
    make_document(org, title="Отозванный приказ", status="withdrawn")
    for client in (http, login_as("admin")):  # signed in or not: the same public list
        page = client.get("/docs").get_data(as_text=True)
        assert "Проект не для сайта" not in page and "не опубликован" not in page
        assert page.index("Новый опубликованный") < page.index("Старый опубликованный")
        assert "Отозванный приказ" in page and "Отозван</span>" in page
    assert http.get("/docs/").status_code == 200


def test_public_layout_carries_the_site_name_not_the_app(http, app, make_document, make_org):
    document = make_document(make_org().id, status="published")
    for url in ("/docs", _permalink(document)):
        page = http.get(url).get_data(as_text=True)
        assert app.config["SITE_NAME"] in page
        assert 'class="breadcrumb"' in page and ">Главная</a>" in page and "Документы" in page
        assert "Реестр документов</a>" not in page and "Выйти" not in page  # no app menu
        assert "<script>" not in page and "style=" not in page  # CSP: no inline code


def test_filters_and_search(http, make_document, make_org):
    first, second = make_org(short_name="Школа Первая"), make_org(short_name="Школа Вторая")
    make_document(first.id, title="О мониторинге ШНОР", status="published",
                  on_date=date(2025, 2, 1))
    numbered = make_document(second.id, title="О совещании", status="published")

    def found(query):
        return http.get(f"/docs?{query}").get_data(as_text=True)

    assert "мониторинге" in found("q=шнор") and "совещании" not in found("q=шнор")
    assert "совещании" in found(f"q={numbered.number}")
    assert "мониторинге" in found("year=2025") and "совещании" not in found("year=2025")
    assert "совещании" in found(f"organization={second.id}")
    assert "мониторинге" not in found(f"organization={second.id}")
    assert "совещании" in found("kind=order") and "документов не найдено" in found("kind=nope")
    assert http.get("/docs?year=x&organization=-1&page=99&q=" + "я" * 300).status_code == 200
    fragment = http.get("/docs?q=шнор", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="publications-list"')


def test_permalink_metadata_and_downloads(http, login_as, make_document, make_org):
    org = make_org(full_name="МБОУ «Средняя школа № 42» полностью")
    document = make_document(org.id, status="published", on_date=date(2026, 9, 1))
    url = _permalink(document)
    assert url.startswith("/docs/2026/prikaz-")
    page = http.get(url).get_data(as_text=True)
    for text in (document.title, f"№ {document.number}", "01.09.2026", "полностью",
                 document.sha256, "Действует", f"{url}/docx"):
        assert text in page
    response = http.get(f"{url}/docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert f"Приказ № {document.number} от 01.09.2026.docx" in unquote(
        response.headers["Content-Disposition"])
    assert login_as("school").get(url).status_code == 200  # a signed-in user of any school too


def test_unpublished_documents_answer_404_to_everyone(http, login_as, make_document, make_org):
    org = make_org().id
    registered = make_document(org, title="Зарегистрированный невидимый")
    draft = make_document(org, title="Проект невидимый", status="draft")
    published = make_document(org, title="Снятый с публикации", status="published")
    old_url = _permalink(published)
    # A slug the registered document would get, and a real slug under the wrong year.
    guess = f"/docs/{registered.year}/{services.slugify('Приказ ' + registered.number)}"
    wrong_year = f"/docs/1999/{old_url.rsplit('/', 1)[1]}"
    # Back to «registered» (as when a correction replaces it): its permalink must close.
    with db.connection_context():
        GeneratedDocument.update(status="registered").where(
            GeneratedDocument.id == published.id).execute()
    for client in (http, login_as("admin")):
        for url in (guess, wrong_year, old_url, f"/docs/{date.today().year}/draft-{draft.id}"):
            for suffix in ("", "/docx", "/pdf"):
                assert client.get(url + suffix).status_code == 404, url + suffix
        listing = client.get("/docs").get_data(as_text=True)
        assert "невидимый" not in listing and "Снятый" not in listing
        assert "Документы ещё не опубликованы" in listing
    assert b"<entry" not in http.get("/docs/feed.atom").data
    assert http.get("/docs/register.csv").get_data(as_text=True).count("\n") == 1


def test_withdrawn_permalink_shows_date_and_reason(http, make_document, make_org):
    document = make_document(make_org().id, status="withdrawn",
                             reason="Отменён приказом № 52 <от 15.09.2026> & ошибка")
    url = _permalink(document)
    page = http.get(url).get_data(as_text=True)
    assert "Документ отозван" in page and date.today().strftime("%d.%m.%Y") in page
    assert "Отменён приказом № 52 &lt;от 15.09.2026&gt; &amp; ошибка" in page  # escaped
    # Downloads stay: the public record of what was published is kept, clearly marked.
    assert http.get(f"{url}/docx").status_code == 200


def test_atom_feed_is_valid_and_lists_public_documents(http, make_document, make_org):
    org = make_org().id
    make_document(org, title="Черновик вне ленты", status="draft")
    hostile = make_document(org, title="О «кавычках» <b>теги</b> & амперсанды ]]>",
                            status="published")
    withdrawn = make_document(org, title="Отозванный", status="withdrawn")
    response = http.get("/docs/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    by_title = {}
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        alternate = entry.find(f"{ATOM}link[@rel='alternate']")
        path = urlparse(alternate.get("href")).path
        assert http.get(path).status_code == 200
        by_title[entry.findtext(f"{ATOM}title")] = path
    assert any("<b>теги</b> & амперсанды ]]>" in title for title in by_title)
    assert _permalink(hostile) in by_title.values()
    withdrawn_entry = next(t for t, p in by_title.items() if p == _permalink(withdrawn))
    assert withdrawn_entry.startswith("Отозван:")
    updated = feed.findtext(f"{ATOM}updated")
    assert updated[10] == "T" and (updated.endswith("Z") or updated[-6] in "+-")


def test_register_csv_is_open_data(http, make_document, make_org):
    org = make_org(full_name="МБОУ «Школа № 5»")
    make_document(org.id, title="Неопубликованный")
    published = make_document(org.id, title="=HYPERLINK(\"http://evil\")", status="published",
                              on_date=date(2026, 9, 1))
    make_document(org.id, title="Отозванный; с точкой с запятой", status="withdrawn")
    response = http.get("/docs/register.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["номер", "дата", "вид", "заголовок", "организация", "статус", "ссылка"]
    assert len(rows) == 3
    by_title = {row[3]: row for row in rows[1:]}
    row = by_title["'=HYPERLINK(\"http://evil\")"]  # a formula is neutralised for Excel
    assert row[:3] == [published.number, "01.09.2026", "Приказ"]
    assert row[4:6] == ["МБОУ «Школа № 5»", "Опубликован"]
    assert row[6].endswith(_permalink(published)) and row[6].startswith("http")
    assert by_title["Отозванный; с точкой с запятой"][5] == "Отозван"
    filtered = http.get("/docs/register.csv?q=Отозванный").data.decode("utf-8-sig")
    assert len(filtered.strip().splitlines()) == 2
