"""What monitoring asks of each role (core/inbox.py): a school, its reports due, returned or
overdue; the centre, each open campaign's completeness."""
from flask import url_for
from peewee import Case, fn

from models import MonitoringCampaign, MonitoringReport

from ..core.inbox import Item

TODO = {"not_started": "Заполните отчёт", "draft": "Закончите и отправьте отчёт",
        "returned": "Отчёт возвращён с замечаниями: исправьте и отправьте снова"}


def waiting(user, today):
    if user.role == "school":
        reports = (MonitoringReport.select(MonitoringReport, MonitoringCampaign)
                   .join(MonitoringCampaign)
                   .where((MonitoringReport.school == user.organization_id)
                          & (MonitoringCampaign.status == "open")
                          & MonitoringReport.status.in_(tuple(TODO))))
        return [Item(f"{TODO[r.status]}: {r.campaign.title}",
                     url_for("monitoring.report", report_id=r.id), due=r.campaign.deadline)
                for r in reports]
    if user.role not in ("centre", "admin"):
        return []
    sent = fn.SUM(Case(None, [(MonitoringReport.status.in_(("submitted", "accepted")), 1)], 0))
    campaigns = (MonitoringCampaign.select(MonitoringCampaign, fn.COUNT(MonitoringReport.id)
                                           .alias("total"), sent.alias("sent"))
                 .join(MonitoringReport).where(MonitoringCampaign.status == "open")
                 .group_by(MonitoringCampaign.id).objects())
    return [Item(f"Мониторинг «{c.title}»: отправили {c.sent or 0} из {c.total}",
                 url_for("monitoring.campaign", campaign_id=c.id), due=c.deadline,
                 note="Напомните школам, которые не отправили отчёт, и проверьте отправленные.")
            for c in campaigns]
