"""One reader for every uploaded .docx/.xlsx (template gate, directory and road-map imports,
road-map evidence): the zip is checked by actually inflating it before anything else reads it.

`open_archive(data, damaged=…)` returns an `Archive` or raises `ArchiveRejected` with the
reason in Russian. The checks:

1. the directory: a real zip, at most ARCHIVE_MAX_ENTRIES parts, no path tricks or duplicate
   names, nothing encrypted, only stored or deflated parts, declared sizes within the caps
   and the declared compression ratio sane;
2. every part inflated CHUNK by CHUNK, whatever its header says: it must inflate to exactly
   the size the directory declares (with the right checksum). zipfile's `read()` inflates a
   whole part in one call, up to 2 GB, and only then cuts it to the declared size: a 1 MB
   part declaring 1,000 bytes took a worker to 2.1 GB. Here a part is refused as soon as it
   passes its declared size, which step 1 bounded by ARCHIVE_MAX_ENTRY, and the declared
   sizes together by ARCHIVE_MAX_UNPACKED: so is what is really inflated;
3. every XML part parsed once by libxml2 at C speed, without building a tree: no DOCTYPE
   (entities: XXE, billion laughs; Word and Excel never write one), at most 256 levels of
   nesting (libxml2's limit without huge_tree), well-formed.

After that, each part's real size is its declared size and within the caps, so python-docx,
openpyxl and docxtpl, which read `Archive.data` through zipfile, inflate only what was
checked; their own XML parsers (lxml for python-docx and openpyxl's workbook parts, expat
for openpyxl's sheets) never see a DTD or deep nesting. No defusedxml needed.
"""
import io
import struct
import zipfile
import zlib

from flask import current_app, has_app_context
from lxml import etree

import config

CHUNK = 64 * 1024  # inflate this much at a time: memory per step is bounded, not per part
RATIO_GRACE = 100 * 1024  # tiny parts compress well by nature (as Apache POI's zip-bomb check)
XML_SUFFIXES = (".xml", ".rels", ".vml")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader, 30 bytes

BOMB = "так выглядит «zip-бомба»"
DOCTYPE = ("В файле есть объявление DOCTYPE (внешние сущности, «billion laughs»): такие "
           "файлы не принимаются.")


class ArchiveRejected(Exception):
    """The upload is not a safe zip; str(error) is the reason in Russian."""


class Archive:
    """A checked upload: `data` (the original bytes, safe to hand to zipfile readers),
    `entries` (name → inflated bytes, in directory order)."""

    def __init__(self, data, entries):
        self.data = data
        self.entries = entries

    @property
    def names(self):
        return set(self.entries)

    def read(self, name):
        return self.entries[name]

    def xml_parts(self):
        """(name, bytes) of the XML parts, in directory order."""
        return [(name, content) for name, content in self.entries.items() if _is_xml(name)]

    def stream(self):
        """A file object over the original bytes, for python-docx or openpyxl."""
        return io.BytesIO(self.data)


def limit(name):
    """One of config.ARCHIVE_LIMITS: the app's value, or the default without an app (CLI)."""
    return current_app.config[name] if has_app_context() else config.ARCHIVE_LIMITS[name]


def megabytes(size):
    """«5,2 МБ» for messages."""
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " МБ"


def open_archive(data, *, damaged):
    """Check the zip `data` (see the module's docstring) and return an Archive. `damaged` is
    the caller's message for a file that is not a readable zip of its kind."""
    if not data.startswith(b"PK\x03\x04"):
        raise ArchiveRejected(damaged)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise ArchiveRejected(damaged) from error
    _check_directory(infos, damaged)
    entries = {info.filename: _inflate(data, info, damaged) for info in infos}
    for name, content in entries.items():
        if _is_xml(name):
            _check_xml(name, content, damaged)
    return Archive(data, entries)


def _too_big(size):
    return (f"Файл слишком большой в распакованном виде: {size} (допустимо не более "
            f"{megabytes(limit('ARCHIVE_MAX_UNPACKED'))}).")


def _check_directory(infos, damaged):
    """Everything here is read from the zip directory: nothing is inflated yet."""
    if len(infos) > limit("ARCHIVE_MAX_ENTRIES"):
        raise ArchiveRejected(f"В файле слишком много частей: {len(infos)} (допустимо не "
                              f"более {limit('ARCHIVE_MAX_ENTRIES')}).")
    seen = set()
    for info in infos:
        name = info.filename
        if (name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ":" in name
                or ".." in name.split("/")):
            raise ArchiveRejected(f"Недопустимое имя части в файле: «{name[:100]}».")
        if name.lower() in seen:  # two readers could each take a different copy
            raise ArchiveRejected(f"Часть «{name[:100]}» встречается в файле дважды.")
        seen.add(name.lower())
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                              zipfile.ZIP_DEFLATED):
            raise ArchiveRejected(damaged)  # encrypted or a method Word and Excel never write
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit("ARCHIVE_MAX_UNPACKED"):
        raise ArchiveRejected(_too_big(megabytes(unpacked)))
    ratio = limit("ARCHIVE_MAX_RATIO")
    for info in infos:
        if info.file_size > limit("ARCHIVE_MAX_ENTRY"):
            raise ArchiveRejected(f"Часть {info.filename} слишком большая в распакованном виде: "
                                  f"{megabytes(info.file_size)} (допустимо не более "
                                  f"{megabytes(limit('ARCHIVE_MAX_ENTRY'))}).")
        if info.file_size > RATIO_GRACE and info.file_size > ratio * info.compress_size:
            raise ArchiveRejected(f"Часть {info.filename} сжата более чем в {ratio} раз: {BOMB}.")


def _inflate(data, info, damaged):
    """The part's bytes, inflated CHUNK by CHUNK from the same bytes zipfile would read;
    refused as soon as it passes its declared size."""
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise ArchiveRejected(damaged)
    fields = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size + fields[10] + fields[11]  # name and extra lengths
    compressed = memoryview(data)[begin:begin + info.compress_size]
    if len(compressed) < info.compress_size:
        raise ArchiveRejected(damaged)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise ArchiveRejected(damaged)
        content = bytes(compressed)
    else:
        content = _deflated(compressed, info, damaged)
    if zlib.crc32(content) != info.CRC:
        raise ArchiveRejected(damaged)
    return content


def _deflated(compressed, info, damaged):
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = bytearray()
    pending = b""  # input zlib has not taken yet: at most one CHUNK
    position = 0
    try:
        while not inflater.eof:
            if pending:
                out += inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
            elif position < len(compressed):
                pending = compressed[position:position + CHUNK]
                position += CHUNK
            else:  # all input read: zlib may still hold the end of a match (≤ 258 bytes)
                out += inflater.flush()
                break
            if len(out) > info.file_size:
                raise ArchiveRejected(f"Часть {info.filename} распаковывается в больше байт, "
                                      f"чем записано в заголовке архива: {BOMB}.")
    except zlib.error as error:
        raise ArchiveRejected(damaged) from error
    if not inflater.eof or len(out) != info.file_size:
        raise ArchiveRejected(damaged)
    return bytes(out)


def _is_xml(name):
    return name.lower().endswith(XML_SUFFIXES)


class _NoDoctype:
    """A parser target without start/end: libxml2 checks the whole part at C speed and
    builds nothing; only a DOCTYPE calls back."""

    def doctype(self, name, public_id, system_id):
        raise ArchiveRejected(DOCTYPE)

    def close(self):
        return None


def _check_xml(name, content, damaged):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, target=_NoDoctype())
    try:
        etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error):
            raise ArchiveRejected(f"В части {name} слишком глубокая вложенность элементов: "
                                  "так выглядит «XML-бомба».") from error
        raise ArchiveRejected(damaged) from error
