"""Reading an uploaded file before anything parses it: present, not empty, within the size
limit (read no further than the limit)."""
from flask import current_app, request


def read_upload(field, missing="Выберите файл."):
    """(filename, bytes) of the file posted for form `field`; None, with the reason added to
    the field's errors, when there is none or it is too large."""
    upload = request.files.get(field.name)
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.read(limit + 1) if upload else b""
    if not upload or not upload.filename or not data:
        field.errors.append(missing)
    elif len(data) > limit:
        field.errors.append(f"Файл больше {limit // (1024 * 1024)} МБ.")
    else:
        return upload.filename, data
    return None
