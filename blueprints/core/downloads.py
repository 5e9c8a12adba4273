"""Every file the app hands out: bytes as an attachment, typed by the name's extension."""
from io import BytesIO
from pathlib import PurePath

from flask import send_file

MIMETYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".csv": "text/csv",
}


def send_bytes(data, filename, mimetype=None):
    """A download named `filename`; an uploaded file passes mimetype="application/octet-stream"
    so a browser never opens it in place."""
    mimetype = mimetype or MIMETYPES.get(PurePath(filename).suffix.lower(),
                                         "application/octet-stream")
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=filename)
