"""Reading an uploaded file before anything parses it: present, not empty, within the size
limit (read no further than the limit)."""
from pathlib import PurePath

from flask import current_app, request

from .archives import ArchiveRejected, open_archive

OFFICE = {".docx": "документ Word .docx", ".xlsx": "книга Excel .xlsx"}


def read_upload(field, missing="Выберите файл.", check_office=False):
    """(filename, bytes) of the file posted for form `field`; None, with the reason added to
    the field's errors, when there is none or it is too large. With `check_office`, for a file
    that is stored rather than parsed, a .docx/.xlsx also goes through the archive check
    (importers run it themselves): a zip bomb is refused, not kept for others to open."""
    upload = request.files.get(field.name)
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.read(limit + 1) if upload else b""
    if not upload or not upload.filename or not data:
        field.errors.append(missing)
    elif len(data) > limit:
        field.errors.append(f"Файл больше {limit // (1024 * 1024)} МБ.")
    elif check_office and (problem := _office_problem(upload.filename, data)):
        field.errors.append(problem)
    else:
        return upload.filename, data
    return None


def _office_problem(filename, data):
    label = OFFICE.get(PurePath(filename).suffix.lower())
    if label is None:
        return None
    try:
        open_archive(data, damaged=f"Файл повреждён или это не {label}.")
    except ArchiveRejected as error:
        return str(error)
    return None
