"""A published document's PDF shown in place on its public page (issue 10 §4): the <iframe>
loads the PDF inline, under the page's CSP (the `page` fixture fails on any CSP violation)."""
import shutil

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")


def test_public_page_shows_the_pdf_inline(page, live_server, shot):
    from models import Organization, db
    from tests.test_register import create_document

    with live_server.app.app_context(), db.connection_context():
        centre = Organization.get(Organization.kind == "centre").id
    document = create_document(live_server.app, centre, title="Приказ, показанный на сайте",
                               status="published")
    url = f"/docs/{document.year}/{document.slug}"
    with page.expect_response(lambda r: r.url.endswith(f"{url}/pdf?inline=1"),
                              timeout=90_000) as shown:
        page.goto(url)
    response = shown.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    viewer = page.locator("iframe.pdf-view")
    expect(viewer).to_be_visible()
    assert any(frame.url.endswith(f"{url}/pdf?inline=1") for frame in page.frames)
    expect(page.get_by_role("link", name="Скачать PDF")).to_be_visible()
    shot(page, "23-public-pdf-inline")
