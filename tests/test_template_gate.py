"""The template upload gate: a named corpus of hostile and broken templates, each refused through
the real upload route in under a second with a specific Russian reason and nothing stored; a
good upload is previewed, activated and rolled back; the trial process's limits; the CLI."""
import html
import io
import os
import random
import struct
import time
import warnings
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest

from blueprints.doctypes import services
from blueprints.documents import gate, registry
from models import AuditLog, TemplateVersion, db

from .conftest import db_fingerprint

ORDER = registry.get_doctype("order")
BASE = ORDER.template_path.read_bytes()
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EXTERNAL_IMAGE = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                  'officeDocument/2006/relationships/image" Target="http://127.0.0.1:8999/'
                  'probe.png" TargetMode="External"/>')


# --- building templates from the real order template -------------------------------------

def parts(data=BASE):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def pack(files, extra=()):
    """A zip of `files` (name → bytes), plus `extra` (name, bytes) entries written as they are,
    duplicates included."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": on purpose in the corpus
        for name, data in [*files.items(), *extra]:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def edited(part, change, data=BASE):
    files = parts(data)
    files[part] = change(files[part].decode("utf-8")).encode("utf-8")
    return pack(files)


def with_body(xml):
    """The order template with `xml` at the top of the body."""
    return edited("word/document.xml", lambda doc: doc.replace("<w:body>", "<w:body>" + xml, 1))


def with_paragraph(text):
    return with_body(f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def with_doctype(subset, reference):
    """document.xml with an internal DTD subset and an entity reference in the text."""
    def change(doc):
        doc = doc.replace("?>", f"?><!DOCTYPE w:document [{subset}]>", 1)
        return doc.replace("<w:body>", f"<w:body><w:p><w:r><w:t>{reference}</w:t></w:r></w:p>", 1)
    return edited("word/document.xml", change)


def with_part(name, data):
    return pack(parts(), extra=[(name, data)])


def without_part(name):
    files = parts()
    del files[name]
    return pack(files)


def with_content_type(content_type):
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return edited("[Content_Types].xml", lambda xml: xml.replace(main, content_type))


def many_parts(count):
    return pack(parts(), extra=[(f"customXml/extra{i}.bin", b"x") for i in range(count)])


def lying_sizes():
    """A 20 MB part whose zip directory claims 1,000 bytes: the size checks pass; inflating
    it must stop just past the declared size, not inflate 20 MB."""
    name = b"word/filler.xml"
    data = bytearray(pack(parts(), extra=[(name.decode(), b"<a>" + b" " * 20_000_000 + b"</a>")]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local, directory = archive.getinfo(name.decode()).header_offset, archive.start_dir
    central = data.index(name, directory) - 46  # the name follows a 46-byte central header
    data[local + 22:local + 26] = struct.pack("<I", 1000)  # uncompressed size, local header
    data[central + 24:central + 28] = struct.pack("<I", 1000)  # and in the central directory
    return bytes(data)


def numbered_paragraphs(count):
    return "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(count))


def nested_loops():
    """Four loops over long strings of the sample data: ~10^9 iterations, no literal lists."""
    return ("{% for a in heading %}{% for b in heading %}{% for c in heading %}"
            "{% for d in preamble %}{{ d }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}")


DAMAGED = "повреждён или не является документом Word .docx"
PRIVATE = "обращение к служебному атрибуту"

# name → (builder, a piece of the Russian reason the user must see)
CORPUS = {
    # code execution and sandbox escapes
    "rce_cycler": (lambda: with_paragraph(
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}"), PRIVATE),
    "rce_lipsum": (lambda: with_paragraph(
        "{{ lipsum.__globals__['os'].popen('id').read() }}"), PRIVATE),
    "rce_cycler_plain": (lambda: with_paragraph("{{ cycler }}"),
                         "неизвестные переменные: cycler"),
    "template_reference": (lambda: with_paragraph("{{ self._TemplateReference__context }}"),
                           PRIVATE),
    "template_self": (lambda: with_paragraph("{{ self }}"), "обращение к самому шаблону"),
    "dunder_attribute": (lambda: with_paragraph("{{ clauses.__class__.__mro__ }}"), PRIVATE),
    "dunder_item": (lambda: with_paragraph("{{ clauses['__class__'] }}"), PRIVATE),
    "attr_filter": (lambda: with_paragraph("{{ clauses|attr('__class__') }}"), "фильтр «attr»"),
    "safe_filter": (lambda: with_paragraph("{{ heading|safe }}"), "фильтр «safe»"),
    "autoescape_off": (lambda: with_paragraph(
        "{% autoescape false %}{{ heading }}{% endautoescape %}"), "экранированием"),
    "method_call": (lambda: with_paragraph("{{ heading.upper() }}"), "вызов функции или метода"),
    "recursive_macro": (lambda: with_paragraph(
        "{% macro f() %}{{ f() }}{{ f() }}{% endmacro %}{{ f() }}"), "макрос"),
    # unknown names and broken syntax
    "unknown_variable": (lambda: with_paragraph("{{ secret_key }}"),
                         "неизвестные переменные: secret_key"),
    "unknown_field": (lambda: with_paragraph(
        "{% for c in clauses %}{{ c.secret }}{% endfor %}"),
        "Пробное заполнение шаблона образцом данных не удалось"),
    "syntax_error": (lambda: with_paragraph("{% if heading %}нет endif"),
                     "Ошибка в записи тегов шаблона"),
    "unknown_filter": (lambda: with_paragraph("{{ heading|nosuch }}"),
                       "фильтр «nosuch» неизвестен"),
    "tag_split_across_paragraphs": (lambda: with_paragraph("{{ heading }"), "не закрыт"),
    "rich_text_tag": (lambda: with_paragraph("{{r heading }}"), "текст стоит вне абзаца"),
    "division_by_zero": (lambda: with_paragraph("{{ 1 / 0 }}"), "division by zero"),
    "tag_in_document_properties": (lambda: edited("docProps/core.xml", lambda xml: xml.replace(
        "</cp:coreProperties>", "<dc:title>{{ heading }}</dc:title></cp:coreProperties>")),
        "docProps/core.xml"),
    # CPU and memory bombs
    "cpu_bomb_nested_loops": (lambda: with_paragraph(nested_loops()), "не уложилось в"),
    "cpu_bomb_literal_list": (lambda: with_paragraph(
        "{% for a in [1] * 100000 %}{% for b in [1] * 100000 %}{{ b }}{% endfor %}{% endfor %}"),
        "цикл по списку или строке"),
    "memory_bomb_multiply": (lambda: with_paragraph("{{ ('x' * 300000000)|length }}"),
                             "слишком длинная строка"),
    "memory_bomb_power": (lambda: with_paragraph("{{ 'x' * 10 ** 9 }}"), "оператор **"),
    "memory_bomb_concat_doubling": (lambda: with_paragraph(
        "{% set x = heading ~ heading %}" + "{% set x = x ~ x %}" * 30 + "{{ x|length }}"),
        "присваивание {% set %}"),
    "memory_bomb_center": (lambda: with_paragraph("{{ heading|center(300000000) }}"),
                           "фильтр «center»"),
    "memory_bomb_percent_format": (lambda: with_paragraph("{{ '%300000000s' % heading }}"),
                                   "оператор %"),
    "memory_bomb_str_format": (lambda: with_paragraph("{{ '{:>300000000}'.format(heading) }}"),
                               "вызов функции или метода"),
    # the container and its XML
    "external_image_link": (lambda: edited("word/_rels/document.xml.rels", lambda xml: xml.replace(
        "</Relationships>", EXTERNAL_IMAGE + "</Relationships>")), "внешний ресурс (image"),
    "include_picture_field": (lambda: with_body(
        f'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://127.0.0.1:8999/x.png&quot; '
        f'\\d "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'), "поле INCLUDEPICTURE"),
    "xxe": (lambda: with_doctype('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"),
            "DOCTYPE"),
    "billion_laughs": (lambda: with_doctype(
        '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10)),
        "&lol9;"), "DOCTYPE"),
    "zip_bomb": (lambda: with_part("word/bomb.xml", b"<a>" + b" " * 100_000_000 + b"</a>"),
                 "слишком большой в распакованном виде"),
    "zip_bomb_ratio": (lambda: with_part("word/bomb.xml", b"<a>" + b" " * 20_000_000 + b"</a>"),
                       "сжата более чем в 100 раз"),
    "zip_bomb_lying_sizes": (lying_sizes, "распаковывается в больше байт, чем записано"),
    "element_bomb": (lambda: with_body("<w:p/>" * 200_000), "сжата более чем в 100 раз"),
    "element_bomb_numbered": (lambda: with_body(numbered_paragraphs(55_000)),
                              "слишком много элементов"),
    "not_a_zip": (lambda: b"%PDF-1.4 this is not a Word document\n" * 100, DAMAGED),
    "old_word_doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "(.doc)"),
    "truncated_zip": (lambda: BASE[:len(BASE) // 2], DAMAGED),
    "missing_content_types": (lambda: without_part("[Content_Types].xml"),
                              "нет обязательной части [Content_Types].xml"),
    "missing_document": (lambda: without_part("word/document.xml"),
                         "нет обязательной части word/document.xml"),
    "macro_part": (lambda: with_part("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(512)),
                   "макрос"),
    "macro_content_type": (lambda: with_content_type(
        "application/vnd.ms-word.document.macroEnabled.main+xml"), "макрос"),
    "too_many_parts": (lambda: many_parts(300), "слишком много частей"),
    "path_traversal": (lambda: with_part("../../evil.xml", b"<a/>"), "Недопустимое имя"),
    "absolute_part_name": (lambda: with_part("/etc/evil.xml", b"<a/>"), "Недопустимое имя"),
    "duplicate_part": (lambda: with_part("word/document.xml", b"<a/>"), "дважды"),
    "too_big": (lambda: with_part("word/media/noise.bin", os.urandom(5 * 1024 * 1024)),
                "Файл больше 5 МБ"),
}


def store_version(app, doctype="order", data=None, note="", active=False):
    """An uploaded template version (the built-in file unless `data`), as the upload page
    stores it after the gate."""
    data = data if data is not None else registry.get_doctype(doctype).template_path.read_bytes()
    with app.app_context(), db.connection_context():
        version = services.add_version(doctype, data, f"{doctype}.docx", note)
        if active:
            services.activate_version(version)
        return version


def _stored_files(app):
    root = Path(app.config["STORAGE_DIR"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(client, data, note="", filename="template.docx"):
    return client.post("/doctypes/order/upload", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename), "note": note})


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_template_is_refused_with_nothing_stored(app, login_as, name):
    build, reason = CORPUS[name]
    data = build()
    client = login_as("centre")
    before_db, before_files = db_fingerprint(), _stored_files(app)
    response = upload(client, data, note=name)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422, page[:500]
    assert reason in page, f"{name}: expected «{reason}»"
    assert 'id="file-error"' in page  # the reason sits next to the file field
    assert db_fingerprint() == before_db and _stored_files(app) == before_files
    with db.connection_context():
        assert TemplateVersion.select().count() == 0
        assert AuditLog.select().where(AuditLog.action == "template_rejected").count() == 1


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 16


def _render_text(app):
    with app.app_context(), db.connection_context():
        data = registry.render("order", ORDER.sample_context())
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _actions(app):
    with db.connection_context():
        return [a.action for a in AuditLog.select().where(AuditLog.action.startswith("template_"))
                .order_by(AuditLog.id)]


def test_good_upload_is_previewed_activated_and_rolled_back(app, login_as):
    client = login_as("centre")
    assert "Проверочный текст" not in _render_text(app)  # the built-in file, now cached

    response = upload(client, with_paragraph("Проверочный текст версии 1"), note="Первая правка",
                      filename="Шаблоны/Приказ.docx")
    assert response.status_code == 303 and response.headers["Location"] == "/doctypes/order"
    with db.connection_context():
        first = TemplateVersion.get(TemplateVersion.version == 1)
        assert not first.is_active and first.filename == "Приказ.docx"
        assert first.note == "Первая правка"
    assert Path(app.config["STORAGE_DIR"], "files", first.sha256[:2], first.sha256).exists()
    assert "Проверочный текст" not in _render_text(app)  # uploaded is not active

    preview = client.get("/doctypes/order/versions/1/sample.docx")
    assert preview.status_code == 200
    assert "Проверочный текст версии 1" in "\n".join(
        p.text for p in docx.Document(io.BytesIO(preview.data)).paragraphs)

    assert client.post("/doctypes/order/versions/1/activate").status_code == 303
    assert "Проверочный текст версии 1" in _render_text(app)  # at once, no stale cache

    again = upload(client, with_paragraph("Проверочный текст версии 1"))  # the same file
    assert again.status_code == 303
    assert "уже загружен: версия 1" in client.get("/doctypes/order").get_data(as_text=True)
    assert upload(client, with_paragraph("Проверочный текст версии 2")).status_code == 303
    assert client.post("/doctypes/order/versions/2/activate").status_code == 303
    assert "Проверочный текст версии 2" in _render_text(app)
    page = client.get("/doctypes/order").get_data(as_text=True)
    assert "Вернуться к этой версии" in page and "Вернуться к встроенному" in page

    assert client.post("/doctypes/order/versions/1/activate").status_code == 303  # roll back
    assert "Проверочный текст версии 1" in _render_text(app)
    assert client.post("/doctypes/order/builtin/activate").status_code == 303
    assert "Проверочный текст" not in _render_text(app)
    assert _actions(app) == ["template_uploaded", "template_activated", "template_uploaded",
                             "template_activated", "template_rolled_back",
                             "template_builtin_restored"]


def test_activation_is_seen_by_another_worker(app, login_as):
    from .conftest import another_worker
    store_version(app, data=with_paragraph("Текст для второго процесса"))
    other = another_worker(app)
    assert "Текст для второго процесса" not in _render_text(other)
    assert login_as("admin").post("/doctypes/order/versions/1/activate").status_code == 303
    assert "Текст для второго процесса" in _render_text(other)


def test_upload_without_file_or_with_long_note_is_422(app, login_as):
    client = login_as("centre")
    response = client.post("/doctypes/order/upload", data={"note": "без файла"})
    assert response.status_code == 422 and "Выберите файл .docx" in response.get_data(as_text=True)
    response = upload(client, BASE, note="x" * 501)
    assert response.status_code == 422 and "Не длиннее 500 символов" in response.get_data(
        as_text=True)
    with db.connection_context():
        assert TemplateVersion.select().count() == 0


def test_fuzzed_files_are_accepted_or_refused_never_crash():
    """Random byte flips (the fuzz finding: BadZipFile, zlib.error, NotImplementedError
    escaped a gate without its catch-all)."""
    rng = random.Random(20260901)
    outcomes = {"accepted": 0, "refused": 0}
    for _ in range(60):
        data = bytearray(BASE)
        for _ in range(rng.randint(1, 8)):
            # Half the flips land in the zip directory at the end, where they do most harm.
            position = rng.randrange(len(data) - 2000, len(data)) if rng.random() < 0.5 \
                else rng.randrange(len(data))
            data[position] = rng.randrange(256)
        try:
            gate.check_template(ORDER, bytes(data))
            outcomes["accepted"] += 1
        except gate.TemplateRejected as rejection:
            assert str(rejection)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0


# --- the trial process ------------------------------------------------------------------

def _allocate(size):
    return len(bytearray(size))


def _spin():
    with gate.cpu_budget(0.2):
        while True:
            pass


def test_trial_process_caps_memory():
    started = time.perf_counter()
    with pytest.raises(gate.TemplateRejected, match="не хватило памяти"):
        gate.run_limited(_allocate, 4 * 1024 ** 3)
    assert time.perf_counter() - started < 1.0
    assert gate.run_limited(_allocate, 10 * 1024 ** 2) == 10 * 1024 ** 2  # a sane amount


def test_trial_process_caps_cpu_and_wall_time():
    started = time.perf_counter()
    with pytest.raises(gate.TemplateRejected, match="не уложилось в 0,2 с"):
        gate.run_limited(_spin)
    with pytest.raises(gate.TemplateRejected, match="не закончилось за 0,3 с"):
        gate.run_limited(time.sleep, 30, wall_seconds=0.3)
    assert time.perf_counter() - started < 2.0


def test_trial_process_that_dies_is_a_rejection():
    with pytest.raises(gate.TemplateRejected, match="прервано"):
        gate.run_limited(os._exit, 3)


# --- the command line -----------------------------------------------------------------------

def test_cli_lists_doctypes_key_first(app):
    result = app.test_cli_runner().invoke(args=["list-doctypes"])
    assert result.exit_code == 0
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [key for key, _ in lines] == list(registry.all_doctypes())
    assert dict(lines)["order"] == "Приказ"


def test_cli_renders_a_sample(app, tmp_path):
    out = tmp_path / "order.docx"
    result = app.test_cli_runner().invoke(args=["render-doc", "order", "--sample", "--out",
                                                str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "ПРИКАЗ" in text and "ПРИКАЗЫВАЮ:" in text


@pytest.mark.parametrize("key", sorted(registry.all_doctypes()))
def test_cli_renders_every_doctype(app, tmp_path, key):
    out = tmp_path / f"{key}.docx"
    result = app.test_cli_runner().invoke(args=["render-doc", key, "--sample", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert docx.Document(out).paragraphs


def test_cli_uses_the_active_version_and_checks_a_local_template(app, tmp_path):
    store_version(app, data=with_paragraph("Текст действующей версии"), active=True)
    out, runner = tmp_path / "order.docx", app.test_cli_runner()
    assert runner.invoke(args=["render-doc", "order", "--sample", "--out", str(out)]).exit_code == 0
    assert "Текст действующей версии" in "\n".join(p.text for p in docx.Document(out).paragraphs)
    hostile = tmp_path / "hostile.docx"
    hostile.write_bytes(CORPUS["rce_cycler"][0]())
    result = runner.invoke(args=["render-doc", "order", "--sample", "--out", str(out),
                                 "--template", str(hostile)])
    assert result.exit_code != 0 and PRIVATE in result.output


def test_cli_refuses_an_unknown_doctype(app, tmp_path):
    out = tmp_path / "x.docx"
    result = app.test_cli_runner().invoke(args=["render-doc", "nosuch", "--sample", "--out",
                                                str(out)])
    assert result.exit_code != 0
    assert "Неизвестный вид документа «nosuch»" in result.output
    assert not out.exists()
