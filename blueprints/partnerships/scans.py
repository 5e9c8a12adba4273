"""The signed scan of a registered agreement: PDF, JPEG or PNG pages checked by content (the
magic bytes and a real parse: pypdf for a PDF, Pillow's verify and a full decode for an
image), merged into one PDF, kept in storage and attached to the agreement's register entry as
its signed copy; the pair becomes «signed». No request access here."""
import io
import warnings
from datetime import date

from PIL import Image
from pypdf import PdfReader, PdfWriter

from models import GeneratedDocument, Partnership, db, now

from ..documents.storage import storage

PDF, JPEG, PNG = "pdf", "jpeg", "png"
MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
MAX_PAGES = 200  # in all the files together
MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 megapixels
UPLOADERS = ("admin", "centre")  # staff who upload for the schools


class ScanError(Exception):
    """A refused scan; the message is Russian and names the file and the reason."""

    def __init__(self, message, status=422):
        super().__init__(message)
        self.status = status


def may_upload(pair, user):
    return user.role in UPLOADERS or pair.side_of(user) is not None


def agreement_of(pair):
    """The agreement's register entry if it is registered; ScanError (409) otherwise."""
    document = (GeneratedDocument.get_or_none(GeneratedDocument.id == pair.agreement_id)
                if pair.agreement_id else None)
    if (document is None or pair.status not in ("registered", "signed")
            or document.status not in ("registered", "published")):
        raise ScanError("Скан подписанного соглашения можно загрузить только после регистрации "
                        "соглашения.", 409)
    return document


def kind_of(data):
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _check_pdf(name, data):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ScanError(f"«{name}»: PDF защищён паролем, загрузите файл без защиты.")
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 (each page must be readable)
    except ScanError:
        raise
    except Exception:
        raise ScanError(f"«{name}»: файл повреждён или это не PDF.") from None
    if pages < 1:
        raise ScanError(f"«{name}»: в PDF нет страниц.")
    return pages


def _open_image(name, data, kind):
    """The decoded image; ScanError for a broken or oversized one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != kind.upper():
                    raise ScanError(f"«{name}»: содержимое файла не совпадает с его видом.")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ScanError(f"«{name}»: изображение слишком велико "
                                    f"({probe.width}×{probe.height} точек).")
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()  # verify() does not decode: a truncated image fails only here
            return image
    except ScanError:
        raise
    except Exception:
        raise ScanError(f"«{name}»: изображение повреждено.") from None


def check(files, limit):
    """[(kind, bytes)] of the posted files [(name, bytes)], each checked by content; ScanError
    for the first that is not a PDF, JPEG or PNG, is broken, or makes the whole too large."""
    if not files:
        raise ScanError("Выберите файл скана: PDF, JPEG или PNG.", 400)
    total = sum(len(data) for _, data in files)
    if total > limit:
        raise ScanError(f"Скан больше {limit // (1024 * 1024)} МБ.", 413)
    pages, checked = 0, []
    for name, data in files:
        kind = kind_of(data)
        if kind is None:
            raise ScanError(f"«{name}»: это не PDF, JPEG или PNG (вид файла проверяется по "
                            "содержимому, не по имени).", 415)
        if kind == PDF:
            pages += _check_pdf(name, data)
        else:
            _open_image(name, data, kind).close()
            pages += 1
        if pages > MAX_PAGES:
            raise ScanError(f"В скане больше {MAX_PAGES} страниц.")
        checked.append((name, kind, data))
    return checked


def _image_pdf(name, data, kind):
    image = _open_image(name, data, kind)
    try:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        dpi = image.info.get("dpi", (200, 200))[0] or 200
        buffer = io.BytesIO()
        image.save(buffer, "PDF", resolution=float(dpi))
        return buffer.getvalue()
    finally:
        image.close()


def merge(checked):
    """One PDF of every page in order; a single PDF is kept as it was."""
    if len(checked) == 1 and checked[0][1] == PDF:
        return checked[0][2]
    writer = PdfWriter()
    for name, kind, data in checked:
        part = data if kind == PDF else _image_pdf(name, data, kind)
        writer.append(PdfReader(io.BytesIO(part), strict=False))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def attach(pair, files, limit, today=None):
    """Check and merge the pages, keep the PDF and attach it to the registered agreement; the
    pair becomes «signed». Nothing is stored when a check fails. Returns the document."""
    document = agreement_of(pair)
    data = merge(check(files, limit))
    with db.atomic():
        sha256 = storage().put(data)
        GeneratedDocument.update(signed_sha256=sha256, signed_size=len(data),
                                 signed_on=today or date.today()).where(
            GeneratedDocument.id == document.id).execute()
        Partnership.update(status="signed", updated_at=now()).where(
            Partnership.id == pair.id).execute()
    return GeneratedDocument.get_by_id(document.id)

