"""Running a methodology: a pure function over plain data (no database, no Flask), so the
published list can be recomputed from the published methodology and the stored results.

`results` are tuples (school_id, procedure, subject, grade, year, participants, failed,
mean_score): `failed` is the number of «2» (ВПР, ОГЭ) or below the minimum threshold (ЕГЭ);
`year` is the calendar year of the procedure. The list for school year Y reads the results of
year Y (the spring before it) and the years before.
"""
from collections import defaultdict

from models.assessment import PROCEDURES as PROCEDURE_LABELS
from models.methodology import CONTEXT_SHARES

from ..core.filters import plural_ru as plural

SHARES = tuple(CONTEXT_SHARES)
SHARE_WORDS = {"low_income": "малоимущие семьи", "single_parent": "неполные семьи",
               "preventive": "профилактические учёты", "special_needs": "ОВЗ",
               "non_native": "русский язык не родной"}
DEFAULT_SIZE_LIMIT = 300

# Parameter limits: (min, max) — the form and the run both check them.
LIMITS = {"threshold": (1, 100), "min_procedures": (1, 12), "years": (1, 5), "gap": (0, 100),
          "above": (0, 100), "weight": (0, 10), "size_limit": (1, 5000), "min_met": (1, 4),
          "near": (0, 50)}


def num(value, digits=1):
    """«34,2»: a decimal comma, as the pages and the order print numbers."""
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")


def _subject(subject):
    return subject[:1].lower() + subject[1:] if subject else subject


def procedure_name(procedure, subject, grade=None):
    """«ВПР, математика, 5 класс»."""
    parts = [PROCEDURE_LABELS.get(procedure, procedure), _subject(subject)]
    if grade:
        parts.append(f"{grade} класс")
    return ", ".join(parts)


def needed_years(criterion):
    if criterion.get("kind") in ("federal", "vpr_share"):
        return int(criterion.get("years", 2))
    return 1


def window(method):
    """How many years back (including the list's) the methodology reads."""
    return max([needed_years(c) for c in method["criteria"]] or [1])


def describe(criterion):
    """One line saying what a criterion checks, with its parameters (pages, order, site)."""
    kind = criterion.get("kind")
    if kind == "federal":
        return (f"не менее {num(criterion['threshold'], 0)} % участников ниже минимального порога "
                f"(«2») в {criterion['min_procedures']} и более процедурах (ВПР, ОГЭ, ЕГЭ) в "
                f"текущем году и в одной и той же процедуре {criterion['years']} года подряд")
    if kind == "vpr_share":
        grades = criterion.get("grades") or []
        grade = f", {', '.join(map(str, grades))} класс" if grades else ""
        return (f"доля «2» на ВПР ({_subject(criterion['subject'])}{grade}) не ниже "
                f"{num(criterion['threshold'])} % в каждом из {criterion['years']} последних лет")
    if kind == "mean_below":
        return (f"средний балл {PROCEDURE_LABELS.get(criterion['procedure'])} "
                f"({_subject(criterion['subject'])}) ниже среднего по муниципалитету более чем "
                f"на {num(criterion['gap'])} балла")
    if kind == "context":
        weights = criterion.get("weights") or {}
        used = ", ".join(f"{SHARE_WORDS[name]} × {num(weights[name])}" for name in SHARES
                         if weights.get(name))
        return (f"индекс социального контекста (ШФНСУ: {used}) выше среднего по кластеру "
                f"(городские / сельские, до {criterion.get('size_limit', DEFAULT_SIZE_LIMIT)} "
                f"обучающихся / больше) более чем на {num(criterion['above'])} п.")
    return kind or ""


def short(criterion):
    """A short name of a criterion for the list page: «Федеральный критерий (30 %, …)»."""
    kind = criterion.get("kind")
    if kind == "federal":
        return (f"Федеральный критерий ({num(criterion['threshold'], 0)} %, от "
                f"{criterion['min_procedures']} процедур, {criterion['years']} года подряд)")
    if kind == "vpr_share":
        return (f"ВПР, {_subject(criterion['subject'])}: «2» не ниже "
                f"{num(criterion['threshold'])} % {criterion['years']} года")
    if kind == "mean_below":
        return (f"{PROCEDURE_LABELS.get(criterion['procedure'])}, "
                f"{_subject(criterion['subject'])}: ниже среднего более чем на "
                f"{num(criterion['gap'])}")
    if kind == "context":
        return f"ШФНСУ: индекс выше среднего по кластеру более чем на {num(criterion['above'])}"
    return kind or ""


class _Data:
    """The results indexed once: by school → (procedure, subject, grade) → year → row, and the
    municipal sums of mean scores."""

    def __init__(self, results):
        self.by_school = defaultdict(lambda: defaultdict(dict))
        self.procedures = defaultdict(set)  # school → procedures it has in any year
        self.years = defaultdict(set)  # school → {(procedure, year)}
        self.mean_sums = defaultdict(lambda: [0.0, 0])  # (procedure, subject, year) → [Σ, n]
        for school, procedure, subject, grade, year, participants, failed, mean in results:
            self.by_school[school][(procedure, subject, grade)][year] = (participants, failed,
                                                                         mean)
            self.procedures[school].add(procedure)
            self.years[school].add((procedure, year))
            if mean is not None and participants:
                sums = self.mean_sums[(procedure, subject, year)]
                sums[0] += float(mean) * participants
                sums[1] += participants

    @staticmethod
    def share(cell):
        participants, failed, _ = cell
        if not participants or failed is None:
            return None
        return failed * 100.0 / participants


def _share_line(key, cells, years, procedure):
    """«ВПР, математика, 5 класс: 34,2 % «2» (2025), 31,0 % (2026)»."""
    what = "ниже минимума" if procedure == "ege" else "«2»"
    parts = []
    for year in years:
        if year in cells and _Data.share(cells[year]) is not None:
            unit = f" % {what}" if not parts else " %"
            parts.append(f"{num(_Data.share(cells[year]))}{unit} ({year})")
    return f"{procedure_name(*key)}: " + ", ".join(parts) if parts else ""


def _federal(c, data, school, year, relax):
    threshold = float(c["threshold"]) - relax
    years = [year - k for k in range(int(c["years"]) - 1, -1, -1)]
    cells = data.by_school.get(school, {})
    hits, running = [], []
    for key, by_year in cells.items():
        share = _Data.share(by_year[year]) if year in by_year else None
        if share is None or share < threshold:
            continue
        hits.append(key)
        if all(y in by_year and (_Data.share(by_year[y]) or 0) >= threshold for y in years):
            running.append(key)
    met = len(hits) >= int(c["min_procedures"]) and bool(running)
    lines = []
    if relax == 0:
        lines = [f"не ниже порога в {year} году — {len(hits)} "
                 f"{plural(len(hits), 'процедура', 'процедуры', 'процедур')}, из них "
                 f"{c['years']} года подряд — {len(running)}"]
        lines += [_share_line(key, cells[key], years, key[0]) for key in sorted(hits)]
    return met, lines


def _vpr_share(c, data, school, year, relax):
    threshold = float(c["threshold"]) - relax
    years = [year - k for k in range(int(c["years"]) - 1, -1, -1)]
    grades = set(c.get("grades") or [])
    cells = data.by_school.get(school, {})
    met, lines = False, []
    for key in sorted(cells):
        procedure, subject, grade = key
        if procedure != "vpr" or subject != c["subject"] or (grades and grade not in grades):
            continue
        shares = [_Data.share(cells[key][y]) if y in cells[key] else None for y in years]
        if all(s is not None and s >= threshold for s in shares):
            met = True
        if relax == 0:
            line = _share_line(key, cells[key], years, procedure)
            if line:
                lines.append(line)
    return met, lines


def _mean_below(c, data, school, year, relax):
    gap = float(c["gap"]) - relax
    sums = data.mean_sums.get((c["procedure"], c["subject"], year))
    cells = data.by_school.get(school, {})
    total, weight = 0.0, 0
    for (procedure, subject, _), by_year in cells.items():
        if procedure == c["procedure"] and subject == c["subject"] and year in by_year:
            participants, _, mean = by_year[year]
            if mean is not None and participants:
                total += float(mean) * participants
                weight += participants
    if not sums or not sums[1] or not weight:
        return False, ([f"{procedure_name(c['procedure'], c['subject'])}: нет результатов за "
                        f"{year} год"] if relax == 0 and c["procedure"] in
                       data.procedures.get(school, ()) else [])
    own, municipal = total / weight, sums[0] / sums[1]
    met = municipal - own > gap
    lines = []
    if relax == 0:
        lines = [f"{procedure_name(c['procedure'], c['subject'])}: средний балл {num(own)} при "
                 f"среднем по муниципалитету {num(municipal)} ({num(own - municipal)}) ({year})"]
    return met, lines


def context_indices(c, contexts):
    """{school: (index, cluster label)} and {cluster label: mean index}."""
    weights = {name: float((c.get("weights") or {}).get(name) or 0) for name in SHARES}
    total = sum(weights.values()) or 1.0
    limit = int(c.get("size_limit") or DEFAULT_SIZE_LIMIT)
    indices, clusters = {}, defaultdict(list)
    for school, ctx in contexts.items():
        index = sum(weights[name] * float(ctx.get(name) or 0) for name in SHARES) / total
        label = (("сельские" if ctx.get("is_rural") else "городские") + ", "
                 + (f"до {limit} обучающихся" if (ctx.get("students") or 0) <= limit
                    else f"более {limit} обучающихся"))
        indices[school] = (index, label)
        clusters[label].append(index)
    return indices, {label: sum(v) / len(v) for label, v in clusters.items()}


def _context(c, prepared, school, relax):
    indices, means = prepared
    if school not in indices:
        return False, ["нет данных о социальном контексте"] if relax == 0 else []
    index, label = indices[school]
    mean = means[label]
    met = index - mean > float(c["above"]) - relax
    lines = []
    if relax == 0:
        lines = [f"индекс ШФНСУ {num(index)} при среднем {num(mean)} в группе «{label}» "
                 f"({'+' if index >= mean else ''}{num(index - mean)})"]
    return met, lines


def _check(c, data, prepared, school, year, relax):
    kind = c["kind"]
    if kind == "federal":
        return _federal(c, data, school, year, relax)
    if kind == "vpr_share":
        return _vpr_share(c, data, school, year, relax)
    if kind == "mean_below":
        return _mean_below(c, data, school, year, relax)
    if kind == "context":
        return _context(c, prepared, school, relax)
    raise ValueError(f"unknown criterion {kind}")


def missing_data(method, year, results_data, contexts, schools):
    """[(school name, [«ВПР 2025», …])] of what the run needs and lacks. A procedure a school
    never has (ЕГЭ at a basic school) is not asked of it."""
    out = []
    for school, name in schools:
        lacks = []
        have = results_data.procedures.get(school, set())
        seen = results_data.years.get(school, set())
        for c in method["criteria"]:
            kind = c["kind"]
            if kind == "context":
                if school not in contexts:
                    lacks.append("данные о социальном контексте")
                continue
            if kind == "federal":
                procedures = sorted(have) or ["vpr", "oge"]
            elif kind == "vpr_share":
                procedures = ["vpr"]
            else:
                procedures = [c["procedure"]] if c["procedure"] in have else []
            for procedure in procedures:
                for y in range(year - needed_years(c) + 1, year + 1):
                    label = f"{PROCEDURE_LABELS.get(procedure, procedure)} {y}"
                    if (procedure, y) not in seen and label not in lacks:
                        lacks.append(label)
        if lacks:
            out.append((name, lacks))
    return out


def evaluate(method, year, results, contexts, schools, previous=()):
    """Run `method` ({"criteria": [...], "min_met": n, "near": margin}) for school year `year`.

    `contexts` {school: {is_rural, students, shares…}} of that year, `schools` [(id, name)]
    in the list's order, `previous` the ids listed last year. Returns {"missing": [(name,
    [what])], "rows": [...]} — rows only when nothing is missing: each {"school", "name",
    "computed", "met", "near", "change", "criteria": [{"title", "met", "near", "lines"}]}.
    """
    data = _Data(results)
    missing = missing_data(method, year, data, contexts, schools)
    if missing:
        return {"missing": missing, "rows": []}
    prepared = {i: context_indices(c, contexts) for i, c in enumerate(method["criteria"])
                if c["kind"] == "context"}
    near = float(method.get("near") or 0)
    need = int(method.get("min_met") or 1)
    previous = set(previous)
    rows = []
    for school, name in schools:
        checks, met_count, near_count = [], 0, 0
        for i, c in enumerate(method["criteria"]):
            met, lines = _check(c, data, prepared.get(i), school, year, 0)
            close = False
            if not met and near:
                close = _check(c, data, prepared.get(i), school, year, near)[0]
            met_count += met
            near_count += met or close
            checks.append({"title": describe(c), "short": short(c), "met": met, "near": close,
                           "lines": [line for line in lines if line]})
        computed = met_count >= need
        was = school in previous
        rows.append({"school": school, "name": name, "computed": computed, "met": met_count,
                     "near": not computed and near_count >= need,
                     "change": ("entered" if computed and not was else
                                "left" if was and not computed else ""),
                     "criteria": checks})
    return {"missing": [], "rows": rows}
