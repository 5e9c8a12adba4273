"""Writes of school reports: saving values (the shared autosave mechanism), submission, the
centre's review (remarks, return, acceptance) and the import of many schools' values. No
request access here; the views check who may act."""
import re
from decimal import Decimal

from peewee import Case

from models import (IndicatorRule, MonitoringCampaign, MonitoringReport, ReportEvidence,
                    ReportRemark, ReportValue, db, now)
from models.monitoring import REPORT_EDITABLE

from ..core import evidence, review
from ..core.autosave import EditConflict, save_versioned
from ..core.filters import plural_ru
from ..core.notify import notify, school_users
from ..core.values import check_values, read_value

# Characters XML and databases refuse (NUL breaks PostgreSQL), as core/forms.py refuses them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
CLOSED = "Сбор по кампании завершён: отчёт больше не принимается. Обратитесь в методический центр."
EVIDENCE = evidence.EvidenceKind(ReportEvidence, "report")
COMMENT_LIMIT = 2000
TEXT_LIMIT = 2000  # ReportValue.text


class NotEditable(Exception):
    """The report is not open for changes (sent, accepted, or the campaign closed); the
    message is Russian."""


class InvalidTransition(Exception):
    """The action does not fit the report's status; the message is Russian."""


class Incomplete(Exception):
    """A submission with empty or wrong values: `missing` [Indicator], `errors` {code: [msg]}."""

    def __init__(self, missing, errors):
        super().__init__("incomplete")
        self.missing, self.errors = missing, errors


def active_rules():
    return list(IndicatorRule.select().where(IndicatorRule.is_active == True))  # noqa: E712


def stored_texts(report_id):
    """({code: text as typed}, {code: comment}) of a report's stored values."""
    texts, comments = {}, {}
    for value in (ReportValue.select(ReportValue.text, ReportValue.comment, ReportValue.indicator)
                  .where(ReportValue.report == report_id)):
        texts[value.indicator_id], comments[value.indicator_id] = value.text, value.comment
    return texts, comments


def number_of(value):
    """The number a table counts for a read value: yes/no as 1/0; none for a choice or text."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, (int, Decimal)):
        return value
    return None


def _campaign_open(report):
    return MonitoringCampaign.select().where(
        (MonitoringCampaign.id == report.campaign_id)
        & (MonitoringCampaign.status == "open")).exists()


def _write_values(report_id, indicators, raw, comments, errors):
    """Store each indicator's text and number. A field with an error is kept as typed (its number
    when it reads as one): the typing survives a closed tab, the page shows its message again on opening,
    and the report cannot be sent until it is fixed (check_complete reads the stored texts).
    Writes only what changed: an autosave usually changes one."""
    existing = {v.indicator_id: v for v in ReportValue.select().where(
        ReportValue.report == report_id)}
    for indicator in indicators:
        text = _CONTROL.sub("", raw.get(indicator.code) or "").strip()[:TEXT_LIMIT]
        comment = (comments.get(indicator.code) or "").strip()[:COMMENT_LIMIT]
        row = existing.get(indicator.id)
        value, _ = read_value(indicator, text)
        number = number_of(value)  # None when the text does not read: tables skip it
        if indicator.code in errors:
            pass  # as typed
        elif indicator.value_type == "bool" and value is not None:
            text = "да" if value else "нет"  # «1», «Да» from a file: as the select shows it
        elif indicator.value_type == "choice" and value is not None:
            text = value  # the option as the catalogue writes it
        if not text and not comment:
            if row is not None:
                ReportValue.delete().where(ReportValue.id == row.id).execute()
            continue
        if row is None:
            ReportValue.create(report=report_id, indicator=indicator.id, text=text,
                               number=number, comment=comment)
        elif (row.text, row.comment) != (text, comment) or (
                row.number is None) != (number is None) or (
                number is not None and row.number != number):
            ReportValue.update(text=text, number=number, comment=comment).where(
                ReportValue.id == row.id).execute()


def check_report(indicators, rules, raw):
    """{code: [messages]} of a report's posted texts: check_values, and a control character
    is a wrong value too (PostgreSQL refuses NUL; a document would break)."""
    errors = check_values(indicators, rules, raw)
    for indicator in indicators:
        if _CONTROL.search(raw.get(indicator.code) or ""):
            errors[indicator.code] = ["Поле содержит недопустимые управляющие символы."]
    return errors


def save_report(report, indicators, raw, comments, version, token, author, by_centre=False,
                rules=None):
    """Check the posted texts and store them; (new version, {code: [errors]}). A field with an
    error (its own or a broken rule) is stored as typed too. Conflicts are raised
    (EditConflict), never overwritten; NotEditable when the report was sent meanwhile or the
    campaign is closed. The first save makes a report not started a draft."""
    errors = check_report(indicators, active_rules() if rules is None else rules, raw)
    comments = {code: _CONTROL.sub("", text or "") for code, text in comments.items()}
    changes = {"status": Case(None, [(MonitoringReport.status == "not_started", "draft")],
                              MonitoringReport.status),
               "updated_at": now(), "updated_by": author}
    if by_centre:
        changes["filled_by_centre"] = True
    open_campaigns = MonitoringCampaign.select(MonitoringCampaign.id).where(
        MonitoringCampaign.status == "open")
    where = ((MonitoringReport.id == report.id) & MonitoringReport.status.in_(REPORT_EDITABLE)
             & MonitoringReport.campaign.in_(open_campaigns))
    with db.atomic():
        try:
            saved = save_versioned(MonitoringReport, where, version, token, **changes)
        except MonitoringReport.DoesNotExist:  # sent meanwhile, or the campaign closed
            raise NotEditable(CLOSED if not _campaign_open(report) else
                              "Отчёт уже отправлен в центр: изменения не сохранены.") from None
        _write_values(report.id, indicators, raw, comments, errors)
    return saved, errors


def check_complete(report, indicators, rules=None):
    """Raise Incomplete unless every indicator has a stored value and none breaks a check."""
    texts, _ = stored_texts(report.id)
    raw = {i.code: texts.get(i.id, "") for i in indicators}
    missing = [i for i in indicators if not raw[i.code].strip()]
    errors = check_values(indicators, active_rules() if rules is None else rules, raw)
    if missing or errors:
        raise Incomplete(missing, errors)


def _move(report, allowed, status, **changes):
    """Change the status only if it is still one of `allowed` (two clicks: one wins)."""
    done = MonitoringReport.update(status=status, updated_at=now(), **changes).where(
        (MonitoringReport.id == report.id) & MonitoringReport.status.in_(allowed)).execute()
    if not done:
        raise InvalidTransition("Статус отчёта уже изменился: обновите страницу.")


def submit_report(report, indicators, author, rules=None):
    """Send to the centre: every value present and correct, the campaign still open. The
    revision number of the submission."""
    with db.atomic():
        if not _campaign_open(report):
            raise NotEditable(CLOSED)
        check_complete(report, indicators, rules)
        number = MonitoringReport.get_by_id(report.id).revision + 1
        _move(report, REPORT_EDITABLE, "submitted", revision=number, submitted_at=now(),
              updated_by=author)
    return number


def save_and_submit(report, indicators, raw, comments, version, token, author,
                    by_centre=False, rules=None):
    """«Отправить в центр» from the form: save the posted values and send, in one transaction
    (Incomplete, NotEditable or EditConflict leave the report as it was)."""
    rules = active_rules() if rules is None else rules
    with db.atomic():
        _, errors = save_report(report, indicators, raw, comments, version, token, author,
                                by_centre, rules)
        if errors:
            raise Incomplete([], errors)
        return submit_report(report, indicators, author, rules)


def _campaign_title(report):
    return MonitoringCampaign.get_by_id(report.campaign_id).title


def _tell_school(report, kind, text):
    notify(school_users(report.school_id), kind, text, f"/monitoring/reports/{report.id}")


def open_remarks(report, revision=None):
    return review.open_remarks(ReportRemark, ReportRemark.report, report.id, revision)


def add_remark(report, field, label, text, author):
    if report.status != "submitted":
        raise InvalidTransition("Замечания пишут к отправленному отчёту.")
    return review.add_remark(ReportRemark, {"report": report.id}, field, label, text,
                             report.revision, author)


def answer_remark(remark, report, answer, author):
    if report.status not in REPORT_EDITABLE:
        raise InvalidTransition("Отвечать на замечания можно, пока отчёт на доработке.")
    review.answer_remark(remark, answer, author)


def return_report(report):
    if report.status != "submitted":
        raise InvalidTransition("Вернуть на доработку можно только отправленный отчёт.")
    if not open_remarks(report, report.revision).exists():
        raise InvalidTransition("Напишите хотя бы одно замечание: школа должна знать, "
                                "что исправить.")
    with db.atomic():
        _move(report, ("submitted",), "returned")
        count = open_remarks(report, report.revision).count()
        _tell_school(report, "report_returned",
                     f"Отчёт «{_campaign_title(report)}» возвращён: {count} "
                     f"{plural_ru(count, 'замечание', 'замечания', 'замечаний')}. "
                     "Исправьте значения и отправьте снова.")


def accept_report(report):
    if report.status != "submitted":
        raise InvalidTransition("Принять можно только отправленный отчёт.")
    with db.atomic():
        _move(report, ("submitted",), "accepted", accepted_at=now())
        _tell_school(report, "report_accepted",
                     f"Отчёт «{_campaign_title(report)}» принят центром.")


def add_evidence(report, user, organization, **values):
    return evidence.add(EVIDENCE, report, user, organization=organization, **values)


def evidence_of(report, viewer):
    return evidence.by_owner(EVIDENCE, [report.id], viewer)[report.id]


# --- import of many schools' values -----------------------------------------------------------

def import_values(campaign, indicators, rows, author):
    """Store the checked rows ({"report_id", "values": {code: text}}) of an import in one
    transaction: each report gets the values, becomes submitted (filled by the centre). An
    accepted report and a school's blank row are left as they are. The number of reports written."""
    by_code = {i.code: i for i in indicators}
    written = 0
    with db.atomic():
        if not MonitoringCampaign.select().where((MonitoringCampaign.id == campaign.id) & (
                MonitoringCampaign.status == "open")).exists():
            raise NotEditable(CLOSED)
        for row in rows:
            if row.get("empty"):
                continue
            report = MonitoringReport.get_or_none(MonitoringReport.id == row["report_id"])
            if report is None or report.status == "accepted":
                continue
            _, comments = stored_texts(report.id)
            raw = {code: text for code, text in row["values"].items() if code in by_code}
            kept = {i.code: comments.get(i.id, "") for i in indicators}
            _write_values(report.id, [by_code[c] for c in raw], raw, kept, {})
            # A new version and no tab's token: a form opened before cannot save over it.
            MonitoringReport.update(
                status="submitted", filled_by_centre=True, revision=MonitoringReport.revision + 1,
                submitted_at=now(), updated_at=now(), updated_by=author,
                version=MonitoringReport.version + 1, editor_token="").where(
                MonitoringReport.id == report.id).execute()
            written += 1
    return written


__all__ = ["EditConflict", "NotEditable", "InvalidTransition", "Incomplete", "save_report",
           "submit_report", "return_report", "accept_report", "import_values"]
