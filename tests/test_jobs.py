"""Background jobs on huey: bulk registration «сформировать пакет», its page, and exactly-once
after a worker is killed with SIGKILL mid-batch.

The suite's apps use an in-process queue (a thread). The SIGKILL tests run real workers
(`huey_consumer worker.huey`) in subprocesses on a SQLite queue file, or on Redis when
OPORA_QUEUE_URL=redis://… is set (CI runs this file both ways), against the test's database.
"""
import io
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest

from blueprints.documents import pdf
from blueprints.documents.storage import storage
from blueprints.jobs import engine, queue
from models import GeneratedDocument, Job, JobItem, Order, OrderClause, db

from .conftest import HX

ROOT = Path(__file__).resolve().parents[1]
FAKE_PDF = b"%PDF-1.4 fake\n%%EOF\n"


def create_finished_job(app, organization_id):
    """A finished one-item job of this organisation with its archive stored (access tests)."""
    with app.app_context(), db.connection_context():
        job = Job.create(kind="orders.register", title="Пакет приказов (1)", status="done",
                         total=1, done=1, organization=organization_id,
                         zip_sha256=storage().put(b"PK\x05\x06" + b"\x00" * 18))
        JobItem.create(job=job, position=0, record_id=0, label="Приказ", status="failed",
                       error="Проект приказа удалён.")
    return job


def make_drafts(count, organization_id, start=0):
    """`count` draft orders of one organisation, dated in the listed order."""
    ids = []
    with db.connection_context():
        for n in range(start, start + count):
            order = Order.create(organization=organization_id, order_date=date(2026, 9, 1),
                                 heading=f"О мероприятии {n + 1}", signer_position="Начальник",
                                 signer_name="Волков Михаил Евгеньевич", place="г. Новоречинск",
                                 preamble="В целях повышения качества образования")
            OrderClause.create(order=order, position=0, text=f"Провести мероприятие {n + 1}.")
            ids.append(order.id)
    return ids


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "convert", lambda data, *args, **kwargs: FAKE_PDF)


def _job(job_id):
    with db.connection_context():
        return Job.get_by_id(job_id)


def _wait_done(job_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queue.drain(1)
        job = _job(job_id)
        if not job.is_active:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not finished in {timeout} s")


def _numbers(job_id):
    with db.connection_context():
        items = list(JobItem.select(JobItem, GeneratedDocument).join(GeneratedDocument)
                     .where(JobItem.job == job_id).order_by(JobItem.position))
        return [(item.document.serial, item.document.sha256) for item in items]


def test_batch_page_registers_drafts_in_order_with_pdfs_and_one_zip(app, login_as, fake_pdf):
    client = login_as("department")
    org = client.user.organization_id
    ids = make_drafts(4, org)
    page = client.get("/orders/batch").get_data(as_text=True)
    assert all(f'value="{i}"' in page for i in ids) and "Сформировать пакет" in page
    response = client.post("/orders/batch", data={"orders": [str(i) for i in ids],
                                                  "with_pdf": "y"})
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    job = _wait_done(job_id)
    assert (job.status, job.done, job.total, job.failed) == ("done", 4, 4, 0)

    with db.connection_context():
        items = list(JobItem.select().where(JobItem.job == job_id).order_by(JobItem.position))
        documents = [GeneratedDocument.get_by_id(i.document_id) for i in items]
        orders = [Order.get_by_id(i) for i in ids]
    assert [d.serial for d in documents] == [1, 2, 3, 4]  # numbers in the listed order
    assert [o.document_id for o in orders] == [d.id for d in documents]
    assert all(d.pdf_status == "done" for d in documents)

    shown = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "4 из 4" in shown and "every 1s" not in shown and "Скачать архив" in shown
    archive = client.get(f"/jobs/{job_id}/zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert len(names) == 8 and sum(n.endswith(".pdf") for n in names) == 4
    assert names[0].startswith("001 № 1 ")
    # Rebuilt (as after a restart), the archive is the same stored file.
    with app.app_context(), db.connection_context():
        assert engine.build_zip(job_id) == _job(job_id).zip_sha256


def test_a_failing_record_is_reported_and_the_rest_go_on(app, login_as, fake_pdf):
    client = login_as("department")
    ids = make_drafts(3, client.user.organization_id)
    with app.app_context(), db.connection_context():
        from blueprints.orders import services
        services.register_order(Order.get_by_id(ids[1]), None)  # registered meanwhile
        job = engine.start("orders.register", ids, client.user, with_pdf=False)
    job = _wait_done(job.id)
    assert (job.status, job.done, job.failed) == ("done", 3, 1)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Приказ уже зарегистрирован" in page and "3 из 3" in page
    with db.connection_context():
        statuses = [i.status for i in JobItem.select().where(JobItem.job == job.id)
                    .order_by(JobItem.position)]
    assert statuses == ["done", "failed", "done"]


def test_progress_polls_while_running_and_cancel_stops_the_rest(app, login_as):
    client = login_as("department")
    ids = make_drafts(3, client.user.organization_id)
    with app.app_context(), db.connection_context():
        # Created as start() does, but not queued yet: as a worker would find it.
        job = Job.create(kind="orders.register", title="Пакет", total=3, with_pdf=False,
                         created_by=client.user.id, organization=client.user.organization_id)
        for n, order_id in enumerate(ids):
            JobItem.create(job=job, position=n, record_id=order_id, label=f"Приказ {n}")
    fragment = client.get(f"/jobs/{job.id}/progress", headers=HX).get_data(as_text=True)
    assert "0 из 3" in fragment and 'hx-trigger="every 1s"' in fragment
    assert client.get(f"/jobs/{job.id}/progress").status_code == 303  # not htmx: to the page

    # Cancelled while running: the worker stops before the next item.
    with db.connection_context():
        Job.update(status="running", worker="elsewhere/1/1").where(Job.id == job.id).execute()
    answer = client.post(f"/jobs/{job.id}/cancel", headers=HX).get_data(as_text=True)
    assert "отменяется" in answer
    with app.app_context(), db.connection_context():
        Job.update(worker="").where(Job.id == job.id).execute()
        engine.run(job.id)
    job = _job(job.id)
    assert job.status == "cancelled" and job.done == 3 and not job.zip_sha256
    with db.connection_context():
        assert GeneratedDocument.select().count() == 0
    assert "every 1s" not in client.get(f"/jobs/{job.id}").get_data(as_text=True)


def test_a_queued_job_is_cancelled_at_once(app, login_as):
    client = login_as("centre")
    with app.app_context(), db.connection_context():
        job = Job.create(kind="orders.register", title="Пакет", total=1,
                         created_by=client.user.id, organization=client.user.organization_id)
        JobItem.create(job=job, position=0, record_id=1, label="Приказ")
    assert client.post(f"/jobs/{job.id}/cancel").status_code == 303
    assert _job(job.id).status == "cancelled"
    with app.app_context(), db.connection_context():
        assert engine.run(job.id) is False  # a late worker does nothing


def test_a_job_is_seen_only_by_its_organisation(app, login_as):
    owner = login_as("department")
    job = create_finished_job(app, owner.user.organization_id)
    assert owner.get(f"/jobs/{job.id}").status_code == 200
    assert owner.get(f"/jobs/{job.id}/zip").status_code == 200
    assert "Пакет приказов (1)" in owner.get("/jobs/").get_data(as_text=True)
    other = login_as("centre")
    for url in (f"/jobs/{job.id}", f"/jobs/{job.id}/zip", f"/jobs/{job.id}/progress"):
        assert other.get(url, headers=HX).status_code == 404
    assert other.post(f"/jobs/{job.id}/cancel").status_code == 404
    assert "Пакет приказов (1)" not in other.get("/jobs/").get_data(as_text=True)
    assert login_as("admin").get(f"/jobs/{job.id}").status_code == 200
    assert login_as("school").get(f"/jobs/{job.id}").status_code == 403


def test_batch_form_accepts_only_the_users_own_drafts(app, login_as, make_org):
    client = login_as("department")
    foreign = make_drafts(1, make_org(kind="department").id)
    response = client.post("/orders/batch", data={"orders": [str(foreign[0])]})
    assert response.status_code == 422
    assert client.post("/orders/batch", data={"orders": [str(10**30)]}).status_code == 422
    with db.connection_context():
        assert Job.select().count() == 0


# --- Real workers, killed with SIGKILL ---------------------------------------------------------


def _queue_settings(tmp_path):
    url = os.environ.get("OPORA_QUEUE_URL", "")
    return url, str(tmp_path / "queue.db"), f"opora-test-{uuid.uuid4().hex[:8]}"


def _start_worker(app, settings, log):
    url, filename, name = settings
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"],
               STORAGE_DIR=app.config["STORAGE_DIR"], SECRET_KEY="test-secret",
               OPORA_QUEUE_URL=url, OPORA_QUEUE_FILE=filename, OPORA_QUEUE_NAME=name,
               OPORA_DEMO="0", OPORA_PDF_PORT="0", OPORA_JOB_ITEM_PAUSE="0.1")
    return subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "worker.huey", "-w", "1", "-k", "thread",
         "-d", "0.05", "-m", "0.2", "-b", "1.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)  # reaped: its pid is really gone for the next worker's check


def _poll(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def real_queue(app, tmp_path):
    settings = _queue_settings(tmp_path)
    queue.configure(*settings)
    expected = "RedisStorage" if settings[0].startswith("redis") else "SqliteStorage"
    assert type(queue.huey.storage).__name__ == expected
    workers = []
    yield settings, workers
    for process in workers:
        if process.poll() is None:
            _kill(process)
    if settings[0]:
        queue.huey.storage.flush_all()
    queue.configure("memory://")


def test_a_worker_killed_mid_batch_finishes_it_exactly_once_after_restart(
        app, make_user, real_queue, tmp_path):
    settings, workers = real_queue
    user = make_user("department")
    count = 12
    ids = make_drafts(count, user.organization_id)
    with app.app_context(), db.connection_context():
        job = engine.start("orders.register", ids, user, with_pdf=False)

    log = open(tmp_path / "worker.log", "ab")
    workers.append(_start_worker(app, settings, log))
    _poll(lambda: _job(job.id).done >= 3, 60, "the first items")
    _kill(workers[-1])
    killed_at = _job(job.id)
    assert killed_at.status == "running" and killed_at.done < count, "killed too late"

    workers.append(_start_worker(app, settings, log))
    finished = _poll(lambda: (lambda j: j if not j.is_active else None)(_job(job.id)), 90,
                     "the job to finish after the restart")
    _kill(workers[-1])
    assert (finished.status, finished.done, finished.failed) == ("done", count, 0), \
        (tmp_path / "worker.log").read_text()[-3000:]

    with app.app_context(), db.connection_context():
        documents = list(GeneratedDocument.select().order_by(GeneratedDocument.serial))
        assert [d.serial for d in documents] == list(range(1, count + 1))  # no gap, no twin
        files = storage()
        assert all(files.exists(d.sha256) and files.get(d.sha256)[:2] == b"PK" for d in documents)
        registered = {o.id: o.document_id for o in Order.select().where(Order.id.in_(ids))}
        assert sorted(registered.values()) == sorted(d.id for d in documents)
        assert len(files.get(finished.zip_sha256)) > 0
        names = zipfile.ZipFile(io.BytesIO(files.get(finished.zip_sha256))).namelist()
        assert len(names) == count
    # No half-written files: every stored file is complete (write-then-rename leaves no temp).
    leftovers = [p for p in Path(app.config["STORAGE_DIR"], "files").rglob("*")
                 if p.is_file() and len(p.name) != 64]
    assert leftovers == []


def test_two_workers_never_run_one_job_twice(app, make_user, real_queue, tmp_path):
    """A second worker (another host's, as far as the lease knows) finds the job held."""
    settings, workers = real_queue
    user = make_user("department")
    ids = make_drafts(6, user.organization_id)
    with app.app_context(), db.connection_context():
        job = engine.start("orders.register", ids, user, with_pdf=False)
        engine.run_job(job.id)  # a duplicate message, as a resume on another host would queue
    log = open(tmp_path / "worker.log", "ab")
    workers.extend([_start_worker(app, settings, log), _start_worker(app, settings, log)])
    finished = _poll(lambda: (lambda j: j if not j.is_active else None)(_job(job.id)), 90,
                     "the job to finish")
    assert (finished.status, finished.done) == ("done", 6)
    with db.connection_context():
        assert [d.serial for d in GeneratedDocument.select().order_by(
            GeneratedDocument.serial)] == [1, 2, 3, 4, 5, 6]


def test_only_jobs_nobody_runs_are_resumed(app, make_user):
    """A dead worker's job (its pid gone from this host) or an expired lease is put back on
    the queue; a live lease, here or on another host, is left alone."""
    from datetime import timedelta

    from models import now
    user = make_user("department")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = engine.socket.gethostname()
    later, earlier = now() + timedelta(minutes=5), now() - timedelta(minutes=1)
    with app.app_context(), db.connection_context():
        def job(worker, lease, status="running"):
            return Job.create(kind="orders.register", title="Пакет", status=status, total=0,
                              worker=worker, lease_until=lease, created_by=user.id,
                              organization=user.organization_id).id
        dead_here = job(f"{host}/{dead.pid}/1", later)
        alive_here = job(f"{host}/{os.getpid()}/1", later)
        other_host = job("elsewhere/1/1", later)
        expired = job("elsewhere/1/1", earlier)
        finished = job(f"{host}/{dead.pid}/1", later, status="done")
        assert set(engine.resumable()) == {dead_here, expired}
        assert {alive_here, other_host, finished}.isdisjoint(engine.resumable())


def test_a_background_process_in_a_session_of_its_own_gets_its_nice_against_other_sessions():
    """With autogroup scheduling nice counts only inside a session: the worker and every warm
    LibreOffice (each a session of its own) give their session's group the same nice, and a
    process sharing a session with others (the web server) is left alone."""
    from blueprints.jobs import priority
    if not priority.autogroup_path().exists():
        pytest.skip("no autogroup scheduling on this kernel")
    own = subprocess.Popen(["sleep", "29"], start_new_session=True)  # not test_pdf's "sleep 30"
    shared = subprocess.Popen(["sleep", "29"])
    ours = priority.autogroup_path().read_text()
    try:
        assert priority.hold_back(own.pid, nice=10)
        assert priority.autogroup_path(own.pid).read_text().split()[-1] == "10"
        assert not priority.hold_back(shared.pid, nice=10)  # not a session leader
        assert not priority.hold_back(own.pid, nice=0)  # nothing to hold back
        assert priority.autogroup_path().read_text() == ours
    finally:
        for process in (own, shared):
            process.kill()
            process.wait()
