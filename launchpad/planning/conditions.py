"""`when:` conditions: a tiny boolean language over launch parameters.

Parsed into a small tree and interpreted; never handed to `eval`, so a template cannot run
code. Grammar (lowest precedence first):

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("==" | "!=" | "in" | "not in") operand)?
    operand := NAME | STRING | NUMBER | true | false | "[" literals "]" | "(" expr ")"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

ParamValue = str | bool | int | float | list[str] | tuple[str, ...]

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<string>"[^"\\]*"|'[^'\\]*')
      | (?P<number>-?[0-9]+(?:\.[0-9]+)?)
      | (?P<op>==|!=|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}


class ConditionError(ValueError):
    """A condition that does not parse or names an unknown parameter."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (at column {column + 1})")
        self.column = column


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | float | bool | tuple[str | float | bool, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Logical:
    op: str
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


Node = Name | Literal | Compare | Logical | Not


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition and the text it came from."""

    text: str
    tree: Node

    def evaluate(self, params: Mapping[str, ParamValue]) -> bool:
        return bool(_truthy(_value(self.tree, params)))

    def names(self) -> list[Name]:
        return list(_names(self.tree))


def parse_condition(text: str) -> Condition:
    """Parse a `when:` condition or raise ConditionError naming the column."""
    parser = _Parser(text)
    tree = parser.expression()
    if parser.peek() is not None:
        raise ConditionError(f"unexpected '{parser.peek_text()}'", parser.column())
    return Condition(text, tree)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def peek_text(self) -> str:
        token = self.peek()
        return token[1] if token else "end of condition"

    def column(self) -> int:
        token = self.peek()
        return token[2] if token else len(self.text)

    def take(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token[1] == text and token[0] in ("op", "keyword"):
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.take(text):
            raise ConditionError(f"expected '{text}' but found '{self.peek_text()}'", self.column())

    def expression(self) -> Node:
        return self._chain("or", self.conjunction)

    def conjunction(self) -> Node:
        return self._chain("and", self.negation)

    def _chain(self, op: str, operand: Callable[[], Node]) -> Node:
        items = [operand()]
        while self.take(op):
            items.append(operand())
        return items[0] if len(items) == 1 else Logical(op, tuple(items))

    def negation(self) -> Node:
        return Not(self.negation()) if self.take("not") else self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        for op in ("==", "!=", "in"):
            if self.take(op):
                return Compare(op, left, self.operand())
        if self.take("not"):
            self.expect("in")
            return Compare("not in", left, self.operand())
        return left

    def operand(self) -> Node:
        token = self.peek()
        if token is None:
            raise ConditionError("the condition ends too early", len(self.text))
        kind, text, column = token
        self.index += 1
        if kind == "name":
            return Name(text, column)
        if kind == "string":
            return Literal(text[1:-1])
        if kind == "number":
            return Literal(float(text))
        if text in ("true", "false"):
            return Literal(text == "true")
        if text == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if text == "[":
            return self.list_literal()
        raise ConditionError(f"unexpected '{text}'", column)

    def list_literal(self) -> Literal:
        items: list[str | float | bool] = []
        while not self.take("]"):
            if items:
                self.expect(",")
            item = self.operand()
            if not isinstance(item, Literal) or isinstance(item.value, tuple):
                raise ConditionError("a list may only hold strings and numbers", self.column())
            items.append(item.value)
        return Literal(tuple(items))


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN_RE.match(text, position)
        if match is None or match.end() == position:
            column = position + len(text[position:]) - len(text[position:].lstrip())
            raise ConditionError(f"cannot read '{text[column : column + 10]}'", column)
        group = match.lastgroup or ""
        value = match.group(group)
        kind = "keyword" if group == "name" and value in _KEYWORDS else group
        tokens.append((kind, value, match.start(group)))
        position = match.end()
    return tokens


def _value(node: Node, params: Mapping[str, ParamValue]) -> object:
    if isinstance(node, Name):
        value = params.get(node.name)
        return tuple(value) if isinstance(value, list) else value
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Not):
        return not _truthy(_value(node.operand, params))
    if isinstance(node, Logical):
        results = (_truthy(_value(item, params)) for item in node.operands)
        return all(results) if node.op == "and" else any(results)
    return _compare(node.op, _value(node.left, params), _value(node.right, params))


def _compare(op: str, left: object, right: object) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    inside = isinstance(right, tuple) and left in right
    return inside if op == "in" else not inside


def _truthy(value: object) -> bool:
    return bool(value)


def _names(node: Node) -> list[Name]:
    if isinstance(node, Name):
        return [node]
    if isinstance(node, Compare):
        return _names(node.left) + _names(node.right)
    if isinstance(node, Not):
        return _names(node.operand)
    if isinstance(node, Logical):
        return [name for item in node.operands for name in _names(item)]
    return []
