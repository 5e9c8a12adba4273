"""Bulk jobs: start one, run it on the queue exactly once, cancel it, hand out its archive.

Exactly once, whatever kills the worker:
- a job is run by one worker at a time: it holds a lease (`Job.worker`, `Job.lease_until`),
  renewed after every item; another worker takes the job over only when the lease has run out
  or (on the same host) the holder's process is gone;
- an item's registration (its number, file and row) and the item's change from «pending» to
  «registered» commit in one transaction: a worker killed before the commit leaves no number
  taken and no row, and the next run does the item again; killed after, the next run skips it;
- files go through storage's write-then-rename; the archive is built the same way every time
  (fixed order, fixed timestamps), so a rebuilt one is the same file;
- huey removes a task from the queue when a worker takes it, so a killed worker's task is gone:
  every starting consumer and a periodic task every minute put unfinished jobs back.
"""
import io
import logging
import os
import re
import socket
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import timedelta

from flask import current_app
from huey import crontab
from peewee import OperationalError, fn

from models import ACTIVE_JOB_STATUSES, GeneratedDocument, Job, JobItem, db, now

from ..documents import pdf
from ..documents.storage import storage
from . import queue
from .batches import ItemError, get_kind

log = logging.getLogger("opora.jobs")
huey = queue.huey

LEASE = timedelta(minutes=10)  # longer than one item can take (a PDF waits ≤ 5 min for a slot)
FINISHED_ITEM = ("done", "failed", "cancelled")


# --- Starting and cancelling (web side) --------------------------------------------------------


def start(kind_key, record_ids, user, title=None, with_pdf=True):
    """Create the job with its items, then queue it. Returns the Job."""
    kind = get_kind(kind_key)
    with db.atomic():
        job = Job.create(kind=kind.key, title=(title or kind.title)[:500], total=len(record_ids),
                         with_pdf=with_pdf, created_by=user.id,
                         organization=user.organization_id)
        labels = kind.labels(record_ids)  # one query for the lot, not one per record
        rows = [{"job": job.id, "position": i, "record_id": record_id,
                 "label": labels[record_id][:500]} for i, record_id in enumerate(record_ids)]
        for chunk in range(0, len(rows), 100):
            JobItem.insert_many(rows[chunk:chunk + 100]).execute()
    run_job(job.id)  # after the commit: the worker must find the rows
    return job


def cancel(job):
    """Ask the job to stop; one not yet taken by a worker is cancelled at once."""
    with db.atomic():
        stopped = Job.update(status="cancelled", cancel_requested=True, finished_at=now()).where(
            (Job.id == job.id) & (Job.status == "queued") & (Job.worker == "")).execute()
        if stopped:
            JobItem.update(status="cancelled", error="Отменено.").where(
                (JobItem.job == job.id) & (JobItem.status == "pending")).execute()
        else:
            Job.update(cancel_requested=True).where(
                (Job.id == job.id) & Job.status.in_(ACTIVE_JOB_STATUSES)).execute()
    return Job.get_by_id(job.id)


# --- Who runs a job ----------------------------------------------------------------------------


def worker_id():
    return f"{socket.gethostname()}/{os.getpid()}/{threading.get_ident()}"


def _holder_alive(holder):
    """False when the lease holder ran on this host and its process is gone."""
    try:
        host, pid, _ = holder.split("/")
        pid = int(pid)
    except ValueError:
        return False
    if host != socket.gethostname():
        return True  # another host: only its lease's end tells
    if pid == os.getpid():
        return True  # another thread of this process (our own id never gets here)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _held(job, me=None):
    return bool(job.worker) and job.worker != me and job.lease_until is not None \
        and job.lease_until > now() and _holder_alive(job.worker)


def _claim(job_id, me):
    """Take the job's lease (compare-and-set on the previous holder). True when ours."""
    with db.atomic():
        job = Job.get_or_none(Job.id == job_id)
        if job is None or job.status not in ACTIVE_JOB_STATUSES or _held(job, me):
            return False
        return Job.update(worker=me, lease_until=now() + LEASE).where(
            (Job.id == job_id) & (Job.worker == job.worker)).execute() == 1


def _renew(job_id, me):
    """Extend our lease; False if another worker took the job over (we then stop)."""
    return Job.update(lease_until=now() + LEASE).where(
        (Job.id == job_id) & (Job.worker == me)).execute() == 1


def resumable():
    """Ids of unfinished jobs nobody runs: their worker died, or their message was lost."""
    stale = now() - timedelta(minutes=2)
    jobs = Job.select().where(Job.status.in_(ACTIVE_JOB_STATUSES))
    return [job.id for job in jobs
            if not _held(job) and (job.worker or job.created_at < stale)]


def resume():
    """Queue every job that should be running and is not. Returns their ids."""
    ids = resumable()
    for job_id in ids:
        log.info("resuming job %s", job_id)
        run_job(job_id)
    return ids


queue.on_worker_start(resume, "unfinished jobs")


@huey.periodic_task(crontab(minute="*"))
def resume_jobs():
    with queue.app_context():
        resume()


# --- Running ---------------------------------------------------------------------------------


@huey.task()
def run_job(job_id):
    with queue.app_context():
        run(job_id)


def run(job_id, me=None):
    """Run (or finish) a job in this process; a no-op when another live worker has it."""
    me = me or worker_id()
    if not _claim(job_id, me):
        return False
    job = Job.get_by_id(job_id)
    kind = get_kind(job.kind)
    Job.update(status="running", started_at=fn.COALESCE(Job.started_at, now())).where(
        (Job.id == job_id) & Job.status.in_(ACTIVE_JOB_STATUSES)).execute()
    with_pdf = job.with_pdf and pdf.available()
    if job.with_pdf and not with_pdf:
        Job.update(note=pdf.UNAVAILABLE + ": в пакете только .docx.").where(
            Job.id == job_id).execute()
    pause = float(current_app.config.get("JOB_ITEM_PAUSE") or 0)
    items = list(JobItem.select().where(
        (JobItem.job == job_id) & JobItem.status.in_(("pending", "registered")))
        .order_by(JobItem.position))
    cancelled = False
    # Registration is sequential (numbers in the listed order); each registered item's PDF is
    # converted meanwhile by a pool one narrower than the host's cores, so a package never
    # takes the last core from the web pages.
    app = current_app._get_current_object()
    with ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 1) - 1),
                            thread_name_prefix=f"job-{job_id}-pdf") as pool:
        pending = set()
        for item in items:
            if not _renew(job_id, me):
                log.warning("job %s was taken over by another worker", job_id)
                pool.shutdown(wait=True, cancel_futures=True)
                return False
            if Job.select(Job.cancel_requested).where(Job.id == job_id).scalar():
                cancelled = True
                break
            if item.status == "pending" and not _register(kind, job, item):
                _progress(job_id)
                continue
            if with_pdf:
                pending.add(pool.submit(_finish_in_thread, app, job_id, item.id))
            else:
                _finish_item(item.id, False)
                _progress(job_id)
            if pause:
                time.sleep(pause)
        while pending:  # the conversions still running; the lease stays ours meanwhile
            _, pending = wait(pending, timeout=30)
            _renew(job_id, me)
    _complete(job_id, me, cancelled)
    return True


def _finish_in_thread(app, job_id, item_id, attempts=3):
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            for attempt in range(1, attempts + 1):
                try:
                    _finish_item(item_id, True)
                    _progress(job_id)
                    break
                except OperationalError:
                    # SQLite's write lock, held almost without a gap by the registering loop
                    # (measured: one item of 200 agreements + plans waited out the 10 s busy
                    # timeout on a loaded host): try again, the PDF is cached by then or redone.
                    if attempt == attempts:
                        raise
                    log.warning("pdf of job item %s: database busy, attempt %d", item_id, attempt)
                    time.sleep(0.5 * attempt)
        except Exception:
            log.exception("pdf of job item %s", item_id)
        finally:
            if not db.is_closed():
                db.close()


def _register(kind, job, item):
    """Register one item's document; True when it is registered, False when it failed."""
    try:
        with db.atomic() as transaction:
            document = kind.register(item.record_id, job)
            changed = JobItem.update(status="registered", document=document.id).where(
                (JobItem.id == item.id) & (JobItem.status == "pending")).execute()
            if not changed:  # another run got here first: take nothing
                transaction.rollback()
                return JobItem.get_by_id(item.id).status == "registered"
        return True
    except ItemError as error:
        reason = str(error)
    except Exception as error:
        reason = _reason(error)
    JobItem.update(status="failed", error=reason[:2000], finished_at=now()).where(
        (JobItem.id == item.id) & (JobItem.status == "pending")).execute()
    return False


def _reason(error):
    from ..documents.engine import RenderError  # the message is already Russian and safe

    if isinstance(error, RenderError):
        return str(error)
    log.exception("job item failed")
    return "Внутренняя ошибка при формировании документа."


def _finish_item(item_id, with_pdf):
    item = JobItem.get_by_id(item_id)
    pdf_error = ""
    if with_pdf and item.document_id:
        kind = get_kind(Job.get_by_id(item.job_id).kind)
        for document in kind.documents_of(item):  # its own, then its companions
            try:
                pdf.ensure_pdf(document, wait=pdf.BACKGROUND_WAIT)
            except pdf.PdfError as error:
                pdf_error = str(error)
    JobItem.update(status="done", pdf_error=pdf_error[:2000], finished_at=now()).where(
        (JobItem.id == item_id) & (JobItem.status == "registered")).execute()


def _progress(job_id):
    counts = dict(JobItem.select(JobItem.status, fn.COUNT(JobItem.id)).where(
        JobItem.job == job_id).group_by(JobItem.status).tuples())
    Job.update(done=sum(counts.get(s, 0) for s in FINISHED_ITEM),
               failed=counts.get("failed", 0)).where(Job.id == job_id).execute()


def _complete(job_id, me, cancelled):
    if cancelled:
        JobItem.update(status="cancelled", error="Отменено.", finished_at=now()).where(
            (JobItem.job == job_id) & (JobItem.status == "pending")).execute()
    _progress(job_id)
    sha256 = build_zip(job_id)
    Job.update(status="cancelled" if cancelled else "done", zip_sha256=sha256 or "",
               finished_at=now(), worker="", lease_until=None).where(
        (Job.id == job_id) & (Job.worker == me)).execute()


# --- The archive -------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _name(text, limit=80):
    """A file name from a title: a long one is cut at a word, never inside «…» of a name."""
    clean = _UNSAFE.sub("_", text).strip(" ._")
    if len(clean) > limit:
        clean = clean[:limit].rsplit(" ", 1)[0].rstrip(" «(—–-,_")
    return clean or "документ"


def build_zip(job_id):
    """Store the .zip of the job's documents (.docx and .pdf); its sha256, or None if empty.

    The same items give the same bytes (fixed order and timestamps): rebuilt after a restart,
    it is the same stored file."""
    items = (JobItem.select(JobItem, GeneratedDocument).join(GeneratedDocument)
             .where((JobItem.job == job_id) & (JobItem.status == "done"))
             .order_by(JobItem.position))
    kind = get_kind(Job.get_by_id(job_id).kind)
    files = storage()
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            documents = [item.document]
            if kind.companions:
                documents += kind.companions(item.record_id, item.document)
            parts = []
            for index, document in enumerate(documents):
                base = (f"{item.position + 1:03d}{'' if index == 0 else f'-{index + 1}'} "
                        f"№ {_name(document.number or '')} {_name(document.title, 60)}")
                parts.append((f"{base}.docx", document.sha256))
                if document.pdf_sha256 and files.exists(document.pdf_sha256):
                    parts.append((f"{base}.pdf", document.pdf_sha256))
            for name, sha256 in parts:
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files.get(sha256))
            count += 1
    return files.put(buffer.getvalue()) if count else None
