"""The upload gate for .docx templates: a template is code, so it is checked before it is stored.

`check_template(doctype, data)` returns the variables the template reads, or raises
`TemplateRejected` with the reason in Russian. The checks run cheapest first:

1. the container: size, then core/archives.py (the reader every .docx/.xlsx upload goes
   through: a real zip, number of parts, part names, sizes checked by really inflating, XML
   without DOCTYPE or deep nesting), then the required parts and macros;
2. every .xml/.rels part, parsed strictly and counted: no DOCTYPE, at most MAX_ELEMENTS
   elements, no external relationships except web links, no fields that fetch files;
3. in a forked process with a time limit and a memory cap (Jinja's compiler and docxtpl's
   regular expressions see the file only there): compile in the engine's sandbox, walk the
   template's syntax tree (only data may be read and printed), check every variable is known
   to the doctype, render the sample data and parse the result strictly.

Anything unexpected (the fuzzed-zip exceptions: BadZipFile, zlib.error, NotImplementedError…)
becomes DAMAGED: a broken upload never turns into a 500.
"""
import io
import multiprocessing
import os
import re
import resource
import signal
import zipfile
from contextlib import contextmanager
from html import unescape

import docx
from flask import current_app, has_app_context
from jinja2 import TemplateSyntaxError, meta, nodes
from lxml import etree

from ..core.archives import ArchiveRejected, megabytes, open_archive
from . import engine, registry

MAX_BYTES = 5 * 1024 * 1024  # used without an app (CLI tests); the app's MAX_UPLOAD_BYTES wins
MAX_ELEMENTS = 150_000
MAX_LOOP_DEPTH = 4
# The sample renders in ~10 ms of CPU (a 500-row table in ~80 ms): 0.2 s is generous and
# keeps every rejection, a CPU bomb included, under one second even on a busy server. CPU
# time, not wall time, so that load does not fail a good template; the wall-clock limit
# catches a child stuck outside Python (a regular expression, lxml) or starved.
RENDER_CPU_SECONDS = 0.2
TRIAL_WALL_SECONDS = 5
TRIAL_CPU_SECONDS = 4  # the kernel's limit for the whole trial (SIGXCPU)
TRIAL_MEMORY = 1024 * 1024 * 1024  # address space the trial may add to what it inherits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MAIN_TYPES = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"}
WEB_LINK = re.compile(r"^(https?|mailto):", re.IGNORECASE)
# Field codes that make Word or LibreOffice load a file or a URL, or run a program (DDE).
FETCHING_FIELDS = re.compile(r"(?<![A-Z])(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDEAUTO|DDE|IMPORT)"
                             r"(?![A-Z])", re.IGNORECASE)
# What a template may apply: our filters plus Jinja's that neither reach attributes nor build
# unbounded text (`center`, `indent`, `format`, `replace`, `batch` can; `safe` and `xmlattr`
# would let user text into the XML unescaped).
ALLOWED_FILTERS = frozenset(engine.DOC_FILTERS) | {
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "int", "items", "join", "last", "length", "list", "lower", "max", "min", "reverse", "round",
    "sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper",
    "wordcount"}
ALLOWED_METHODS = {"items", "keys", "values"}  # dict iteration, without arguments
# Nodes a data-only template is made of; anything else is named in the rejection.
ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const,
                 nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Filter, nodes.Test, nodes.If,
                 nodes.For, nodes.CondExpr, nodes.Compare, nodes.Operand, nodes.And, nodes.Or,
                 nodes.Not, nodes.Neg, nodes.Pos, nodes.Concat, nodes.Add, nodes.Sub, nodes.Mul,
                 nodes.Div, nodes.FloorDiv, nodes.List, nodes.Tuple, nodes.Dict, nodes.Pair,
                 nodes.Keyword, nodes.FilterBlock, nodes.Call)
# Loops run over the document's data only: no lists or strings built in the template.
LOOP_SOURCE_NODES = (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Const, nodes.Slice,
                     nodes.Filter, nodes.Keyword, nodes.Call)
FORBIDDEN = {
    nodes.Macro: "макрос {% macro %}", nodes.CallBlock: "блок {% call %}",
    nodes.Assign: "присваивание {% set %}", nodes.AssignBlock: "присваивание {% set %}",
    nodes.With: "блок {% with %}", nodes.Pow: "оператор **", nodes.Mod: "оператор %",
    nodes.Scope: "управление экранированием {% autoescape %}",
    nodes.ScopedEvalContextModifier: "управление экранированием {% autoescape %}",
    nodes.EvalContextModifier: "управление экранированием {% autoescape %}",
    nodes.Extends: "наследование шаблонов {% extends %}", nodes.Block: "блок {% block %}",
    nodes.Include: "вставка другого шаблона {% include %}",
    nodes.Import: "импорт шаблонов {% import %}", nodes.FromImport: "импорт шаблонов {% import %}",
}

DAMAGED = "Файл повреждён или не является документом Word .docx."
OLD_WORD = ("Это файл старого формата Word (.doc) или документ, защищённый паролем: "
            "сохраните его в Word как «Документ Word (.docx)» без пароля и загрузите снова.")
DATA_ONLY = "Шаблон только выводит данные документа; вычисления делаются в программе."


class TemplateRejected(Exception):
    """The upload is not an acceptable template; str(error) is the reason in Russian."""


def check_template(doctype, data):
    """Check an uploaded template for `doctype` (a Doctype or its key); return the sorted
    variables it reads. Raises TemplateRejected with the reason in Russian."""
    if isinstance(doctype, str):
        doctype = registry.get_doctype(doctype)
    try:
        archive = _open_package(data)
        _check_parts(archive)
        _check_xml(archive)
        return _trial(doctype, data)
    except TemplateRejected:
        raise
    except Exception as error:  # any parser or zip failure of a hostile file
        raise TemplateRejected(DAMAGED) from error


# --- 1. the container -------------------------------------------------------------------

def _seconds(value):
    return f"{value:g}".replace(".", ",")


def _open_package(data):
    limit = current_app.config["MAX_UPLOAD_BYTES"] if has_app_context() else MAX_BYTES
    if len(data) > limit:
        raise TemplateRejected(f"Файл больше {megabytes(limit)} ({megabytes(len(data))}).")
    if data[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: .doc, or a .docx encrypted with a password
        raise TemplateRejected(OLD_WORD)
    try:
        return open_archive(data, damaged=DAMAGED)
    except ArchiveRejected as error:
        raise TemplateRejected(str(error)) from error


def _check_parts(archive):
    """What makes the checked zip a Word document without macros."""
    names = archive.names
    for required in ("[Content_Types].xml", "word/document.xml"):
        if required not in names:
            raise TemplateRejected(f"В файле нет обязательной части {required}: "
                                   "это не документ Word .docx.")
    for name in names:
        lower = name.lower()
        if lower.endswith(("vbaproject.bin", "vbadata.xml")) or "/activex/" in lower:
            raise TemplateRejected(f"Документ содержит макросы или элементы ActiveX ({name}): "
                                   "сохраните его как «Документ Word (.docx)» без макросов.")


# --- 2. the XML parts ---------------------------------------------------------------------

def xml_parser(target=None):
    # No entities, no DTD, no network, libxml2's size limits on: XXE and billion laughs fail.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, target=target)


class _Scan:
    """A parser target: counts elements across parts (stopping early, so an element bomb
    costs milliseconds), refuses a DOCTYPE, and collects field codes."""

    def __init__(self):
        self.elements = 0
        self.instruction = None  # text of the w:instrText being read
        self.field = []  # the current field's instruction, across runs
        self.paragraphs = []  # text of the open paragraphs (a text box nests one in another)
        self.in_text = False

    def doctype(self, name, public_id, system_id):
        raise TemplateRejected("В документе есть объявление DOCTYPE (внешние сущности, "
                               "«billion laughs»): такие файлы не принимаются.")

    def start(self, tag, attrib):
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TemplateRejected(TOO_MANY_ELEMENTS)
        if tag == W + "fldChar":  # a field's instruction lies between its begin and separate
            self._check_field("".join(self.field))
            self.field = []
        elif tag == W + "fldSimple":
            self._check_field(attrib.get(W + "instr", ""))
        elif tag == W + "instrText":
            self.instruction = []
        elif tag == W + "p":
            self.paragraphs.append([])
        elif tag == W + "t":
            self.in_text = True

    def data(self, text):
        if self.instruction is not None:
            self.instruction.append(text)
        if self.in_text and self.paragraphs:
            self.paragraphs[-1].append(text)

    def end(self, tag):
        if tag == W + "instrText" and self.instruction is not None:
            self.field.append("".join(self.instruction))
            self.instruction = None
        elif tag == W + "t":
            self.in_text = False
        elif tag == W + "p" and self.paragraphs:
            self._check_tags("".join(self.paragraphs.pop()))

    def close(self):
        self._check_field("".join(self.field))
        self.field = []

    @staticmethod
    def _check_tags(text):
        # docxtpl joins a tag split across paragraphs by deleting everything in between:
        # the paragraphs vanish from every document without an error.
        if any(text.count(a) != text.count(b) for a, b in (("{{", "}}"), ("{%", "%}"))):
            text = text if len(text) <= 80 else text[:77] + "…"
            raise TemplateRejected(f"Тег шаблона не закрыт в своём абзаце: «{text}». Каждый "
                                   "тег {{ … }} и {% … %} начинается и заканчивается в одном "
                                   "абзаце.")

    @staticmethod
    def _check_field(instruction):
        found = FETCHING_FIELDS.search(instruction)
        if found:
            raise TemplateRejected(f"В документе есть поле {found.group(1).upper()}, которое "
                                   "загружает внешние данные: удалите это поле.")


TOO_MANY_ELEMENTS = (f"В документе слишком много элементов (более {MAX_ELEMENTS:_}): так "
                     "выглядит «бомба» из пустых абзацев.".replace("_", " "))


def _check_xml(archive):
    parts = archive.xml_parts()  # already inflated within the limits, DOCTYPE refused
    # Counting "<" at C speed refuses an element bomb in milliseconds; for UTF-8 it is the
    # exact element count (UTF-16 only over-counts), the parser below counts exactly.
    estimate = sum(data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")
                   for _, data in parts)
    if estimate > MAX_ELEMENTS:
        raise TemplateRejected(TOO_MANY_ELEMENTS)
    scan = _Scan()
    for name, data in parts:
        etree.fromstring(data, xml_parser(scan))
        if name == "[Content_Types].xml":
            _check_content_types(etree.fromstring(data, xml_parser()))
        elif name.lower().endswith(".rels"):
            _check_relationships(etree.fromstring(data, xml_parser()))


def _check_content_types(root):
    types = {e.get("ContentType", "") for e in root.iter(CT + "Default", CT + "Override")}
    if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for t in types):
        raise TemplateRejected("Документ содержит макросы (формат .docm): сохраните его как "
                               "«Документ Word (.docx)».")
    main = {e.get("ContentType") for e in root.iter(CT + "Override")
            if e.get("PartName", "").lower() == "/word/document.xml"}
    if not main & MAIN_TYPES:
        raise TemplateRejected(DAMAGED)


def _check_relationships(root):
    for relationship in root.iter(REL + "Relationship"):
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        target = relationship.get("Target", "")
        external = relationship.get("TargetMode", "").strip().lower() == "external"
        if external and kind == "hyperlink" and WEB_LINK.match(target.strip()):
            continue
        if external or "://" in target:
            raise TemplateRejected(f"Документ ссылается на внешний ресурс ({kind}: "
                                   f"{target[:100]}). Вставьте рисунки и другие объекты в сам "
                                   "документ; внешними могут быть только гиперссылки на сайты.")


# --- 3. the template, in a separate process ---------------------------------------------------

def _trial(doctype, data):
    sample = doctype.sample_context()
    known = set(doctype.variables) | set(sample)
    return run_limited(_compile_check_render, data, sample, known, doctype.title)


TIMED_OUT, CRASHED = object(), object()


def run_limited(function, *args, wall_seconds=None):
    """`function(*args)` in a forked child with a memory cap, a CPU limit and a wall-clock
    limit; its small picklable result, or its TemplateRejected, comes back through a pipe."""
    wall_seconds = TRIAL_WALL_SECONDS if wall_seconds is None else wall_seconds
    context = multiprocessing.get_context("fork")  # ~20 ms; spawn would re-import the app
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args), daemon=True)
    child.start()
    sender.close()
    outcome = CRASHED  # the child died without a word: killed by a limit, or crashed
    try:
        outcome = receiver.recv() if receiver.poll(wall_seconds) else TIMED_OUT
    except EOFError:
        pass
    finally:
        if outcome is TIMED_OUT:
            child.kill()
        child.join(1)
        if child.is_alive():  # stuck after answering: never leave it behind
            child.kill()
            child.join()
        receiver.close()
    if outcome is TIMED_OUT:
        raise TemplateRejected(f"Пробное заполнение шаблона образцом данных не закончилось за "
                               f"{_seconds(wall_seconds)} с: шаблон слишком сложный.")
    if outcome is CRASHED:
        raise TemplateRejected("Пробное заполнение шаблона образцом данных прервано: ему не "
                               "хватило памяти или шаблон слишком сложный.")
    status, value = outcome
    if status == "rejected":
        raise TemplateRejected(value)
    return value


OUT_OF_TIME = ("Пробное заполнение шаблона образцом данных не уложилось в {} с: в шаблоне "
               "слишком много повторений (вложенные циклы).")
_answer = None  # in a trial child: the pipe its outcome goes back through
_budget = None  # seconds of the running cpu_budget


def _out_of_time(signum, frame):
    # Python runs this between any two bytecodes, even inside a finaliser or a generator's
    # close(), where a raised exception would be swallowed and the loop would go on: answer
    # and leave at once instead.
    _answer.send(("rejected", OUT_OF_TIME.format(_seconds(_budget))))
    os._exit(0)


@contextmanager
def cpu_budget(seconds):
    """Inside `run_limited` only: after `seconds` of CPU time (not wall time: a busy server
    does not fail a good template) the child answers «out of time» and exits."""
    global _budget
    if _answer is None:
        raise RuntimeError("cpu_budget() works in a run_limited() child only")
    _budget = seconds
    signal.signal(signal.SIGPROF, _out_of_time)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def _address_space():
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _limit(kind, soft):
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _child(sender, function, args):
    global _answer
    _answer = sender
    # The memory cap is on top of what the fork inherited: a worker's address space (thread
    # stacks, malloc arenas) can exceed 1 GB without using it.
    _limit(resource.RLIMIT_AS, _address_space() + TRIAL_MEMORY)
    _limit(resource.RLIMIT_CPU, TRIAL_CPU_SECONDS)
    try:
        outcome = ("ok", function(*args))
    except TemplateRejected as error:
        outcome = ("rejected", str(error))
    except MemoryError:
        outcome = ("rejected", "Пробное заполнение шаблона образцом данных прервано: ему не "
                               "хватило памяти.")
    except RecursionError:
        outcome = ("rejected", "Шаблон слишком сложный: слишком глубокая вложенность тегов.")
    except Exception:  # noqa: BLE001 - the gate's catch-all, on this side of the pipe
        outcome = ("rejected", DAMAGED)
    sender.send(outcome)
    sender.close()


def _compile_check_render(data, sample, known, title):
    """Runs in the child: compile, walk the syntax tree, check variables, render, re-parse."""
    try:
        template = engine.CompiledTemplate(data)
    except TemplateSyntaxError as error:
        raise TemplateRejected(_syntax_message(error)) from error
    for info, part in template.entries:  # footnotes, document properties…: never filled in
        if info.filename.lower().endswith(".xml") and info.filename not in template.sources \
                and re.search(rb"\{\{|\{%", part):
            raise TemplateRejected(f"Теги шаблона стоят там, где они не заполняются "
                                   f"({info.filename}: сноски, свойства документа и т. п.). "
                                   "Оставьте их только в тексте документа и колонтитулах.")
    used = set()
    for source in template.sources.values():
        tree = template.env.parse(source)
        _check_syntax_tree(tree, source)
        used |= meta.find_undeclared_variables(tree)
    unknown = used - known
    if unknown:
        raise TemplateRejected(f"В шаблоне есть неизвестные переменные: {', '.join(sorted(unknown))}."
                               f" Доступны: {', '.join(sorted(known))}.")
    try:
        with cpu_budget(RENDER_CPU_SECONDS):  # the loops run here; the rest is linear
            output = template.render(sample, title)
    except engine.RenderError as error:
        raise TemplateRejected(f"Пробное заполнение шаблона образцом данных не удалось. "
                               f"{error}") from error
    except (ArithmeticError, TypeError, ValueError, LookupError) as error:  # `{{ 1 / 0 }}`
        raise TemplateRejected(f"Пробное заполнение шаблона образцом данных не удалось: "
                               f"{error}.") from error
    _check_output(output)
    return sorted(used)


def _where(source, lineno):
    """The text of the paragraph at `lineno` (the engine puts one paragraph per line)."""
    lines = source.splitlines()
    line = lines[lineno - 1] if 0 < (lineno or 0) <= len(lines) else ""
    text = " ".join(unescape(re.sub(r"<[^>]*>", "", line)).split())
    text = text if len(text) <= 80 else text[:77] + "…"
    return f" (абзац «{text}»)" if text else ""


def _syntax_message(error):
    where = _where(error.source or "", error.lineno)
    unknown = re.match(r"No (filter|test) named '([^']*)'", error.message or "")
    if unknown:
        kind = "фильтр «{}» неизвестен" if unknown.group(1) == "filter" else \
            "проверка «{}» неизвестна"
        return f"В шаблоне {kind.format(unknown.group(2))}{where}."
    return (f"Ошибка в записи тегов шаблона{where}: "
            f"{(error.message or '').rstrip('.')}. Проверьте парные скобки {{{{ … }}}} и {{% … %}}, "
            "а также закрывающие теги (endif, endfor).")


def _check_syntax_tree(tree, source):
    """Only reading and printing data: first the private-attribute rule (the sandbox escapes
    all go through one), then the shape of every node (see ALLOWED_NODES)."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Keyword, nodes.Name)):
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem):
            name = getattr(node.arg, "value", "")
        elif isinstance(node, nodes.Keyword):  # sort(attribute="__class__")
            name = getattr(node.value, "value", "") if node.key == "attribute" else ""
        elif node.name == "self":  # the template object: self._TemplateReference__context
            _reject(node, source, "обращение к самому шаблону («self»)")
        else:
            continue
        if isinstance(name, str) and name.startswith("_"):
            _reject(node, source, f"обращение к служебному атрибуту «{name[:40]}»")
    _walk(tree, source, 0)


def _reject(node, source, what):
    raise TemplateRejected(f"В шаблоне недопустимо: {what}{_where(source, node.lineno)}. "
                           f"{DATA_ONLY}")


def _walk(node, source, loops):
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        _reject(node, source, f"фильтр «{node.name}»")
    elif isinstance(node, nodes.Call):
        method = node.node.attr if isinstance(node.node, nodes.Getattr) else None
        if method not in ALLOWED_METHODS or node.args or node.kwargs or node.dyn_args \
                or node.dyn_kwargs:
            _reject(node, source, "вызов функции или метода")
    elif isinstance(node, nodes.For):
        loops += 1
        if loops > MAX_LOOP_DEPTH:
            _reject(node, source, f"цикл глубже {MAX_LOOP_DEPTH} уровней")
        if node.recursive or not isinstance(node.iter, LOOP_SOURCE_NODES) or not all(
                isinstance(n, LOOP_SOURCE_NODES) for n in node.iter.find_all(nodes.Node)):
            _reject(node, source, "цикл по списку или строке, составленным в самом шаблоне")
    elif not isinstance(node, ALLOWED_NODES):
        _reject(node, source, FORBIDDEN.get(type(node), f"конструкция «{type(node).__name__}»"))
    for child in node.iter_child_nodes():
        _walk(child, source, loops)


# Elements whose text would be character data where Word expects only elements: what
# `{{r x }}`/`{{p x }}` tags (docxtpl rich-text objects we never pass) leave behind.
_STRUCTURE = {W + name for name in ("body", "p", "r", "tbl", "tr", "tc", "hdr", "ftr", "pPr",
                                    "rPr", "sectPr")}


def _check_output(output):
    """The sample document: every part parses strictly, python-docx opens it, and no text
    lies outside runs."""
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        for name in archive.namelist():
            if name.lower().endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(name), xml_parser())
                for element in root.iter(*_STRUCTURE):
                    stray = (element.text or "").strip() or any(
                        (child.tail or "").strip() for child in element)
                    if stray:
                        raise TemplateRejected(
                            f"Пробный документ получился неверным ({name}): текст стоит вне "
                            "абзаца. Теги {{r …}}, {{p …}}, {{tr …}} с простыми данными не "
                            "используются: пишите {{ … }}.")
    docx.Document(io.BytesIO(output))
