"""«Справки для всех школ»: every school whose report of a campaign was sent or accepted gets
its summary (summary_documents.py) rendered, registered and converted to PDF, as one background
job (jobs.engine) with «N из M» progress and one .zip. An item is a school's report."""
from datetime import date

from wtforms import BooleanField

from models import GeneratedDocument, MonitoringReport, Organization

from ..core.forms import BaseForm
from ..documents import api as docs
from ..jobs.batches import BatchKind, ItemError
from .stats import COUNTED
from .summary_documents import KEY

SOURCE = "monitoring_report"


def reports_of(campaign):
    """The reports a summary is made for: sent or accepted, by school name."""
    return list(MonitoringReport.select(MonitoringReport.id).join(
        Organization, on=(MonitoringReport.school == Organization.id))
        .where((MonitoringReport.campaign == campaign.id)
               & MonitoringReport.status.in_(COUNTED))
        .order_by(Organization.short_name, Organization.id))


def _labels(report_ids):
    names = dict(MonitoringReport.select(MonitoringReport.id, Organization.short_name)
                 .join(Organization, on=(MonitoringReport.school == Organization.id))
                 .where(MonitoringReport.id.in_(report_ids)).tuples())
    return {report_id: f"Справка: {names.get(report_id, f'отчёт {report_id}')}"
            for report_id in report_ids}


def _register(report_id, job):
    report = MonitoringReport.get_or_none(MonitoringReport.id == report_id)
    if report is None:
        raise ItemError("Отчёт школы удалён.")
    if report.status not in COUNTED:
        raise ItemError("Отчёт школы возвращён или не отправлен: справка по нему не "
                        "составляется.")
    # A package run again (late reports, a value corrected) makes a school's summary a new
    # version under its number, not a second number.
    earlier = GeneratedDocument.from_source(SOURCE, report.id, KEY).where(
        GeneratedDocument.status.in_(("registered", "published"))).first()
    if earlier is not None:
        return docs.correct(earlier, report, author=job.created_by_id)
    school = Organization.get_by_id(report.school_id)
    centre = Organization.centre()
    return docs.register(KEY, report, title=f"Справка о результатах мониторинга: "
                         f"{school.short_name}", on_date=date.today(),
                         author=job.created_by_id, organization=centre.id if centre else None,
                         source=(SOURCE, report.id))


SCHOOL_SUMMARIES = BatchKind(key="monitoring.school_summaries",
                             title="Справки о результатах мониторинга по школам",
                             labels=_labels, register=_register, back_url="monitoring.campaigns")


class SummariesForm(BaseForm):
    with_pdf = BooleanField("с PDF", default=True)
