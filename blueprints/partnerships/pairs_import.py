"""Pairs from an .xlsx: read, match the schools, directions and coordinator, report errors
per row, saving nothing; the confirmation creates every row or none (pairs.create_pairs).

Columns are found by their header names (any order, synonyms in COLUMNS) among the first
rows. Schools are matched by short or full name (quotes, case and «МБОУ» ignored) or by ИНН,
then, failing that, by the one school whose name the cell contains (core/orgnames)."""
import re

from openpyxl import Workbook

from models import INTERACTION_DIRECTIONS, Organization, Partnership, school_year

from ..core.orgnames import OrganizationMatcher, name_key
from ..core.sheets import append_text, header_sheet, workbook_bytes
from ..core.tables import TableProblem, non_empty_rows, xlsx_rows
from .pairs import COORDINATOR_KINDS

MAX_ROWS = 1000
HEADER_ROWS = 10
MAX_EMPTY_ROWS = 200
COLUMNS = {
    "leader": ["Школа-лидер", "Школа лидер", "Лидер", "ОО-лидер", "Школа с высокими результатами"],
    "partner": ["Школа-партнёр", "Школа-партнер", "Школа партнёр", "Партнёр", "Партнер", "ШНОР",
                "Школа с низкими результатами"],
    "directions": ["Направления", "Направления взаимодействия", "Направление"],
    "coordinator": ["Координатор"],
}
HEADERS = [names[0] for names in COLUMNS.values()]


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


def _norm(text):
    return re.sub(r"[^0-9a-zа-я]+", "", str(text or "").lower().replace("ё", "е"))


_LOOKUP = {_norm(name): field for field, names in COLUMNS.items() for name in names}
_DIRECTIONS = {_norm(label): key for key, label in INTERACTION_DIRECTIONS.items()}
_DIRECTIONS.update({_norm(key): key for key in INTERACTION_DIRECTIONS})


def read_rows(data):
    """[{"line", "leader", "partner", "directions", "coordinator"}] as written in the file."""
    try:
        table = non_empty_rows(xlsx_rows(data), HEADER_ROWS + MAX_ROWS, MAX_EMPTY_ROWS)
    except TableProblem as problem:
        raise ImportProblem(str(problem)) from problem
    if not table:
        raise ImportProblem("Файл пуст.")
    for position, (_, header) in enumerate(table[:HEADER_ROWS]):
        mapping = {}
        for index, title in enumerate(header):
            field = _LOOKUP.get(_norm(title))
            if field and field not in mapping:
                mapping[field] = index
        if "leader" in mapping and "partner" in mapping:
            break
    else:
        raise ImportProblem("Не найдена строка заголовков со столбцами «Школа-лидер» и "
                            "«Школа-партнёр».")
    body = table[position + 1:]
    if not body:
        raise ImportProblem("Под строкой заголовков нет ни одной пары.")
    if len(body) > MAX_ROWS:
        raise ImportProblem(f"Слишком много строк: не больше {MAX_ROWS} за один раз.")
    return [{"line": line, **{field: (cells[i] if i < len(cells) else "")[:1000]
                              for field, i in mapping.items()}} for line, cells in body]


class _Directory:
    """Schools and coordinators by name key and ИНН, loaded once per check."""

    def __init__(self):
        orgs = list(Organization.select(Organization.id, Organization.kind,
                                        Organization.short_name, Organization.full_name,
                                        Organization.inn))
        self.by_id = {o.id: o for o in orgs}
        self.keys = {}
        for org in orgs:
            for key in {name_key(org.short_name), name_key(org.full_name), org.inn.strip()}:
                if key:
                    self.keys.setdefault(key, set()).add(org.id)
        self.matcher = OrganizationMatcher(orgs)

    def find(self, text, kinds):
        """(organisation, None) or (None, reason)."""
        ids = {i for i in self.keys.get(name_key(text), set()) | self.keys.get(text.strip(), set())
               if self.by_id[i].kind in kinds}
        if not ids:
            ids = {i for i in self.matcher(text) if self.by_id[i].kind in kinds}
        if len(ids) == 1:
            return self.by_id[ids.pop()], None
        if ids:
            return None, f"«{text}» подходит к нескольким организациям: укажите ИНН"
        return None, f"«{text}» нет в справочнике"


def check(rows, year):
    """Each row with its "errors" and, when it has none, the ids to create (leader_id,
    partner_id, directions, coordinator_id) and the names to show."""
    directory = _Directory()
    taken = {p.partner_id: p.leader_id for p in Partnership.select(
        Partnership.partner, Partnership.leader).where(Partnership.period_start == year)}
    seen = {}
    result = []
    for row in rows:
        errors, out = [], dict(row, errors=[])
        leader = partner = coordinator = None
        if not row.get("leader"):
            errors.append("Не указана школа-лидер.")
        else:
            leader, reason = directory.find(row["leader"], ("school",))
            if reason:
                errors.append(f"Школа-лидер: {reason}.")
        if not row.get("partner"):
            errors.append("Не указана школа-партнёр.")
        else:
            partner, reason = directory.find(row["partner"], ("school",))
            if reason:
                errors.append(f"Школа-партнёр: {reason}.")
        if leader and partner and leader.id == partner.id:
            errors.append("Школа не может быть партнёром самой себе.")
        if partner:
            if partner.id in taken:
                other = directory.by_id.get(taken[partner.id])
                errors.append(f"У {partner.short_name} уже есть школа-лидер на "
                              f"{school_year(year)} учебный год"
                              f"{': ' + other.short_name if other else ''}.")
            elif partner.id in seen:
                errors.append(f"{partner.short_name} уже указана партнёром в строке "
                              f"{seen[partner.id]}.")
            else:
                seen[partner.id] = row["line"]
        directions = []
        for item in re.split(r"[,;\n]", row.get("directions", "")):
            if not item.strip():
                continue
            key = _DIRECTIONS.get(_norm(item))
            if key is None:
                errors.append(f"Неизвестное направление «{item.strip()}».")
            elif key not in directions:
                directions.append(key)
        if row.get("coordinator"):
            coordinator, reason = directory.find(row["coordinator"], COORDINATOR_KINDS)
            if reason:
                errors.append(f"Координатор: {reason} (координатор — методический центр или "
                              "управление образования).")
        out["errors"] = errors
        if not errors:
            out.update(leader_id=leader.id, partner_id=partner.id, direction_keys=directions,
                       coordinator_id=coordinator.id if coordinator else None,
                       leader_name=leader.short_name, partner_name=partner.short_name,
                       coordinator_name=coordinator.short_name if coordinator else "",
                       direction_labels=[INTERACTION_DIRECTIONS[k] for k in directions])
        result.append(out)
    return result


def template_xlsx():
    """An empty workbook with the headers the importer reads, and one example row."""
    book = Workbook()
    header_sheet(book.active, "Пары", HEADERS, (40, 40, 60, 40))
    reference = book.create_sheet("Направления")
    append_text(reference, ["Направления взаимодействия (пишите через запятую)"])
    for label in INTERACTION_DIRECTIONS.values():
        append_text(reference, [label])
    reference.column_dimensions["A"].width = 60
    return workbook_bytes(book)
