"""The daily job: deadline events (in 7 days, overdue) for the work each school is responsible
for, then the digests. Each event has a key, so running it twice the same day raises nothing
twice, and an overdue event is raised once per deadline."""
from datetime import date, timedelta

from huey import crontab

from models import (ActivityOrganization, MonitoringCampaign, MonitoringReport, Partnership,
                    PlanRow, RoadmapActivity)
from models.roadmap import CLOSED

from ..core.filters import date_num
from ..core.mail import queue_digests
from ..core.notify import notify, school_users
from ..jobs.queue import app_context, huey

SOON = 7  # days
# Deadlines passed longer ago than this raise nothing: the first run is not a flood of history.
RECENT = 30  # days


def _activities(today):
    """(school id, activity) of road-map activities ending in SOON days or overdue."""
    school = ActivityOrganization.organization.alias("school_id")
    query = (RoadmapActivity.select(RoadmapActivity, school)
             .join(ActivityOrganization, on=(ActivityOrganization.activity == RoadmapActivity.id))
             .where(RoadmapActivity.ends_on.between(today - timedelta(days=RECENT),
                                                    today + timedelta(days=SOON))
                    & RoadmapActivity.status.not_in(CLOSED))
             .objects())
    for activity in query:
        url = f"/roadmaps/{activity.roadmap_id}#activity-{activity.id}"
        what = f"мероприятие дорожной карты «{activity.title[:200]}»"
        yield activity.school_id, activity, url, what, f"activity:{activity.id}"


def _reports(today):
    query = (MonitoringReport.select(MonitoringReport, MonitoringCampaign)
             .join(MonitoringCampaign)
             .where((MonitoringCampaign.status == "open")
                    & MonitoringReport.status.in_(("not_started", "draft", "returned"))
                    & MonitoringCampaign.deadline.between(today - timedelta(days=RECENT),
                                                          today + timedelta(days=SOON))))
    for report in query:
        campaign = report.campaign
        report.ends_on = campaign.deadline
        yield report.school_id, report, f"/monitoring/reports/{report.id}", \
            f"отчёт «{campaign.title[:200]}»", f"report:{report.id}"


def _plan_rows(today):
    query = (PlanRow.select(PlanRow, Partnership).join(Partnership)
             .where((PlanRow.status != "done")
                    & PlanRow.ends_on.between(today - timedelta(days=RECENT),
                                              today + timedelta(days=SOON))))
    for row in query:
        for school in (row.partnership.leader_id, row.partnership.partner_id):
            yield school, row, f"/partnerships/{row.partnership_id}", \
                f"мероприятие плана взаимодействия «{row.title[:200]}»", f"plan_row:{row.id}"


def raise_deadline_events(today=None):
    """Notify each responsible school's users; returns the number of notifications written."""
    today = today or date.today()
    written = 0
    users = {}
    for source in (_activities, _reports, _plan_rows):
        for school_id, item, url, what, key in source(today):
            if school_id not in users:
                users[school_id] = school_users(school_id)
            if item.ends_on < today:
                kind, text = "overdue", f"Срок прошёл {date_num(item.ends_on)}: {what}."
                key = f"overdue:{key}:{item.ends_on.isoformat()}"
            elif item.ends_on <= today + timedelta(days=SOON):
                kind, text = "deadline_soon", f"Срок {date_num(item.ends_on)}: {what}."
                key = f"soon:{key}:{item.ends_on.isoformat()}"
            else:
                continue
            written += len(notify(users[school_id], kind, text, url, key=key))
    return written


def daily(today=None):
    """The whole daily run: (events raised, digests queued)."""
    return raise_deadline_events(today), queue_digests()


@huey.periodic_task(crontab(hour="7", minute="0"))
def daily_reminders():
    with app_context():
        daily()

