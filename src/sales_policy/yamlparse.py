"""The YAML parser of ``yamlfile``: PyYAML (libyaml's composer where PyYAML has it, the
pure-Python one for every error's exact place and reason), refusing what ``yamlfile`` says
is refused, and building its ``LocatedDict`` and ``LocatedList``.  Loaded on first use: a
command that parses no YAML does not import PyYAML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import SourceError
from .yamlfile import MAX_DEPTH, PLAIN_TAGS, LocatedDict, LocatedList, too_deep
from .yamlplaces import ScalarSpan

#: libyaml's parser when PyYAML was built with it (the wheels are): the same nodes and marks,
#: several times faster than the pure-Python parser; that one still gives every error message
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


class _RefusedError(yaml.MarkedYAMLError):
    """YAML that is valid but refused here: an alias (``*name``) to an anchor, or nesting
    deeper than ``MAX_DEPTH``."""


class _Loader(yaml.SafeLoader):
    #: how many nodes enclose the one being composed
    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedError(None, None, "anchors and aliases are not allowed", event.start_mark)
        if self.depth >= MAX_DEPTH:  # before Python's own recursion limit is reached
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _RefusedError(None, None, too_deep(), event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _not_text(key: Any, node: Node) -> str:
    """Why a key is refused; for a plain scalar YAML read as another type (``1``, ``on``,
    ``2026-11-01``), how to write it as the text it was meant to be."""
    if isinstance(node, ScalarNode) and not node.style and node.value:
        return (
            f"keys must be text, found {node.value} (read as {key!r}): "
            f"write '{node.value}' in quotes if the text is meant"
        )
    return f"keys must be text, found {key!r}"


def _build(node: Node, constructor: yaml.constructor.SafeConstructor, text: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        mapping = LocatedDict()
        mapping.line = line
        mapping.key_lines = {}
        mapping.value_spans = {}
        for key_node, value_node in node.value:
            key = _build(key_node, constructor, text)
            if not isinstance(key, str):
                raise _error(_not_text(key, key_node), key_node)
            if key in mapping:
                raise _error(f"duplicate key {key!r}", key_node)
            mapping[key] = _build(value_node, constructor, text)
            mapping.key_lines[key] = key_node.start_mark.line + 1
            if isinstance(value_node, ScalarNode):
                start, end = value_node.start_mark, value_node.end_mark
                mapping.value_spans[key] = ScalarSpan(
                    text,
                    start.index,
                    end.index,
                    start.line + 1,
                    start.column + 1,
                    value_node.style or None,  # libyaml's plain style is "", PyYAML's None
                    key_node.start_mark.column,
                )
        return mapping
    if isinstance(node, SequenceNode):
        sequence = LocatedList(_build(item, constructor, text) for item in node.value)
        sequence.line = line
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        return sequence
    assert isinstance(node, ScalarNode)
    misread = octal(node)
    if misread is not None:
        raise _error(misread, node)
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.MarkedYAMLError:
        raise
    except (ValueError, TypeError, LookupError, AttributeError, OverflowError):
        # a value its tag's constructor cannot build: 2026-02-30, or !!int abc
        raise _error(unreadable(node), node) from None


#: a whole number as YAML 1.1 reads in base 8: a 0 before other digits, perhaps with _ and a sign
_OCTAL = re.compile(r"[-+]?0[0-7_]+")


def octal(node: Node) -> str | None:
    """Why a number written plain with a leading zero is refused, where YAML 1.1 reads it
    otherwise than it reads: ``010`` is 8, the octal number, and not the 10 it shows (as
    YAML 1.2, and most readers, read it); None for other scalars, and for ``007``, which is
    7 either way."""
    if not isinstance(node, ScalarNode) or node.style or node.tag != "tag:yaml.org,2002:int":
        return None
    written = str(node.value)
    if not _OCTAL.fullmatch(written):
        return None
    digits = written.replace("_", "")
    if int(digits, 8) == int(digits, 10):
        return None
    shown = f"{'-' if digits.startswith('-') else ''}{digits.lstrip('+-').lstrip('0')}"
    return (
        f"YAML reads {written} as the octal number {int(digits, 8)}: write {shown} without "
        f"the leading zero, or '{written}' in quotes for a text"
    )


#: what a value of each plain scalar tag should be, for messages
_SCALAR_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}


def unreadable(node: ScalarNode) -> str:
    """Why a scalar cannot be built as its tag says (2026-02-30, !!int abc), for messages."""
    value = str(node.value)
    shown = repr(value if len(value) <= 40 else f"{value[:40]}...")
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "int" and value.lstrip("+-").replace("_", "").isdigit():
        return f"{shown} has too many digits"  # beyond Python's limit on int("...")
    if kind == "timestamp":
        match = yaml.constructor.SafeConstructor.timestamp_regexp.match(value)
        what = "a date" if match is not None and match.group("hour") is None else "a date-time"
        return f"{shown} is not {what} (a text that looks like one needs quotes)"
    return f"{shown} is not {_SCALAR_WORDS.get(kind, f'a valid {kind}')}"


class _NodeError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def _error(message: str, node: Node) -> _NodeError:
    return _NodeError(message, node.start_mark.line + 1, node.start_mark.column + 1)


def parse_yaml(text: str, *, path: str | Path, error: type[SourceError]) -> Any:
    """Parse YAML ``text`` safely (``yamlfile.load_yaml``, which checks its size first);
    problems raise ``error`` with the path and line."""
    try:
        node, nodes = _compose(text)
        if node is None:
            return LocatedDict()
        for tagged in nodes:
            if tagged.tag not in PLAIN_TAGS:
                raise _error(f"tags are not allowed (found {tagged.tag})", tagged)
        return _build(node, yaml.constructor.SafeConstructor(), text)
    except _NodeError as exc:
        raise error(str(exc), path=path, line=exc.line, column=exc.column) from None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path=path, error=error, text=text) from None


def yaml_error(
    exc: yaml.YAMLError, *, path: str | Path, error: type[SourceError], text: str = ""
) -> SourceError:
    """What PyYAML found wrong, as ``error`` at its line and column where it says them (a
    character YAML does not allow, at its place in ``text``, the document's text)."""
    if isinstance(exc, yaml.reader.ReaderError):
        return _unacceptable(exc, path=path, error=error, text=text)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return error(f"not valid YAML: {exc}", path=path)
    mark = exc.problem_mark or exc.context_mark
    where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
    reason = " ".join(p for p in (exc.context, exc.problem) if p) or "not valid YAML"
    if not isinstance(exc, _RefusedError):
        reason = f"not valid YAML: {reason}"
    if _tab_at(mark, text) or "character '\\t'" in reason or "tab character" in reason:
        reason += ": YAML indents with spaces, not tabs (replace the tab with spaces)"
    return error(reason, path=path, **where)


def _tab_at(mark: Any, text: str) -> bool:
    """Whether the line of ``mark`` is indented with a tab (the readers of PyYAML and libyaml
    say so in other words, or not at all)."""
    if mark is None or not text:
        return False
    lines = text.splitlines()
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


def _unacceptable(
    exc: yaml.reader.ReaderError, *, path: str | Path, error: type[SourceError], text: str
) -> SourceError:
    """A character YAML does not allow in a document (a control character but tab and line
    breaks, U+FFFE...), at its line and column: the first such character of ``text``.  (The
    reader's own position counts characters in the Python parser and bytes in libyaml.)"""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    code = ord(found.group()) if found is not None else exc.character
    what = "a control character" if code < 0x20 or 0x7F <= code < 0xA0 else "a special character"
    message = (
        f"not valid YAML: the character U+{code:04X} ({what}) is not allowed in a YAML "
        "file: remove it (in a text in double quotes, write it as an escape, "
        f'"\\u{code:04x}")'
    )
    if found is None:
        return error(message, path=path)
    before = re.split(r"\r\n|\r|\n", text[: found.start()])
    return error(message, path=path, line=len(before), column=len(before[-1]) + 1)


def _compose(text: str) -> tuple[Node | None, list[Node]]:
    """The document's node tree, and its nodes in document order (``_walk``, walked once).
    libyaml composes it when available; anything it finds wrong, and any alias (libyaml
    resolves those silently, as a shared node), is parsed again by the pure-Python loader,
    whose errors name the exact place and reason.  So is a text with a ``&`` anywhere:
    libyaml's nodes do not say whether they had an anchor."""
    if _FAST_LOADER is not None and "&" not in text:
        try:
            node: Node | None = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
        else:
            nodes = [] if node is None else _walk(node)
            if nodes is not None:
                return node, nodes
    node = yaml.compose(text, Loader=_Loader)
    # the Python loader refuses aliases: the walk never meets a node twice
    return node, ([] if node is None else _walk(node) or [])


def _walk(node: Node) -> list[Node] | None:
    """Every node of the tree in document order, or None as soon as one appears twice (an
    alias): walking on would go round and round it, exponentially in a "billion laughs"
    document.  The first node nested more than ``MAX_DEPTH`` deep raises ``_NodeError``, at
    the place the Python loader refuses it too."""
    found: list[Node] = []
    seen: set[int] = set()
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            return None
        if depth > MAX_DEPTH:
            raise _error(too_deep(), current)
        seen.add(id(current))
        found.append(current)
        if isinstance(current, MappingNode):
            for key, value in reversed(current.value):
                stack.extend(((value, depth + 1), (key, depth + 1)))
        elif isinstance(current, SequenceNode):
            stack.extend((item, depth + 1) for item in reversed(current.value))
    return found
