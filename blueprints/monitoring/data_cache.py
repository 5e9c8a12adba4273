"""A per-process cache of the consolidated table and its charts: stats.figures() reads every
value of a campaign and of its previous period (≈ 1 s for 500 schools × 30 indicators), and the
data page, its sorting, charts and downloads ask for the same table again and again.

An entry is valid while the fingerprint of the campaign's (and the previous period's) reports
is the same — their count, statuses, versions, revisions, save, submission and acceptance
times: the table shows the values of submitted and accepted reports only, which change only
with a new status (returned, then submitted again) — and for MAX_AGE seconds at most, for what
the fingerprint cannot see (a school renamed, an indicator edited, a write that bypasses the
report's version). One aggregate over the reports' index: ≈ 1 ms for 1 000 reports."""
import hashlib

from peewee import Case, fn

from models import CampaignIndicator, MonitoringReport, db

from ..core import cache

MAX_AGE = 60  # seconds


SIZES = {"tables": 8,  # ≈ 5 MB each for 500 × 30
         "images": 64,  # chart PNGs, 50–200 KB each
         "pages": 64}  # rendered fragments (sort × order × page) and open-data files


def store(name):
    """The app's store `name` (core/cache.py)."""
    return cache.store(f"monitoring {name}", SIZES[name], MAX_AGE)


def fingerprint(campaign):
    """A tuple that changes whenever a value the table shows may have changed; read once per
    campaign instance (one request) and kept on it."""
    state = campaign.__dict__.get("_data_state")
    if state is None:
        state = campaign.__dict__["_data_state"] = _fingerprint(campaign)
    return state


def _fingerprint(campaign):
    R = MonitoringReport
    ids = [campaign.id] + ([campaign.previous_id] if campaign.previous_id else [])
    reports = R.select(
        fn.COUNT(R.id), fn.SUM(R.version), fn.SUM(R.revision), fn.MAX(R.updated_at),
        fn.MAX(R.submitted_at), fn.MAX(R.accepted_at),
        fn.SUM(Case(R.status, (("submitted", 1), ("accepted", 1 << 20)), 0)),
    ).where(R.campaign.in_(ids)).tuples().get()
    form = CampaignIndicator.select(fn.COUNT(CampaignIndicator.id),
                                    fn.SUM(CampaignIndicator.position)).where(
        CampaignIndicator.campaign == campaign.id).tuples().get()
    return (str(db.database), campaign.id, campaign.previous_id, str(campaign.updated_at),
            campaign.period_label, reports, form)


def get_or_compute(campaign, variant, compute):
    """The table of `campaign` in `variant` (with or without the change) from the cache."""
    return store("tables").get_or_compute((fingerprint(campaign), variant), compute)


def version(campaign):
    """A short token of the data's state, for URLs of charts a browser may keep."""
    return hashlib.sha256(repr(fingerprint(campaign)).encode()).hexdigest()[:16]
