"""Writes of the analytical note and the results order: save the note form, register the note
(or a new version of it after late data), register the order on the results. Each in one
transaction: nothing half-saved."""
import json

from models import GeneratedDocument, MonitoringCampaign, db, now

from ..documents import api as documents
from . import note
from .note_documents import note_heading

NOTE_SOURCE = "monitoring_note"  # GeneratedDocument.source_type of a campaign's notes
ORDER_SOURCE = "monitoring_results_order"
REGISTERED = ("registered", "published")


class NoteError(Exception):
    """A note action that cannot be done now; the message is for the user (Russian)."""


def save_texts(campaign, saved):
    """Keep the note form (texts, thresholds, signer, executor) on the campaign."""
    MonitoringCampaign.update(note_texts=json.dumps(saved, ensure_ascii=False),
                              updated_at=now()).where(
        MonitoringCampaign.id == campaign.id).execute()
    campaign.note_texts = json.dumps(saved, ensure_ascii=False)


def note_title(campaign):
    return f"Аналитическая справка {note_heading(campaign.title)}"


def register_note(campaign, saved, on_date, author, organization=None):
    """Save the form and register the note. The first registration takes a number of the
    note series; after that each registration is a new version of the same note (same number,
    documents.correct) made of the data as it stands, and the earlier versions stay in the
    register. campaign.note points to the newest. Returns the GeneratedDocument."""
    with db.atomic():
        save_texts(campaign, saved)
        plain = note.note_data(campaign, saved, on_date)
        if not plain["participants"]["submitted"]:
            raise NoteError("Ни одна ОО ещё не отправила отчёт: справку составлять не по чему.")
        current = (GeneratedDocument.get_or_none(GeneratedDocument.id == campaign.note_id)
                   if campaign.note_id else None)
        if current is not None and current.status in REGISTERED:
            document = documents.correct(current, plain=plain, author=author)
        else:
            document = documents.register(
                "analytical_note", plain=plain, title=note_title(campaign), on_date=on_date,
                author=author, organization=organization, source=(NOTE_SOURCE, campaign.id))
        MonitoringCampaign.update(note=document, updated_at=now()).where(
            MonitoringCampaign.id == campaign.id).execute()
        campaign.note = document
    return document


def versions(campaign):
    """Every registered version of the campaign's note, newest first."""
    return list(GeneratedDocument.from_source(NOTE_SOURCE, campaign.id, "analytical_note"))


def register_results_order(campaign, order, schools, author, organization):
    """Register the order on the results (the department's order series)."""
    if not order["clauses"]:
        raise NoteError("В приказе нет ни одного пункта.")
    return documents.register(
        "order_monitoring_results", {"order": order, "schools": schools},
        title=order["heading"], on_date=order["order_date"], author=author,
        organization=organization, source=(ORDER_SOURCE, campaign.id))


def results_orders(campaign):
    return list(GeneratedDocument.from_source(ORDER_SOURCE, campaign.id))
