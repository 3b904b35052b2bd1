"""A condition's text as the compiler reads it: where a node of its syntax tree sits in the
text (a character offset, across lines, past leading blanks: what ``ConditionError`` and
the rule-file loader point at), and what a syntax error in it means, with a hint where an
operator of another language was written (``=`` for ``==``, ``&&`` for ``and``) or syntax a
condition may not hold (``FORBIDDEN``, ``ALLOWED``); and the characters it may not hold at
all (``refuse_hidden``).
"""

from __future__ import annotations

import ast
import re
from typing import NoReturn

from .errors import ConditionError
from .exprfunctions import FUNCTIONS
from .termtext import HIDDEN

#: the syntax a condition may not hold, as its errors name it
FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access (x.y)",
    ast.Subscript: "subscripts (x[...])",
    ast.Lambda: "lambda",
    ast.JoinedStr: "f-strings",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "unpacking (*x)",
    ast.IfExp: "'a if c else b'",
    ast.Dict: "dicts",
    ast.Set: "sets",
    **dict.fromkeys((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp), "comprehensions"),
}
#: what a condition may hold, said after each error of syntax it may not
ALLOWED = (
    "a condition may use fact and parameter names, numbers, strings, True/False, "
    "and/or/not, comparisons, in/not in over a list, + - * / // %, and the functions "
    + ", ".join(FUNCTIONS)
)


class ConditionSource:
    """A condition's text; ``src`` is what is parsed (without its leading blanks, which the
    parser reads as an indent), ``shift`` how many were left out, ``starts`` where each of
    its lines starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.src = text.lstrip()  # the parser rejects leading whitespace as an indent
        self.shift = len(text) - len(self.src)
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.src)]

    def refuse_hidden(self) -> None:
        """A ``ConditionError`` at the first null, control (but tab, line breaks, form feed)
        or format character (invisible, U+200B, or turning the direction of text, U+202E)."""
        if "\0" in self.text:  # the parser's own message gives no usable offset
            raise ConditionError(
                "a condition cannot contain null characters", offset=self.text.index("\0")
            )
        hidden = first_hidden(self.text)
        if hidden is not None:
            # Inside a string or a comment the parser takes them; there they could make the
            # condition read otherwise than it runs ("Trojan Source", CVE-2021-42574).
            raise ConditionError(
                f"a condition cannot contain U+{ord(self.text[hidden]):04X}, a control "
                "character or one that is invisible or turns the direction of text",
                offset=hidden,
            )

    def refuse_folded(self, node: ast.Name) -> None:
        """A ``ConditionError`` at a name written in other letters than ASCII: Python reads
        ``ｍinutes_late`` (a full-width m) or ``𝐦inutes_late`` as ``minutes_late`` (NFKC),
        and the condition would run otherwise than it reads."""
        written = self.source(node)
        if written.isascii():
            return
        first = next(ch for ch in written if not ch.isascii())
        said = f", which Python reads as {node.id!r}" if node.id != written else ""
        self.fail(
            node,
            f"the name {written!r} is not ASCII (U+{ord(first):04X}{said}): names in a "
            "condition are ASCII, as columns, parameters and functions are; text in quotes "
            "may hold any",
        )

    def syntax_error(self, e: SyntaxError) -> NoReturn:
        line = min(max(e.lineno or 1, 1), len(self.starts))
        offset = len(self.src)  # no column: the parser ran out of text
        if e.offset:
            offset = min(self.starts[line - 1] + e.offset - 1, offset)
        multiline = "\n" in self.src or "\r" in self.src
        hint = "; a condition over several lines must be in parentheses" if multiline else ""
        hint = _other_language(self.src, offset) or hint
        raise ConditionError(
            f"not a valid condition: {e.msg}{hint}", offset=self.shift + offset
        ) from None

    def position(self, line: int, col: int) -> int:
        start = self.starts[line - 1]
        # ast columns count UTF-8 bytes, ConditionError offsets count characters
        prefix = self.src[start:].encode()[:col].decode("utf-8", "ignore")
        return self.shift + start + len(prefix)

    def offset(self, node: ast.AST) -> int:
        return self.position(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.position(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def source(self, node: ast.AST) -> str:
        return self.text[self.offset(node) : self.end(node)]

    def fail(self, node: ast.AST, message: str) -> NoReturn:
        raise ConditionError(message, offset=self.offset(node))


#: the hidden characters a text can hold: tab, line breaks, form feed; with ``joiners``, the
#: zero-width non-joiner and joiner too
_ALLOWED = frozenset(map(ord, "\t\n\r\x0c"))
_JOINED = _ALLOWED | {0x200C, 0x200D}


def first_hidden(text: str, *, joiners: bool = False) -> int | None:
    """Where the first character of a text is that a terminal or a report would not show as
    it is (``termtext.HIDDEN``): a control character but tab, line breaks and form feed, or
    a format character that is invisible (U+200B) or turns the direction of text (U+202E);
    ``joiners``: the zero-width joiner and non-joiner are not counted (emoji and some
    scripts need them in text, as a condition does not)."""
    allowed = _JOINED if joiners else _ALLOWED
    return next(
        (i for i, ch in enumerate(text) if ord(ch) in HIDDEN and ord(ch) not in allowed), None
    )


#: what other languages write, at the place the parser stopped, and what a condition writes
_OTHER_LANGUAGES = (
    ("&&", "and"),
    ("||", "or"),
    ("===", "=="),
    ("!==", "!="),
    ("<>", "!="),
    ("!", "not"),
    ("=", "=="),
)


def _other_language(src: str, offset: int) -> str:
    """A hint where the parser stopped at an operator of another language (``=`` for ``==``,
    ``&&`` for ``and``...): the operator a condition writes instead."""
    for start in (offset, offset - 1):  # the parser stops at an operator or in the middle
        at = src[max(start, 0) :]
        for theirs, ours in _OTHER_LANGUAGES:
            whole = start == offset or len(theirs) > 1
            if whole and at.startswith(theirs) and not (theirs == "=" and at.startswith("==")):
                return f"; write {ours!r}, not {theirs!r}"
    return ""
