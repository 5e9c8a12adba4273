"""Consistency rules between indicators: a tiny safe language over indicator codes.

A rule is arithmetic and comparisons, parsed with `ast` (mode="eval") and walked by hand:

    failed <= participants
    share_2 == failed / participants * 100 ± 0.5      (|a − b| ≤ t; «+-» is the same)
    0 <= quality <= 100 and not vacancies > teachers

Accepted: numbers (a decimal comma «12,5» is read as 12.5), names (indicator codes), + − * /,
unary minus and plus, parentheses, comparisons (chained too), and / or / not, and the
tolerance after == or !=. Everything else — calls, attributes, subscripts, strings, `**`,
comprehensions, lambdas — is refused with a Russian reason (RuleError). User text is never
given to eval/exec/compile: only to `ast.parse`, after length and nesting limits.

Arithmetic is Decimal, so 0.1 + 0.2 == 0.3 holds. `check` answers True / False, or None when a
value the rule uses is missing or the arithmetic has no answer (division by zero).
"""
import ast
import decimal
import re
from decimal import Decimal
from functools import lru_cache

MAX_LENGTH = 500
MAX_DEPTH = 50

# The tolerance sign becomes `|`: it binds looser than + − * / and tighter than comparisons,
# exactly where «b ± t» belongs; a `|` the user typed is refused before that.
_TOLERANCE = re.compile(r"±|\+-")
_DECIMAL_COMMA = re.compile(r"(?<![\w.])(\d+),(\d+)")
_CONTEXT = decimal.Context(prec=28, Emax=999_999, Emin=-999_999,
                           traps=[decimal.DivisionByZero, decimal.InvalidOperation,
                                  decimal.Overflow])

_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_REFUSED = {  # node type → why, in the words of a methodist
    ast.Call: "вызовы функций не допускаются",
    ast.Attribute: "обращение к атрибутам через точку не допускается",
    ast.Subscript: "индексы в квадратных скобках не допускаются",
    ast.Lambda: "lambda не допускается",
    ast.ListComp: "списки и генераторы не допускаются",
    ast.SetComp: "списки и генераторы не допускаются",
    ast.DictComp: "списки и генераторы не допускаются",
    ast.GeneratorExp: "списки и генераторы не допускаются",
    ast.List: "списки не допускаются",
    ast.Tuple: "перечисления через запятую не допускаются",
    ast.Set: "множества не допускаются",
    ast.Dict: "словари не допускаются",
    ast.IfExp: "условные выражения if … else не допускаются",
    ast.NamedExpr: "присваивание := не допускается",
    ast.JoinedStr: "строки не допускаются",
    ast.Starred: "звёздочка перед именем не допускается",
    ast.Await: "await не допускается",
    ast.Yield: "yield не допускается",
    ast.YieldFrom: "yield не допускается",
}


class RuleError(ValueError):
    """A rule that is not accepted; the message is Russian and shown to the user."""


class Rule:
    """A parsed, checked rule: the codes it uses and its evaluation over values."""

    __slots__ = ("text", "tree", "names")

    def __init__(self, text, tree, names):
        self.text, self.tree, self.names = text, tree, names

    def evaluate(self, values):
        """True / False, or None when a value is missing or the arithmetic has no answer."""
        numbers = {}
        for name in self.names:
            value = values.get(name)
            if value is None or value == "":
                return None
            number = _number(value)
            if number is None:
                return None
            numbers[name] = number
        try:
            with decimal.localcontext(_CONTEXT):
                return bool(_eval(self.tree, numbers))
        except (ArithmeticError, _NoAnswer):
            return None


class _NoAnswer(Exception):
    pass


def _number(value):
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if value == value and abs(value) != float("inf") else None
    return None  # text and choices take no part in arithmetic


def parse(text, allowed=None):
    """The Rule for `text`, or RuleError with the reason. `allowed`: the codes it may use."""
    rule = _parse(text if isinstance(text, str) else "")
    if allowed is not None:
        unknown = [name for name in rule.names if name not in allowed]
        if unknown:
            raise RuleError("Нет такого показателя: " + ", ".join(f"«{n}»" for n in unknown) + ".")
    return rule


@lru_cache(maxsize=512)
def _parse(text):
    source = text.strip()
    if not source:
        raise RuleError("Правило пустое.")
    if len(text) > MAX_LENGTH:
        raise RuleError(f"Правило длиннее {MAX_LENGTH} символов.")
    for sign, why in (("|", "знак «|» не допускается"), ("%", "знак «%» не допускается"),
                      ("\x00", "недопустимый символ")):
        if sign in source:
            raise RuleError(f"Правило не принято: {why}.")
    source = _DECIMAL_COMMA.sub(r"\1.\2", source)
    source = _TOLERANCE.sub(" | ", source)
    source = " ".join(source.split())  # one line: line breaks are spaces in a rule
    if source.count("(") > MAX_DEPTH:
        raise RuleError(f"Слишком много скобок (больше {MAX_DEPTH}).")
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise RuleError("Правило не разобрано: проверьте скобки, знаки и запятые "
                        "(пример: failed <= participants).") from None
    except (RecursionError, MemoryError, ValueError):
        raise RuleError("Правило слишком сложное.") from None
    _check_depth(tree)
    names = []
    _validate(tree, names)
    if not (isinstance(tree, (ast.Compare, ast.BoolOp))
            or (isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not))):
        raise RuleError("Правило должно быть сравнением (например, failed <= participants).")
    return Rule(text, tree, tuple(names))


def _check_depth(tree):
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RuleError(f"Правило слишком сложное (вложенность больше {MAX_DEPTH}).")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _validate(node, names, tolerance=False):
    """Refuse anything but the accepted forms; collect the names in order of appearance."""
    kind = type(node)
    if kind is ast.Constant:
        value = node.value
        if isinstance(value, str):
            raise RuleError("Правило не принято: строки в кавычках не допускаются.")
        if isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
            raise RuleError(f"Правило не принято: «{value!r}» — не число.")
        if isinstance(value, float) and not Decimal(str(value)).is_finite():
            raise RuleError("Правило не принято: слишком большое число.")
        return
    if kind is ast.Name:
        if node.id.startswith("_"):
            raise RuleError(f"Правило не принято: имя «{node.id}» не может начинаться с «_».")
        if node.id not in names:
            names.append(node.id)
        return
    if kind is ast.BinOp:
        if isinstance(node.op, ast.BitOr):
            if not tolerance:
                raise RuleError("Допуск «±» пишется только после == или != "
                                "(например, a == b ± 0,5).")
            _validate(node.left, names)
            _validate(node.right, names)
            return
        if type(node.op) not in _ARITHMETIC:
            sign = {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%", ast.LShift: "<<",
                    ast.RShift: ">>", ast.BitAnd: "&", ast.BitXor: "^",
                    ast.MatMult: "@"}.get(type(node.op), "?")
            raise RuleError(f"Правило не принято: операция «{sign}» не допускается "
                            "(только + − * /).")
        _validate(node.left, names)
        _validate(node.right, names)
        return
    if kind is ast.UnaryOp:
        if isinstance(node.op, ast.Invert):
            raise RuleError("Правило не принято: операция «~» не допускается.")
        _validate(node.operand, names)
        return
    if kind is ast.BoolOp:
        for value in node.values:
            _validate(value, names)
        return
    if kind is ast.Compare:
        _validate(node.left, names)
        for op, comparator in zip(node.ops, node.comparators):
            if type(op) not in _COMPARE:
                raise RuleError("Правило не принято: сравнения is / in не допускаются "
                                "(только <, <=, >, >=, ==, !=).")
            _validate(comparator, names,
                      tolerance=isinstance(op, (ast.Eq, ast.NotEq)))
        return
    why = _REFUSED.get(kind)
    if why is None:
        why = f"конструкция {kind.__name__} не допускается"
    raise RuleError(f"Правило не принято: {why}.")


def _is_tolerance(node):
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)


def _eval(node, values):
    kind = type(node)
    if kind is ast.Constant:
        return Decimal(str(node.value))
    if kind is ast.Name:
        return values[node.id]
    if kind is ast.BinOp:
        left, right = _eval(node.left, values), _eval(node.right, values)
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            if right == 0:
                raise _NoAnswer()
            return left / right
        raise _NoAnswer()  # unreachable: validated
    if kind is ast.UnaryOp:
        operand = _eval(node.operand, values)
        if isinstance(node.op, ast.Not):
            return not operand
        return -operand if isinstance(node.op, ast.USub) else +operand
    if kind is ast.BoolOp:
        if isinstance(node.op, ast.And):
            return all(_eval(value, values) for value in node.values)
        return any(_eval(value, values) for value in node.values)
    if kind is ast.Compare:
        left = _eval(node.left, values)
        for op, comparator in zip(node.ops, node.comparators):
            if _is_tolerance(comparator):
                centre = _eval(comparator.left, values)
                spread = abs(_eval(comparator.right, values))
                close = abs(left - centre) <= spread
                ok = close if isinstance(op, ast.Eq) else not close
                right = centre
            else:
                right = _eval(comparator, values)
                ok = _compare(type(op), left, right)
            if not ok:
                return False
            left = right
        return True
    raise _NoAnswer()


def _compare(op, left, right):
    if op is ast.Lt:
        return left < right
    if op is ast.LtE:
        return left <= right
    if op is ast.Gt:
        return left > right
    if op is ast.GtE:
        return left >= right
    if op is ast.Eq:
        return left == right
    return left != right


def names(rule):
    """The codes a rule uses, in order of first appearance (RuleError if it is refused)."""
    return list(parse(rule).names)


def check(rule, values):
    """True / False for the rule over {code: value}; None when a value it uses is missing
    (an unfilled field does not break a rule) or a division by zero. RuleError if refused."""
    parsed = rule if isinstance(rule, Rule) else parse(rule)
    return parsed.evaluate(values)


__all__ = ["MAX_DEPTH", "MAX_LENGTH", "Rule", "RuleError", "check", "names", "parse"]
