"""A per-process cache of the consolidated table: stats.figures() reads every value of a
campaign and of its previous period (≈ 1 s for 500 schools × 30 indicators), and the data page,
its sorting, charts and downloads ask for the same table again and again.

An entry is valid while the fingerprint of the campaign's (and the previous period's) reports
is the same — their count, statuses, versions, submission and acceptance times and the count of
their values: a value changes only with a save (the version) or a review (the status) — and
for MAX_AGE seconds at most, for what the fingerprint cannot see (a school renamed, an
indicator edited)."""
import threading
import time
from collections import OrderedDict

from peewee import Case, fn

from models import CampaignIndicator, MonitoringReport, ReportValue, db

MAX_AGE = 60  # seconds
SIZE = 8  # tables kept per process (≈ 5 MB each for 500 × 30)

_entries = OrderedDict()
_lock = threading.Lock()


def fingerprint(campaign):
    """A tuple that changes whenever a value the table shows may have changed."""
    R = MonitoringReport
    ids = [campaign.id] + ([campaign.previous_id] if campaign.previous_id else [])
    reports = R.select(
        fn.COUNT(R.id), fn.SUM(R.version), fn.SUM(R.revision), fn.MAX(R.updated_at),
        fn.MAX(R.submitted_at), fn.MAX(R.accepted_at),
        fn.SUM(Case(R.status, (("submitted", 1), ("accepted", 1 << 20)), 0)),
    ).where(R.campaign.in_(ids)).tuples().get()
    values = ReportValue.select(fn.COUNT(ReportValue.id)).join(R).where(
        R.campaign.in_(ids)).scalar()
    form = CampaignIndicator.select(fn.COUNT(CampaignIndicator.id),
                                    fn.SUM(CampaignIndicator.position)).where(
        CampaignIndicator.campaign == campaign.id).tuples().get()
    return (str(db.database), campaign.id, campaign.previous_id, str(campaign.updated_at),
            campaign.period_label, reports, values, form)


def get_or_compute(campaign, variant, compute):
    key = (fingerprint(campaign), variant)
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and now - entry[0] < MAX_AGE:
            _entries.move_to_end(key)
            return entry[1]
    value = compute()  # outside the lock: other campaigns need not wait
    with _lock:
        _entries[key] = (now, value)
        _entries.move_to_end(key)
        while len(_entries) > SIZE:
            _entries.popitem(last=False)
    return value


def clear():
    with _lock:
        _entries.clear()
