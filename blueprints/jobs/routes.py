"""Bulk jobs' pages: progress «N из M» (htmx polling), per-item results, cancel, the archive.

A job is seen by its creator's organisation only (an admin sees every one); 404 otherwise.
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from peewee import JOIN

from models import GeneratedDocument, Job, JobItem

from ..auth.access import STAFF, access, get_visible_or_404
from ..core.audit import audit
from ..core.downloads import send_bytes
from ..core.errors import fail
from ..core.forms import ConfirmForm
from ..core.htmx import wants_fragment
from ..core.pagination import paginate
from ..documents.storage import storage
from . import engine
from .batches import all_kinds

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _get(job_id):
    return get_visible_or_404(Job.visible_to(current_user), Job, job_id)


def _items(job):
    return (JobItem.select(JobItem, GeneratedDocument)
            .join(GeneratedDocument, on=(JobItem.document == GeneratedDocument.id),
                  join_type=JOIN.LEFT_OUTER)
            .where(JobItem.job == job.id).order_by(JobItem.position))


def _context(job):
    kind = all_kinds().get(job.kind)
    return {"job": job, "items": _items(job), "form": ConfirmForm(),
            "back_url": url_for(kind.back_url) if kind and kind.back_url else None}


@bp.route("/")
@access(*STAFF)
def index():
    query = Job.visible_to(current_user).order_by(Job.created_at.desc(), Job.id.desc())
    page = paginate(query, request.args.get("page", 1, type=int), current_app.config["PER_PAGE"])
    return render_template("jobs/index.html", page=page)


@bp.route("/<int:job_id>")
@access(*STAFF)
def show(job_id):
    return render_template("jobs/show.html", **_context(_get(job_id)))


@bp.route("/<int:job_id>/progress")
@access(*STAFF)
def progress(job_id):
    """The progress block; it polls itself every second while the job runs."""
    job = _get(job_id)
    if not wants_fragment():
        return redirect(url_for("jobs.show", job_id=job.id), code=303)
    return render_template("jobs/_progress.html", **_context(job))


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@access(*STAFF)
def cancel(job_id):
    job = _get(job_id)
    if not ConfirmForm().validate_on_submit():
        fail(400, "Форма устарела: обновите страницу.")
    if job.is_active:
        job = engine.cancel(job)
        audit("job_cancelled", details=f"{job.id} {job.title}")
        if not wants_fragment():
            flash("Пакет отменён: готовые документы остаются в реестре.", "info")
    if wants_fragment():
        return render_template("jobs/_progress.html", **_context(job))
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


@bp.route("/<int:job_id>/zip")
@access(*STAFF)
def download(job_id):
    job = _get(job_id)
    if not job.zip_sha256 or not storage().exists(job.zip_sha256):
        fail(404, "Архив пакета ещё не готов.")
    return send_bytes(storage().get(job.zip_sha256), f"Пакет {job.id}.zip",
                      mimetype="application/zip")
