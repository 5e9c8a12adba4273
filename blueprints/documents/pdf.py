"""PDF copies of register documents through LibreOffice, cached per document version.

What SECURITY-NOTES §2.4 measured shapes every line here:
- LibreOffice fetches external image URLs found in a .docx (SSRF): it runs under
  `unshare -n` (no network) whenever that works on this machine;
- parallel conversions sharing one profile fail silently: each call gets its own
  profile directory (`-env:UserInstallation=file:///tmp/lo-<uuid>`), removed afterwards;
- a conversion can hang: 60 s timeout, then the whole process group is killed.
At most as many conversions run at once as there are cores, across all gunicorn
workers of this host: each holds an exclusive flock on one of N slot files under
STORAGE_DIR/locks. A per-document lock file makes concurrent requests for the same
version wait for one conversion instead of starting a second one, and tells any
worker whether a conversion is really running (a crashed worker releases its lock).

Warm converter (issue 10 §4): `flask pdf-converter` (pdf_supervisor.py) keeps one
LibreOffice per core running behind XML-RPC on 127.0.0.1, PDF_CONVERTER_PORT + slot
(pdf_server.py: private profile, `unshare -n`, its own timeout). convert() holds slot i and
asks instance i; when no server answers on that port it falls back to the cold path above
(one `soffice --convert-to pdf` per call), with the same safety. A warm conversion that
outlives the timeout has its server killed here; the supervisor starts a fresh one.

Conversions never run inside a database transaction: a 2–60 s conversion would hold
SQLite's write lock (or a PostgreSQL transaction) for all that time.
"""
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import xmlrpc.client
from contextlib import contextmanager
from http import client as http_client
from pathlib import Path

from flask import current_app

from models import GeneratedDocument, db

from ..jobs import priority
from .storage import storage

log = logging.getLogger("opora.pdf")

TIMEOUT = 60  # seconds one conversion may take
# A request converting synchronously waits this long for a free slot (gunicorn kills at 30 s).
SYNC_WAIT = 20
BACKGROUND_WAIT = 300  # a background conversion may queue longer: the page polls meanwhile
UNAVAILABLE = "PDF недоступен: на сервере не установлен LibreOffice"


class PdfError(Exception):
    """The conversion failed; the message is for the user (Russian)."""


class PdfBusy(PdfError):
    """Every conversion slot stayed busy: try again later (nothing is marked failed)."""


def soffice_path():
    return shutil.which("soffice")


def available():
    return soffice_path() is not None


_sandbox = None
_sandbox_lock = threading.Lock()


def network_sandbox():
    """The command prefix that cuts LibreOffice off the network, tested once per process.

    `unshare -n` needs root (or CAP_SYS_ADMIN); `unshare -rn` also works unprivileged where
    user namespaces are enabled. Without either, conversion still works, with a warning logged.
    """
    global _sandbox
    with _sandbox_lock:
        if _sandbox is None:
            _sandbox = []
            unshare = shutil.which("unshare")
            for prefix in ([unshare, "-n"], [unshare, "-r", "-n"]) if unshare else ():
                try:
                    works = subprocess.run([*prefix, "true"], capture_output=True,
                                           timeout=10).returncode == 0
                except (OSError, subprocess.SubprocessError):
                    works = False
                if works:
                    _sandbox = prefix
                    break
            if not _sandbox:
                log.warning("unshare -n does not work here: LibreOffice runs with network access")
        return list(_sandbox)


def _lock_dir():
    path = Path(current_app.config["STORAGE_DIR"]) / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _try_flock(path):
    """An open file holding an exclusive flock on `path`, or None when someone else holds it.

    flock (not lockf) locks belong to the open file, so they also exclude threads of one process.
    """
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _release(handle):
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


def _wait_flock(paths, wait):
    """Lock the first free path of `paths`, polling until `wait` seconds have passed."""
    deadline = time.monotonic() + wait
    while True:
        for path in paths:
            handle = _try_flock(path)
            if handle is not None:
                return handle
        if time.monotonic() >= deadline:
            raise PdfBusy("Сервер занят подготовкой других PDF. Повторите через минуту.")
        time.sleep(0.2)


@contextmanager
def conversion_slot(wait=SYNC_WAIT, slots=None):
    """One of `os.cpu_count()` conversion slots shared by every worker process of this host."""
    count = slots or os.cpu_count() or 1
    directory = _lock_dir()
    paths = [directory / f"soffice-slot-{i}.lock" for i in range(count)]
    handle = _wait_flock(paths, wait)
    try:
        yield paths.index(Path(handle.name))  # the slot's number: which warm instance to use
    finally:
        _release(handle)


def convert(data, timeout=TIMEOUT, wait=SYNC_WAIT):
    """.docx bytes → PDF bytes. Raises PdfError (or PdfBusy) with a Russian message.

    Through the warm converter of this slot when it runs, else cold (a LibreOffice per call).
    """
    soffice = soffice_path()
    if soffice is None:
        raise PdfError(UNAVAILABLE + ".")
    with conversion_slot(wait) as slot:
        pdf = convert_warm(data, slot, timeout)
        return pdf if pdf is not None else convert_cold(soffice, data, timeout)


class _TimeoutTransport(xmlrpc.client.Transport):
    """xmlrpc.client has no timeout of its own (nor has unoserver's UnoClient)."""

    def __init__(self, timeout):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def warm_port(slot):
    """The port of the warm instance serving `slot`, or None when the warm converter is off."""
    port = current_app.config.get("PDF_CONVERTER_PORT")
    if not port:
        return None
    return int(port) + slot % max(1, int(current_app.config.get("PDF_CONVERTER_INSTANCES") or 1))


def pid_file(port):
    """Where the supervisor keeps the pid (= process group) of the instance on `port`."""
    return _lock_dir() / f"pdf-converter-{int(port)}.pid"


def _kill_instance(port):
    """Kill a hung warm instance (its whole process group); the supervisor restarts it."""
    try:
        pid = int(pid_file(port).read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"pdf_server.py" in cmdline:  # never a recycled pid of something else
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def convert_warm(data, slot=0, timeout=TIMEOUT):
    """PDF bytes from the warm instance of `slot`, or None when it does not answer (then the
    caller converts cold). Raises PdfError when the conversion itself timed out."""
    port = warm_port(slot)
    if port is None:
        return None
    started = time.monotonic()
    try:  # a quick refusal when nothing listens: the fallback must not wait
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        log.info("warm converter on port %s does not answer: converting cold", port)
        return None
    proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}", allow_none=True,
                                      transport=_TimeoutTransport(timeout + 5))
    try:
        # unoserver's API 3: inpath, indata, outpath, convert_to, filtername, filter_options,
        # update_index, infiltername, password.
        result = proxy.convert(None, xmlrpc.client.Binary(data), None, "pdf",
                               "writer_pdf_Export", [], True, None, None)
    except TimeoutError:  # socket.timeout
        _kill_instance(port)
        log.warning("warm conversion timed out after %s s: converter on %s killed", timeout, port)
        raise PdfError(f"PDF не удалось сформировать за {timeout} с.") from None
    except (OSError, xmlrpc.client.Error, http_client.HTTPException) as error:
        if time.monotonic() - started >= timeout:  # the server hit its own timeout and exited
            raise PdfError(f"PDF не удалось сформировать за {timeout} с.") from None
        log.warning("warm converter on %s failed (%s): converting cold", port,
                    str(error)[:300])
        return None
    finally:
        proxy("close")()
    pdf = result.data if isinstance(result, xmlrpc.client.Binary) else b""
    if not pdf.startswith(b"%PDF-"):
        log.warning("warm converter on %s returned no PDF: converting cold", port)
        return None
    log.info("pdf converted warm in %.2f s (%d bytes)", time.monotonic() - started, len(pdf))
    return pdf


def convert_cold(soffice, data, timeout=TIMEOUT):
    """One LibreOffice per call: private profile, no network, killed at the timeout."""
    with tempfile.TemporaryDirectory(prefix="opora-pdf-") as work:
        work = Path(work)
        source, out = work / "document.docx", work / "out"
        source.write_bytes(data)
        profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
        command = [*network_sandbox(), soffice, f"-env:UserInstallation={profile.as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out), str(source)]
        started = time.monotonic()
        # A session of its own: a timeout kills soffice.bin and its helpers, not just the wrapper.
        process = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True,
                                   env=dict(os.environ, HOME=str(work)))
        priority.hold_back(process.pid)  # from the niced worker: nice in its own session too
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            log.warning("soffice timed out after %s s", timeout)
            raise PdfError(f"PDF не удалось сформировать за {timeout} с.") from None
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        result = out / "document.pdf"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            log.warning("soffice failed: rc=%s %s", process.returncode,
                        err.decode("utf-8", "replace")[-500:])
            raise PdfError("LibreOffice не смог преобразовать документ в PDF.")
        pdf = result.read_bytes()
        if not pdf.startswith(b"%PDF-"):
            raise PdfError("LibreOffice вернул повреждённый PDF.")
        log.info("pdf converted in %.1f s (%d bytes)", time.monotonic() - started, len(pdf))
        return pdf


# --- Per document version: cache, state, background conversion --------------------------------


def _document_lock_path(document_id):
    return _lock_dir() / f"pdf-document-{int(document_id)}.lock"


def _set_status(document_id, status, pdf_sha256=None):
    values = {"pdf_status": status}
    if pdf_sha256 is not None:
        values["pdf_sha256"] = pdf_sha256
    GeneratedDocument.update(**values).where(GeneratedDocument.id == document_id).execute()


def cached(document):
    """The stored PDF's sha256 for this version, or None."""
    if document.pdf_status == "done" and document.pdf_sha256 \
            and storage().exists(document.pdf_sha256):
        return document.pdf_sha256
    return None


def started_at(document):
    """When the running conversion of this version began (epoch seconds), or None if none runs."""
    path = _document_lock_path(document.id)
    handle = _try_flock(path)
    if handle is not None:  # nobody holds it: nothing runs, whatever pdf_status says
        _release(handle)
        return None
    try:
        return float(path.read_text() or 0) or time.time()
    except (OSError, ValueError):
        return time.time()


def state(document):
    """'unavailable', 'done', 'running', 'failed' or 'idle' (never started, or its worker died)."""
    if cached(document):
        return "done"
    if not available():
        return "unavailable"
    if started_at(document) is not None or document.pdf_status == "queued":
        return "running"  # converting, or queued for the job worker
    return "failed" if document.pdf_status == "failed" else "idle"


def _convert_locked(document_id, wait):
    """Convert one version while holding its document lock; return the PDF's sha256."""
    if db.in_transaction():
        raise RuntimeError("PDF conversion must not run inside a database transaction")
    document = GeneratedDocument.get_by_id(document_id)
    if cached(document):
        return document.pdf_sha256
    files = storage()
    # The same file in another version (a re-publication, an identical draft): reuse its PDF.
    twin = GeneratedDocument.select(GeneratedDocument.pdf_sha256).where(
        (GeneratedDocument.sha256 == document.sha256) & (GeneratedDocument.pdf_status == "done")
        & (GeneratedDocument.pdf_sha256 != "")).first()
    if twin is not None and files.exists(twin.pdf_sha256):
        _set_status(document_id, "done", twin.pdf_sha256)
        return twin.pdf_sha256
    _set_status(document_id, "running")
    try:
        pdf = convert(files.get(document.sha256), wait=wait)
    except PdfBusy:
        _set_status(document_id, document.pdf_status if document.pdf_status != "running" else "")
        raise
    except PdfError:
        _set_status(document_id, "failed")
        raise
    except Exception:
        _set_status(document_id, "failed")
        log.exception("pdf conversion crashed")
        raise PdfError("LibreOffice не смог преобразовать документ в PDF.") from None
    sha256 = files.put(pdf)
    _set_status(document_id, "done", sha256)
    return sha256


def _mark_started(handle):
    handle.seek(0)
    handle.truncate()
    handle.write(str(time.time()))
    handle.flush()


def ensure_pdf(document, wait=SYNC_WAIT):
    """The PDF (bytes) of this version, converting it now if it is not cached yet.

    Requests for a version already being converted wait for that conversion.
    """
    sha256 = cached(document)
    if sha256 is None:
        if not available():
            raise PdfError(UNAVAILABLE + ".")
        handle = _wait_flock([_document_lock_path(document.id)], wait)
        try:
            _mark_started(handle)
            sha256 = _convert_locked(document.id, wait)
        finally:
            _release(handle)
    return storage().get(sha256)


# Background conversion is a job on the queue (blueprints/jobs/queue.py): the web request marks
# the version «queued» and returns; a worker takes the document lock and converts. A status poll
# sees «running» from the moment it is queued (pdf_status) and while the lock is held.
from ..jobs import queue as _queue  # noqa: E402  (a leaf module: no import circle)


def start_background(document):
    """Queue a conversion of this version unless it is cached, queued or already running.

    Returns True when a conversion was queued. The status is set before the job is queued,
    so the very next status poll already sees the conversion coming."""
    if cached(document) or not available() or started_at(document) is not None:
        return False
    # Conditional: of two clicks at once only one queues a job.
    queued = GeneratedDocument.update(pdf_status="queued").where(
        (GeneratedDocument.id == document.id)
        & (GeneratedDocument.pdf_status != "queued")).execute()
    if not queued:
        return False
    convert_job(document.id)
    return True


@_queue.huey.task()
def convert_job(document_id):
    """The queued conversion: one at a time per version (the document lock), then cached."""
    with _queue.app_context():
        try:
            handle = _wait_flock([_document_lock_path(document_id)], BACKGROUND_WAIT)
        except PdfBusy:  # another worker converts this version: its result will be cached
            GeneratedDocument.update(pdf_status="").where(
                (GeneratedDocument.id == document_id)
                & (GeneratedDocument.pdf_status == "queued")).execute()
            return
        try:
            _mark_started(handle)
            GeneratedDocument.update(pdf_status="").where(
                (GeneratedDocument.id == document_id)
                & (GeneratedDocument.pdf_status == "queued")).execute()
            _convert_locked(document_id, BACKGROUND_WAIT)
        except PdfError as error:
            log.warning("background pdf of document %s: %s", document_id, error)
        finally:
            _release(handle)


def resume_queued():
    """Queue again the conversions marked «queued» that nothing converts: their message was
    lost with a worker or a queue flushed (the page would say «Готовим PDF» for ever). Run
    when a worker starts; a message that was not lost only makes a second job, which finds
    the PDF cached or its version locked. Returns the ids queued."""
    ids = [document.id for document in GeneratedDocument.select(GeneratedDocument.id).where(
        GeneratedDocument.pdf_status == "queued") if started_at(document) is None]
    for document_id in ids:
        convert_job(document_id)
    return ids


_queue.on_worker_start(resume_queued, "queued PDF conversions")


def wait_background(timeout=120):
    """Wait for the queued conversions of this process's in-process queue (tests)."""
    _queue.drain(timeout)
