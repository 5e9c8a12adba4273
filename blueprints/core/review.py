"""Review remarks, one mechanism for every reviewed form (programmes, monitoring reports):
the reviewer writes a remark on a field (or the whole form) of the submitted revision, the
author answers it and it counts as done; a form goes back for rework only with a remark on the
current revision. Models: subclasses of models/remark.py (each adds its owner's key). The
status rules around it (who may write when) stay with the feature; the template partial is
templates/core/_remark.html. No request access."""
from models import db, now


def open_remarks(model, owner_field, owner_id, revision=None):
    """The unanswered remarks of one owner (of one revision, when given)."""
    query = model.select().where((owner_field == owner_id) & (model.is_answered == False))  # noqa: E712
    if revision is not None:
        query = query.where(model.revision == revision)
    return query


def by_field(remarks):
    """{field: [remark]} in the order written; "" holds the remarks on the whole form."""
    grouped = {}
    for remark in remarks:
        grouped.setdefault(remark.field, []).append(remark)
    return grouped


def add_remark(model, owner, field, label, text, revision, author):
    """A remark on `field` ("" for the whole form) of revision `revision`; `owner`: {the
    owner's key name: id, and any other key of the model}."""
    with db.atomic():
        return model.create(field=field, field_label=label[:300], text=text, revision=revision,
                            author=author, **owner)


def answer_remark(remark, answer, author):
    """Mark a remark done, with the author's optional answer."""
    model = type(remark)
    model.update(is_answered=True, answer=answer, answered_at=now(), answered_by=author).where(
        model.id == remark.id).execute()
