"""The one rendering engine for every doctype: sandboxed, escaped, validated, cached.

docxtpl's own render() re-opens the .docx package and recompiles Jinja on every call
(about 12 of 19 ms per order here). We reuse docxtpl's text preprocessing
(`patch_xml`, `resolve_listing`, `fix_tables`) but compile each template version once,
keep the package bytes in memory, and only render and re-zip per document.
"""
import base64
import copy
import io
import re
import struct
import threading
import zipfile
from collections import OrderedDict

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree

from ..core.filters import FILTERS, printed
from ..core.text import normalise

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER_FOOTER = ("/header", "/footer")
MAX_REPEAT = 100_000  # longest string or list a template may build with `*`
BODY = "word/document.xml"
# The package index parts a picture adds to: written per render, not kept in the static zip.
CONTENT_TYPES, BODY_RELS = "[Content_Types].xml", "word/_rels/document.xml.rels"
# A picture in a context is a plain dict with this key (the PNG in base64, so a context stays
# JSON for the register): {"png_base64": …, "width_mm": 160, "description": "Рисунок 1 — …"}.
PICTURE_KEY = "png_base64"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EMU_PER_MM = 36000


class RenderError(Exception):
    """A document could not be generated; the message is for the user (Russian)."""


def roman(number):
    """4 → IV: section and annex numbering."""
    number = int(number)
    parts = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in parts:
        while number >= value:
            out += letters
            number -= value
    return out


def numbered(items, prefix=""):
    """[a, b] → [("1.", a), ("2.", b)]; with prefix "3." → "3.1.", "3.2."."""
    return [(f"{prefix}{i}.", item) for i, item in enumerate(items, start=1)]


DOC_FILTERS = {**FILTERS, "roman": roman, "numbered": numbered}


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """No globals, no mutation of the context, no huge strings built with `*` or `**`."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("возведение в степень в шаблоне запрещено")
        sizes = [len(x) for x in (left, right) if isinstance(x, (str, list, tuple))]
        counts = [x for x in (left, right) if isinstance(x, int)]
        if sizes and counts and sizes[0] * max(counts) > MAX_REPEAT:
            raise SecurityError("слишком длинная строка в шаблоне")
        return super().call_binop(context, operator, left, right)


def make_env():
    # StrictUndefined: a missing key or a refused attribute is an error, never silently empty.
    # finalize: every printed value of every doctype gets Russian typography (non-breaking
    # spaces after «№», «г.», in «И.О. Фамилия», before units; numbers with thousands).
    env = DocumentSandbox(autoescape=True, undefined=StrictUndefined, finalize=printed)
    env.globals.clear()  # no range, cycler, lipsum, namespace…
    env.filters.update(DOC_FILTERS)
    return env


def _strict_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


def _prepare(xml_text):
    """docxtpl's tag clean-up, then one paragraph per line so Jinja errors point somewhere."""
    patched = DocxTemplate.patch_xml(None, xml_text)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)


_LINE_PARAGRAPH = re.compile(r"\n<w:p([ >])")


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's own pattern
_LISTING = re.compile("[\t\a\n\f]")
_LISTING_TEXT = re.compile("<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")  # in a text, not between tags
_CELL_LOOP = re.compile(r"\{%-?\s*tc\b")


def _finish(rendered):
    # Unlike docxtpl we do not turn "{_{" into "{{" after rendering: that would alter user text.
    rendered = _LINE_PARAGRAPH.sub(r"<w:p\1", rendered)
    if not _LISTING_TEXT.search(rendered):  # nothing to resolve: most documents
        return rendered
    # docxtpl's tabs, line and page breaks, paragraph by paragraph as it does, but only in the
    # paragraphs that hold one: a note of 15 000 table rows spent 2 s in the others.
    return _PARAGRAPH.sub(lambda m: DocxTemplate.resolve_listing(None, m.group(0))
                          if _LISTING.search(m.group(0)) else m.group(0), rendered)


_LANG = re.compile(rb"<w:lang\b[^>]*/>")
_THEME_LANG = re.compile(rb"<w:themeFontLang\b[^>]*/>")


def _russian(name, data):
    """Every style, run and the theme's fonts in Russian (ru-RU), whatever locale the template
    was saved in: Word then proofreads the document as Russian, not as English."""
    if not (name.startswith("word/") and name.endswith(".xml")):
        return data
    data = _LANG.sub(b'<w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ru-RU"/>', data)
    return _THEME_LANG.sub(b'<w:themeFontLang w:val="ru-RU" w:eastAsia="ru-RU"/>', data)


def _grid_from_cells(tree):
    """Column widths from the first row's cells, kept within the table's width.

    A `{%tc %}` loop repeats a cell with its width, but docxtpl only pads or trims the
    column grid, which LibreOffice follows: a loop of three years then showed one wide and
    two hairline columns. Tables whose first row spans columns are left as they are.
    """
    w = f"{{{W_NS}}}"
    for table in tree.iter(f"{w}tbl"):
        grid, first = table.find(f"{w}tblGrid"), table.find(f"{w}tr")
        if grid is None or first is None:
            continue
        columns = grid.findall(f"{w}gridCol")
        widths = []
        for cell in first.findall(f"{w}tc"):
            width = cell.find(f"{w}tcPr/{w}tcW")
            if (width is None or cell.find(f"{w}tcPr/{w}gridSpan") is not None
                    or width.get(f"{w}type", "dxa") != "dxa"):
                break
            widths.append(int(width.get(f"{w}w")))
        if len(widths) != len(columns) or not all(widths):
            continue
        total = sum(int(c.get(f"{w}w") or 0) for c in columns)
        scale = min(1.0, total / sum(widths)) if total else 1.0
        for column, width in zip(columns, widths):
            column.set(f"{w}w", str(int(width * scale)))
        if scale < 1.0:
            for row in table.findall(f"{w}tr"):
                for cell in row.findall(f"{w}tc"):
                    width = cell.find(f"{w}tcPr/{w}tcW")
                    if width is not None and width.get(f"{w}type", "dxa") == "dxa":
                        width.set(f"{w}w", str(int(int(width.get(f"{w}w")) * scale)))


def picture(png, width_mm, description=""):
    """The plain value of a picture for a context: `{{ value }}` alone in a paragraph of the
    template prints it at `width_mm` (height by the image's proportions)."""
    return {PICTURE_KEY: base64.b64encode(png).decode("ascii"), "width_mm": width_mm,
            "description": description}


_PICTURE_XML = (
    '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="{name}" descr="{descr}"/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
    '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
    '</a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">')


class _Picture:
    """A picture of one render: prints as an inline drawing (docxtpl's InlineImage shape,
    without a DocxTemplate object); in headers and footers it prints nothing."""

    def __init__(self, pictures, value):
        self.pictures, self.used = pictures, False
        try:
            self.png = base64.b64decode(value[PICTURE_KEY], validate=True)
            width_mm = float(value.get("width_mm") or 160)
        except (TypeError, ValueError) as error:
            raise RenderError("Рисунок документа повреждён: не удалось прочитать его данные.") \
                from error
        if not self.png.startswith(PNG_SIGNATURE) or len(self.png) < 24:
            raise RenderError("Рисунок документа повреждён: это не изображение PNG.")
        width, height = struct.unpack(">II", self.png[16:24])
        self.cx = int(min(max(width_mm, 10), 400) * EMU_PER_MM)
        self.cy = int(self.cx * height / width) if width else self.cx
        self.description = str(value.get("description") or "")

    def __str__(self):
        return ""

    def __html__(self):
        if self.pictures.part != BODY:
            return ""
        if not self.used:
            self.used = True
            self.number = self.pictures.take()
        return _PICTURE_XML.format(
            cx=self.cx, cy=self.cy, rid=f"rIdOporaPicture{self.number}",
            name=f"Рисунок {self.number}", descr=_attribute(self.description))


def _attribute(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


class _Pictures:
    """The pictures of one render, numbered in the order the body prints them."""

    def __init__(self):
        self.part, self.items, self.count = BODY, [], 0

    def take(self):
        self.count += 1
        return self.count

    def bind(self, value):
        """The context with its strings normalised (core.text.normalise) and each picture
        dict made a _Picture; one walk."""
        if isinstance(value, str):
            return normalise(value)
        if isinstance(value, dict):
            if PICTURE_KEY in value:
                item = _Picture(self, value)
                self.items.append(item)
                return item
            return {k: self.bind(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.bind(v) for v in value]
        return value

    def used(self):
        return sorted((p for p in self.items if p.used), key=lambda p: p.number)


def _with_pictures(content_types, rels, pictures):
    """The package index with the pictures' media: a png default type and a relationship
    per picture."""
    if not re.search(rb'Extension="png"', content_types, re.IGNORECASE):
        content_types = content_types.replace(
            b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>')
    added = "".join(
        f'<Relationship Id="rIdOporaPicture{p.number}" Type="http://schemas.openxmlformats.'
        f'org/officeDocument/2006/relationships/image" Target="media/opora_picture{p.number}'
        f'.png"/>' for p in pictures)
    return content_types, rels.replace(b"</Relationships>",
                                       added.encode("utf-8") + b"</Relationships>")


class CompiledTemplate:
    """A template version parsed and compiled once: body, headers and footers."""

    def __init__(self, docx_bytes, env=None):
        self.env = env or make_env()
        self.package = docx_bytes
        with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
            self.entries = [(info, _russian(info.filename, archive.read(info.filename)))
                            for info in archive.infolist()]
        files = {info.filename: data for info, data in self.entries}
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
        self.document = etree.fromstring(files["word/document.xml"], parser)
        body = self.document.find(f"{{{W_NS}}}body")
        body_xml = etree.tostring(body, encoding="unicode")
        # Only a `{%tc %}` loop changes a row's cell count: docxtpl's fix_tables (a second
        # parse and a walk over every row) is needed only then.
        self.cell_loops = bool(_CELL_LOOP.search(re.sub(r"<[^>]+>", "", body_xml)))
        # The document around its body, serialised once: a render writes the new body
        # between the two halves (moving a large body into a copy of the document made lxml
        # rewrite the namespaces of every element: 2 s for a note of 15 000 table rows).
        skeleton = copy.deepcopy(self.document)
        skeleton.replace(skeleton.find(f"{{{W_NS}}}body"), etree.Element("opora-body"))
        self.head, _, self.tail = etree.tostring(
            skeleton, xml_declaration=True, encoding="UTF-8", standalone=True).partition(
            b"<opora-body/>")
        self.sources = {"word/document.xml": _prepare(body_xml)}
        for target in self._header_footer_parts(files):
            part = etree.fromstring(files[target], parser)
            self.sources[target] = _prepare(etree.tostring(part, encoding="unicode"))
        self.compiled = {name: self.env.from_string(src) for name, src in self.sources.items()}
        # The parts no template touches are compressed once; each render appends the rest
        # (and the package index, which a render with pictures adds to).
        self.index = {name: files.get(name) for name in (CONTENT_TYPES, BODY_RELS)}
        static = io.BytesIO()
        with zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in self.entries:
                if info.filename not in self.compiled and info.filename not in self.index:
                    archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        self.static_zip = static.getvalue()

    @staticmethod
    def _header_footer_parts(files):
        rels = files.get("word/_rels/document.xml.rels")
        if not rels:
            return []
        root = etree.fromstring(rels, _strict_parser())
        return ["word/" + r.get("Target").lstrip("/").removeprefix("word/")
                for r in root.findall(f"{{{REL_NS}}}Relationship")
                if r.get("Type", "").endswith(HEADER_FOOTER) and r.get("TargetMode") != "External"]

    def variables(self):
        """Top-level names the template reads (docxtpl's undeclared-variables check, all parts)."""
        names = set()
        for source in self.sources.values():
            names |= meta.find_undeclared_variables(self.env.parse(source))
        return names

    def render(self, context, doctype="документ"):
        pictures = _Pictures()
        context = pictures.bind(context)
        out = {}
        try:
            for name, template in self.compiled.items():
                pictures.part = name
                out[name] = _finish(template.render(context))
        except SecurityError as error:
            raise RenderError(f"Шаблон «{doctype}» нарушает ограничения: {error}") from error
        except TemplateError as error:
            raise RenderError(f"Ошибка в шаблоне «{doctype}»: {error}") from error
        except Exception as error:  # e.g. {{ 1 / 0 }} on data the sample never reached
            raise RenderError(f"Шаблон «{doctype}» не удалось заполнить (ошибка вычисления: "
                              f"{error})") from error
        parts = {}
        for name, xml in out.items():
            try:  # strict: a part that does not parse is never written into a file
                parsed = etree.fromstring(xml.encode("utf-8"), _strict_parser())
            except etree.XMLSyntaxError as error:
                raise RenderError(f"Документ «{doctype}» получился повреждённым ({name}): "
                                  f"{error}") from error
            if name == "word/document.xml":
                tree = DocxTemplate.fix_tables(None, xml) if self.cell_loops else parsed
                _grid_from_cells(tree)
                for index, pr in enumerate(tree.iter("{http://schemas.openxmlformats.org/"
                                                     "drawingml/2006/wordprocessingDrawing}docPr"),
                                           start=1001):
                    pr.set("id", str(index))
                parts[name] = self.head + etree.tostring(tree, encoding="UTF-8") + self.tail
            else:
                parts[name] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                               + xml.encode("utf-8"))
        used = pictures.used()
        index = dict(self.index)
        if used and index[CONTENT_TYPES] and index[BODY_RELS]:
            index[CONTENT_TYPES], index[BODY_RELS] = _with_pictures(
                index[CONTENT_TYPES], index[BODY_RELS], used)
        buffer = io.BytesIO(self.static_zip)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in [*index.items(), *parts.items()]:
                if data is not None:
                    archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED,
                                     compresslevel=6)
            for item in used:  # a PNG is compressed already: stored as it is
                archive.writestr(f"word/media/opora_picture{item.number}.png", item.png,
                                 compress_type=zipfile.ZIP_STORED)
        return buffer.getvalue()


class TemplateCache:
    """Compiled templates by content hash, shared by all requests of a worker."""

    def __init__(self, size=32):
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, load):
        """The compiled template for `key` (a sha256); `load()` gives the .docx bytes on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        compiled = CompiledTemplate(load())
        with self._lock:
            self._items[key] = compiled
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return compiled


cache = TemplateCache()
