"""Safe YAML with line numbers, for rule and policy files (untrusted input).

Only plain YAML data is accepted: no tags (``!!python/...`` or any other), no anchors or
aliases (they allow exponential "billion laughs" documents), no duplicate keys, no nesting
deeper than ``MAX_DEPTH`` levels, no dates that do not exist, and files of at most
``MAX_BYTES``.  Mappings and sequences come back as ``LocatedDict`` / ``LocatedList``,
which remember the line of every key and item so errors can say ``file:line``, and where
each text value is written, so that ``LocatedDict.place`` finds the line and column of a
character of one (of a rule's condition, say), however YAML wrote it (``yamlplaces``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import SourceError
from .yamlplaces import ScalarSpan

MAX_BYTES = 1_000_000
#: how deeply lists and mappings may nest; rule and policy files need a handful of levels, and
#: deeper documents would exhaust the stack of the (recursive) parsers and of ``_build``
MAX_DEPTH = 100
#: the plain YAML types; any other tag (``!!python/...``, ``!!binary``, ``!custom``) is refused
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class LocatedDict(dict[str, Any]):
    """A mapping that remembers the 1-based line of itself and of each key, and where each of
    its scalar values is written."""

    line: int
    key_lines: dict[str, int]
    #: where each scalar value is written in the document
    value_spans: dict[str, ScalarSpan]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # an empty document's mapping, or one a reader stands in for a key not given: at
        # line 1, where a missing key is said to be
        self.line, self.key_lines, self.value_spans = 1, {}, {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def value_line(self, key: str) -> int:
        """The line a scalar value starts at (a block scalar: at its ``|`` or ``>``), else the
        line of its key."""
        span = self.value_spans.get(key)
        return span.line if span is not None else self.line_of(key)

    def __getstate__(self) -> dict[str, Any]:
        """Without the places of the values, which hold the document's text: they serve the
        errors of the file's reading, not a copy pickled with a policy for worker processes."""
        return {**self.__dict__, "value_spans": {}}

    def place(self, key: str, offset: int) -> tuple[int, int] | None:
        """The 1-based line and column in the file of character ``offset`` of the text
        value of ``key`` (``offset`` its length: where it ends); None where it cannot be
        told (see ``ScalarSpan.place``)."""
        span, value = self.value_spans.get(key), self.get(key)
        return span.place(value, offset) if span is not None and isinstance(value, str) else None


class LocatedList(list[Any]):
    """A sequence that remembers the 1-based line of itself and of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


#: libyaml's parser when PyYAML was built with it (the wheels are): the same nodes and marks,
#: several times faster than the pure-Python parser; that one still gives every error message
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


class _RefusedError(yaml.MarkedYAMLError):
    """YAML that is valid but refused here: an alias (``*name``) to an anchor, or nesting
    deeper than ``MAX_DEPTH``."""


def too_deep() -> str:
    return f"nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)"


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
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.MarkedYAMLError:
        raise
    except (ValueError, TypeError, LookupError, AttributeError, OverflowError):
        # a value its tag's constructor cannot build: 2026-02-30, or !!int abc
        raise _error(unreadable(node), node) from None


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


def load_yaml(text: str, *, path: str | Path, error: type[SourceError]) -> Any:
    """Parse YAML ``text`` safely; problems raise ``error`` with the path and line."""
    if len(text.encode()) > MAX_BYTES:
        raise error(f"file is larger than {MAX_BYTES} bytes", path=path)
    try:
        node = _compose(text)
        if node is None:
            return LocatedDict()
        for tagged in _walk(node) or ():  # the Python loader refuses aliases: never None
            if tagged.tag not in PLAIN_TAGS:
                raise _error(f"tags are not allowed (found {tagged.tag})", tagged)
        return _build(node, yaml.constructor.SafeConstructor(), text)
    except _NodeError as exc:
        raise error(str(exc), path=path, line=exc.line, column=exc.column) from None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path=path, error=error) from None


def yaml_error(exc: yaml.YAMLError, *, path: str | Path, error: type[SourceError]) -> SourceError:
    """What PyYAML found wrong, as ``error`` at its line and column where it says them."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return error(f"not valid YAML: {exc}", path=path)
    mark = exc.problem_mark or exc.context_mark
    where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
    reason = " ".join(p for p in (exc.context, exc.problem) if p) or "not valid YAML"
    if not isinstance(exc, _RefusedError):
        reason = f"not valid YAML: {reason}"
    return error(reason, path=path, **where)


def _compose(text: str) -> Node | None:
    """The document's node tree.  libyaml composes it when available; anything it finds
    wrong, and any alias (libyaml resolves those silently, as a shared node), is parsed
    again by the pure-Python loader, whose errors name the exact place and reason.  So is a
    text with a ``&`` anywhere: libyaml's nodes do not say whether they had an anchor."""
    if _FAST_LOADER is not None and "&" not in text:
        try:
            node: Node | None = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
        else:
            if node is None or _walk(node) is not None:
                return node
    return yaml.compose(text, Loader=_Loader)


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


def read_yaml_file(path: Path, *, error: type[SourceError]) -> Any:
    """Read and parse a YAML file; a missing or unreadable file raises ``error`` too."""
    return load_yaml(read_yaml_text(path, error=error), path=path, error=error)


def read_yaml_text(path: Path, *, error: type[SourceError]) -> str:
    """A YAML file's text: at most ``MAX_BYTES``, UTF-8 (a byte-order mark dropped); a
    missing or unreadable file, or a byte that is not UTF-8 (at its line and column), raises
    ``error``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", path=path) from None
    except ValueError:  # a path with a null character, from the Python API
        raise error("cannot read the file: its name contains a null character", path=path) from None
    if len(data) > MAX_BYTES:
        raise error(f"file is larger than {MAX_BYTES} bytes", path=path)
    body = data.removeprefix(b"\xef\xbb\xbf")  # UTF-8's byte-order mark, no text of the file
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:  # ``exc.start`` counts from after the mark
        lines = re.split(r"\r\n|\r|\n", body[: exc.start].decode())
        line, column = len(lines), len(lines[-1]) + 1
        raise error(
            f"not UTF-8 text (byte 0x{body[exc.start]:02X})", path=path, line=line, column=column
        ) from None
    return text
