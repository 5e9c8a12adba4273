"""PDF through LibreOffice: every doctype converts, in parallel, offline, cached, with progress;
without LibreOffice the pages say so and nothing else breaks."""
import base64
import http.server
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest

from blueprints.documents import pdf, registry
from models import GeneratedDocument, db

from .conftest import HX
from .test_register import make_document  # noqa: F401 (fixture)

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWj"
                       "R9awAAAABJRU5ErkJggg==")


def _pages(data, tmp_path):
    path = tmp_path / f"check-{time.monotonic_ns()}.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def _reload(document):
    with db.connection_context():
        return GeneratedDocument.get_by_id(document.id)


def _lo_profiles():
    return set(Path(tempfile.gettempdir()).glob("lo-*"))


@needs_soffice
@pytest.mark.parametrize("key", sorted(registry.all_doctypes()))
def test_every_doctype_converts_to_pdf(app, key, tmp_path):
    with app.app_context():
        data = registry.render(key, registry.get_doctype(key).sample_context())
        started = time.monotonic()
        result = pdf.convert(data)
    print(f"{key}: {time.monotonic() - started:.2f} s, {len(result)} bytes")
    assert result.startswith(b"%PDF-") and _pages(result, tmp_path) >= 1


@needs_soffice
def test_three_parallel_conversions_all_succeed_and_leave_no_profiles(app, tmp_path):
    before = _lo_profiles()
    with app.app_context():
        data = registry.render("order", registry.get_doctype("order").sample_context())

        def one(_):
            with app.app_context():
                return pdf.convert(data)

        started = time.monotonic()
        with ThreadPoolExecutor(3) as pool:
            results = list(pool.map(one, range(3)))
    print(f"3 in parallel: {time.monotonic() - started:.2f} s")
    assert all(_pages(r, tmp_path) >= 1 for r in results)
    assert _lo_profiles() - before == set()


def _docx_with_external_image(url):
    """A .docx whose picture is linked (r:link, TargetMode=External), not embedded."""
    document = docx.Document()
    document.add_paragraph("Документ со ссылкой на внешнее изображение")
    document.add_picture(io.BytesIO(PNG))
    plain = io.BytesIO()
    document.save(plain)
    source, out = zipfile.ZipFile(plain), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            elif item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'Target="media/[^"]+"',
                              f'Target="{url}" TargetMode="External"'.encode(), data)
            target.writestr(item, data)
    return out.getvalue()


@pytest.fixture
def probe():
    """A local HTTP server that records every request line it receives."""
    hits = []

    class Probe(http.server.BaseHTTPRequestHandler):
        def handle_one_request(self):
            line = self.rfile.readline(65537)
            if line:
                hits.append(line)
            self.close_connection = True
            try:
                self.wfile.write(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Probe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.hits = hits
    yield server
    server.shutdown()
    server.server_close()


@needs_soffice
def test_external_image_is_not_fetched_during_conversion(app, probe, tmp_path, monkeypatch):
    if not pdf.network_sandbox():
        pytest.skip("unshare -n does not work here: LibreOffice cannot be kept offline")
    data = _docx_with_external_image(f"http://127.0.0.1:{probe.server_address[1]}/probe.png")
    with app.app_context():
        result = pdf.convert(data)
        time.sleep(0.3)
        assert _pages(result, tmp_path) >= 1
        assert probe.hits == []
        # The control: without the sandbox the same file does reach the probe, so the
        # assertion above tests something (SECURITY-NOTES §2.4: OPTIONS, HEAD, GET).
        monkeypatch.setattr(pdf, "network_sandbox", lambda: [])
        pdf.convert(data)
        time.sleep(0.3)
    assert probe.hits and b"/probe.png" in probe.hits[0]


def _poll_until_done(client, document, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fragment = client.get(f"/documents/{document.id}/pdf/status", headers=HX)
        html = fragment.get_data(as_text=True)
        assert fragment.status_code == 200
        assert html.lstrip().startswith(f'<div id="pdf-{document.id}"')
        if "every 1s" not in html:
            return html
        time.sleep(0.3)
    raise AssertionError("the PDF was not ready in time")


@needs_soffice
def test_pdf_button_converts_in_background_with_polling(login_as, make_document):
    client = login_as("centre")
    document = make_document(client.user.organization_id)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f'hx-post="/documents/{document.id}/pdf/start"' in page
    assert f'href="/documents/{document.id}/pdf"' in page  # the plain link without JavaScript

    started = client.post(f"/documents/{document.id}/pdf/start", headers=HX)
    html = started.get_data(as_text=True)
    assert started.status_code == 200
    assert 'hx-trigger="every 1s"' in html and "Готовим PDF" in html
    assert f'hx-get="/documents/{document.id}/pdf/status"' in html
    done = _poll_until_done(client, document)
    pdf.wait_background()
    assert f'href="/documents/{document.id}/pdf"' in done and "Скачать PDF" in done
    # Ready: the file downloads by itself (a hidden frame), no second click.
    assert f'<iframe class="d-none" src="/documents/{document.id}/pdf"' in done
    stored = _reload(document)
    assert stored.pdf_status == "done" and len(stored.pdf_sha256) == 64

    # Cached: starting again answers "ready" at once, and the download is the stored file.
    again = client.post(f"/documents/{document.id}/pdf/start", headers=HX).get_data(as_text=True)
    assert "every 1s" not in again and "Скачать PDF" in again
    response = client.get(f"/documents/{document.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.mimetype == "application/pdf"
    assert ".pdf" in response.headers["Content-Disposition"]


def test_a_conversion_left_queued_is_queued_again_when_a_worker_starts(app, make_document,
                                                                       make_org, monkeypatch):
    """A «queued» mark whose message was lost (a worker killed, a queue flushed) would keep
    the page at «Готовим PDF» for ever: a starting worker queues it again."""
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "convert", lambda data, **kwargs: b"%PDF-1.4 resumed")
    document = make_document(make_org().id)
    with app.app_context(), db.connection_context():
        GeneratedDocument.update(pdf_status="queued").where(
            GeneratedDocument.id == document.id).execute()
        assert pdf.state(_reload(document)) == "running"
        assert pdf.resume_queued() == [document.id]
    pdf.wait_background()
    with app.app_context(), db.connection_context():
        stored = _reload(document)
        assert stored.pdf_status == "done" and pdf.resume_queued() == []


@needs_soffice
def test_plain_link_converts_once_and_caches_per_version(login_as, make_document, monkeypatch):
    client = login_as("centre")
    document = make_document(client.user.organization_id, status="published")
    started = time.monotonic()
    first = client.get(f"/documents/{document.id}/pdf")
    print(f"synchronous request with conversion: {time.monotonic() - started:.2f} s")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")

    def no_second_conversion(*args, **kwargs):
        raise AssertionError("converted twice")

    monkeypatch.setattr(pdf, "convert", no_second_conversion)
    stored = _reload(document)
    public = f"/docs/{stored.year}/{stored.slug}/pdf"
    for url in (f"/documents/{document.id}/pdf", public):
        assert client.get(url).data == first.data


def test_conversion_is_refused_inside_a_transaction(app, make_document, make_org, monkeypatch):
    document = make_document(make_org().id)
    monkeypatch.setattr(pdf, "soffice_path", lambda: "/usr/bin/soffice")
    with app.app_context(), db.connection_context(), db.atomic():
        with pytest.raises(RuntimeError):
            pdf.ensure_pdf(document)


def test_slots_limit_conversions_across_processes(app):
    with app.app_context():
        with pdf.conversion_slot(slots=1):
            # flock on a separately opened file: the same exclusion another worker would meet.
            with pytest.raises(pdf.PdfBusy):
                with pdf.conversion_slot(wait=0.3, slots=1):
                    pass
        with pdf.conversion_slot(wait=0.3, slots=1):  # released again
            pass


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """Put a `soffice` shell script first on PATH; returns a function that sets its body."""
    directory = tmp_path / "bin"
    directory.mkdir()
    script = directory / "soffice"
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")

    def install(body):
        script.write_text("#!/bin/sh\n" + body + "\n")
        script.chmod(0o755)
    return install


def test_a_hanging_conversion_is_killed_at_the_timeout(app, fake_soffice):
    # A duration of this run's own (30.<pid> s): another suite converting on the machine at
    # the same time is not counted as this test's leftover.
    marker = f"sleep 30.{os.getpid()}"
    fake_soffice(marker)
    with app.app_context():
        started = time.monotonic()
        with pytest.raises(pdf.PdfError, match="не удалось сформировать за 1 с"):
            pdf.convert(b"PK", timeout=1)
    assert time.monotonic() - started < 5
    leftover = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_failed_conversion_is_marked_and_not_retried_by_visitors(app, http, login_as, make_document,
                                                                make_org, fake_soffice):
    fake_soffice("exit 0")  # "succeeds" without writing a PDF: LibreOffice's silent failure
    document = make_document(make_org().id, status="published")
    stored = _reload(document)
    public = f"/docs/{stored.year}/{stored.slug}"
    response = http.get(f"{public}/pdf")
    assert response.status_code == 503
    assert "не смог преобразовать" in response.get_data(as_text=True)
    assert _reload(document).pdf_status == "failed"
    assert "Скачать PDF" not in http.get(public).get_data(as_text=True)
    retry = http.get(f"{public}/pdf")
    assert retry.status_code == 503 and "временно недоступен" in retry.get_data(as_text=True)
    staff = login_as("centre")
    assert "Повторить PDF" in staff.get(f"/documents/{document.id}").get_data(as_text=True)


def test_without_libreoffice_pages_say_pdf_is_unavailable(http, login_as, make_document,
                                                         monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: (
        None if name == "soffice" else real_which(name, *args, **kwargs)))
    client = login_as("centre")
    document = make_document(client.user.organization_id, status="published")
    message = "PDF недоступен: на сервере не установлен LibreOffice"
    assert message in client.get(f"/documents/{document.id}").get_data(as_text=True)
    stored = _reload(document)
    public = f"/docs/{stored.year}/{stored.slug}"
    assert message in http.get(public).get_data(as_text=True)
    for response in (client.get(f"/documents/{document.id}/pdf"), http.get(f"{public}/pdf")):
        assert response.status_code == 503 and message in response.get_data(as_text=True)
    fragment = client.post(f"/documents/{document.id}/pdf/start", headers=HX)
    assert message in fragment.get_data(as_text=True)
    # Everything else still works.
    assert client.get(f"/documents/{document.id}/docx").status_code == 200
    assert http.get(f"{public}/docx").status_code == 200
    assert http.get("/docs/feed.atom").status_code == 200


# --- The warm converter (issue 10 §4): unoserver's converter kept running, cold path as fallback


def _free_port(count=1):
    """A port with `count` free ports from it on (instance i listens on port + i)."""
    import socket
    for _ in range(50):
        with socket.socket() as probe_socket:
            probe_socket.bind(("127.0.0.1", 0))
            port = probe_socket.getsockname()[1]
        if port + count < 65535 and all(_port_free(port + i) for i in range(count)):
            return port
    raise RuntimeError("no free port")


def _port_free(port):
    import socket
    with socket.socket() as probe_socket:
        try:
            probe_socket.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _start_supervisor(directory, timeout=pdf.TIMEOUT):
    from blueprints.documents import pdf_supervisor
    reason = pdf_supervisor.missing("/usr/bin/python3")
    # LibreOffice present but no python3-uno or unoserver: an install step is missing (.ci/run
    # installs python3-uno, requirements.txt unoserver), which must fail, not skip.
    assert reason is None, reason
    supervisor = pdf_supervisor.Supervisor(_free_port(), 1, "/usr/bin/python3", directory,
                                           timeout=timeout).start()
    if not supervisor.wait_ready(120):
        supervisor.stop()
        raise AssertionError("the warm converter did not start")
    return supervisor


@pytest.fixture(scope="session")
def warm_converter(tmp_path_factory):
    """One real warm instance for the session (skipped only without LibreOffice)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    supervisor = _start_supervisor(tmp_path_factory.mktemp("converter"))
    yield supervisor
    supervisor.stop()


@pytest.fixture
def warm(app, warm_converter, monkeypatch):
    """`app` converting through the session's warm instance; cold conversions are counted."""
    instance = warm_converter.instances[0]
    app.config.update(PDF_CONVERTER_PORT=instance.port, PDF_CONVERTER_INSTANCES=1)
    monkeypatch.setattr(pdf, "pid_file", lambda port: instance.pid_file)
    cold = []
    real_cold = pdf.convert_cold

    def counted(*args, **kwargs):
        cold.append(args)
        return real_cold(*args, **kwargs)

    monkeypatch.setattr(pdf, "convert_cold", counted)
    instance.cold = cold
    return instance


@needs_soffice
@pytest.mark.parametrize("key", sorted(registry.all_doctypes()))
def test_every_doctype_converts_through_the_warm_converter(app, warm, key, tmp_path):
    with app.app_context():
        data = registry.render(key, registry.get_doctype(key).sample_context())
        times = []
        for _ in range(3):
            started = time.monotonic()
            result = pdf.convert(data)
            times.append(time.monotonic() - started)
    print(f"{key} warm: {', '.join(f'{t:.2f}' for t in times)} s")
    assert result.startswith(b"%PDF-") and _pages(result, tmp_path) >= 1
    assert warm.cold == []  # never fell back
    assert min(times) < 1.5  # warm: a fraction of a cold start (≈2 s here)


@needs_soffice
def test_warm_converter_keeps_libreoffice_offline(app, warm, probe, tmp_path):
    if not pdf.network_sandbox():
        pytest.skip("unshare -n does not work here: LibreOffice cannot be kept offline")
    data = _docx_with_external_image(f"http://127.0.0.1:{probe.server_address[1]}/probe.png")
    with app.app_context():
        result = pdf.convert(data)
    time.sleep(0.3)
    assert _pages(result, tmp_path) >= 1 and warm.cold == []
    assert probe.hits == []


@needs_soffice
def test_warm_parallel_requests_all_succeed(app, warm, tmp_path):
    with app.app_context():
        data = registry.render("order", registry.get_doctype("order").sample_context())

        def one(_):
            with app.app_context():
                return pdf.convert(data)

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(one, range(4)))
    assert all(_pages(r, tmp_path) >= 1 for r in results) and warm.cold == []


@needs_soffice
def test_without_a_warm_converter_conversion_falls_back_to_cold(app, monkeypatch, tmp_path):
    app.config.update(PDF_CONVERTER_PORT=_free_port(), PDF_CONVERTER_INSTANCES=1)  # nobody listens
    cold = []
    real_cold = pdf.convert_cold
    monkeypatch.setattr(pdf, "convert_cold", lambda *a, **k: cold.append(1) or real_cold(*a, **k))
    with app.app_context():
        data = registry.render("order", registry.get_doctype("order").sample_context())
        started = time.monotonic()
        assert pdf.convert_warm(data) is None
        assert time.monotonic() - started < 1  # a refused connection: no waiting before the fallback
        result = pdf.convert(data)
    assert cold == [1] and _pages(result, tmp_path) >= 1


def test_warm_converter_off_means_cold(app, fake_soffice):
    fake_soffice("exit 0")
    app.config["PDF_CONVERTER_PORT"] = 0
    with app.app_context():
        assert pdf.warm_port(0) is None
        with pytest.raises(pdf.PdfError, match="не смог преобразовать"):
            pdf.convert(b"PK")


def test_broken_warm_answer_falls_back_to_cold(app, fake_soffice, monkeypatch):
    """A server that answers but fails (an XML-RPC fault, a dropped connection) is not trusted:
    the cold path decides."""
    import xmlrpc.server
    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False)

    def convert(*args):
        raise RuntimeError("DisposedException")

    server.register_function(convert)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake_soffice('mkdir -p out && printf "%%PDF-1.4 cold" > out/document.pdf')
    app.config.update(PDF_CONVERTER_PORT=server.server_address[1], PDF_CONVERTER_INSTANCES=1)
    try:
        with app.app_context():
            assert pdf.convert(b"PK") == b"%PDF-1.4 cold"
    finally:
        server.shutdown()
        server.server_close()


def _group_pids(pgid, name):
    found = subprocess.run(["pgrep", "-g", str(pgid), "-f", name], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def _group_gone(pgid, name="", seconds=15):
    """True once no process of group `pgid` matches `name` (killed ones take a moment to go)."""
    deadline = time.monotonic() + seconds
    while _group_pids(pgid, name) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _group_pids(pgid, name) == []


@needs_soffice
def test_hung_warm_converter_is_killed_and_restarted(app, tmp_path, monkeypatch):
    """Two hangs: LibreOffice stops answering (the server's own timeout kills it), and the
    whole server stops (the client kills its process group). Each time the supervisor starts a
    fresh instance, and the next conversion is warm again."""
    import signal as signals
    supervisor = _start_supervisor(tmp_path / "locks", timeout=2)
    instance = supervisor.instances[0]
    app.config.update(PDF_CONVERTER_PORT=instance.port, PDF_CONVERTER_INSTANCES=1)
    monkeypatch.setattr(pdf, "pid_file", lambda port: instance.pid_file)
    monkeypatch.setattr(pdf, "convert_cold", lambda *a, **k: pytest.fail("fell back to cold"))
    try:
        with app.app_context():
            data = registry.render("order", registry.get_doctype("order").sample_context())
            assert pdf.convert(data).startswith(b"%PDF-")
            for hang in ("soffice.bin", "pdf_server.py"):
                leader = instance.process.pid
                frozen = _group_pids(leader, hang)
                assert frozen, f"no {hang} in the instance's process group"
                for pid in frozen:
                    os.kill(pid, signals.SIGSTOP)
                started = time.monotonic()
                with pytest.raises(pdf.PdfError, match="не удалось сформировать за 2 с"):
                    pdf.convert(data, timeout=2)
                assert time.monotonic() - started < 10
                deadline = time.monotonic() + 30  # died, then restarted by the supervisor
                while time.monotonic() < deadline and (
                        instance.process is None or instance.process.pid == leader):
                    time.sleep(0.2)
                assert instance.process is not None and instance.process.pid != leader
                assert _group_gone(leader)  # nothing of the hung one is left
                assert instance.wait_ready(120)
                assert pdf.convert(data).startswith(b"%PDF-")
            assert instance.restarts == 2
    finally:
        supervisor.stop()
    assert not instance.pid_file.exists()
    assert list(Path(tempfile.gettempdir()).glob(f"opora-lo-warm-{instance.port}-*")) == []


# --- The public page shows the PDF in place -----------------------------------------------------


def test_public_page_embeds_the_pdf_inline(http, make_document, make_org, monkeypatch):
    document = make_document(make_org().id, status="published")
    stored = _reload(document)
    public = f"/docs/{stored.year}/{stored.slug}"
    monkeypatch.setattr(pdf, "available", lambda: True)
    page = http.get(public)
    html = page.get_data(as_text=True)
    assert re.search(rf'<iframe [^>]*src="{re.escape(public)}/pdf\?inline=1"', html)
    assert f'href="{public}/pdf"' in html  # the download link stays
    csp = page.headers["Content-Security-Policy"]
    assert "frame-src 'self'" in csp and "object-src 'none'" in csp

    monkeypatch.setattr(pdf, "ensure_pdf", lambda document, wait=pdf.SYNC_WAIT: b"%PDF-1.4 x")
    shown = http.get(f"{public}/pdf?inline=1")
    assert shown.status_code == 200 and shown.data == b"%PDF-1.4 x"
    assert shown.mimetype == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline")
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown.headers["Content-Security-Policy"]
    assert "script-src" not in shown.headers["Content-Security-Policy"]  # default-src 'none'
    download = http.get(f"{public}/pdf")
    assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("state", ["failed", "unavailable"])
def test_public_page_without_a_pdf_has_no_viewer(http, make_document, make_org, monkeypatch,
                                                 state):
    document = make_document(make_org().id, status="published")
    stored = _reload(document)
    monkeypatch.setattr(pdf, "state", lambda document: state)
    html = http.get(f"/docs/{stored.year}/{stored.slug}").get_data(as_text=True)
    assert "<iframe" not in html and f"/docs/{stored.year}/{stored.slug}/docx" in html


@needs_soffice
def test_pdf_converter_command_serves_and_stops_cleanly(app, tmp_path):
    """The Procfile's `converter:` line, end to end: it serves warm conversions on the port
    from the config and, on SIGTERM (honcho's stop), leaves no LibreOffice and no pid file."""
    import signal as signals
    import sys
    port = _free_port()
    storage = tmp_path / "storage"
    env = dict(os.environ, OPORA_PDF_PORT=str(port), OPORA_PDF_INSTANCES="1",
               STORAGE_DIR=str(storage), DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               SECRET_KEY="test", OPORA_DEMO="0")
    flask = Path(sys.executable).with_name("flask")
    command = subprocess.Popen([str(flask), "--app", "app", "pdf-converter"],
                               cwd=Path(__file__).resolve().parents[1], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    app.config.update(PDF_CONVERTER_PORT=port, PDF_CONVERTER_INSTANCES=1)
    pid_file = storage / "locks" / f"pdf-converter-{port}.pid"
    try:
        with app.app_context():
            data = registry.render("order", registry.get_doctype("order").sample_context())
            deadline, result = time.monotonic() + 120, None
            while result is None and time.monotonic() < deadline and command.poll() is None:
                result = pdf.convert_warm(data)
                time.sleep(0.3)
        assert result is not None and result.startswith(b"%PDF-"), command.poll()
        server = int(pid_file.read_text())
        assert _group_pids(server, "soffice")
    finally:
        command.send_signal(signals.SIGTERM)
        output = command.communicate(timeout=60)[0].decode("utf-8", "replace")
    assert command.returncode == 0, output
    assert "Тёплый конвертер PDF: 1 экз." in output
    assert not pid_file.exists() and _group_gone(server)
