"""A YAML document read with where its parts are: the data (safe YAML: no tags but those of
what YAML reads plain and the merge key, a key given twice an error, a value its tag cannot
build an error at its line, aliases bounded) and the node tree, whose ``Places`` give the line
of a key or an item.  Sample files are read so (``sales_policy.samplefile``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .errors import RuleFileError
from .yamlfile import MAX_BYTES, MAX_DEPTH, PLAIN_TAGS, read_yaml_text, refuse_toml, too_deep
from .yamlparse import octal, unreadable, yaml_error

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: values a document may hold once its aliases are expanded: as many as a file of
#: ``MAX_BYTES`` could write out without them
MAX_VALUES = MAX_BYTES
#: the tags of what YAML reads plain (no ``!!binary``, ``!!set``, ``!!python/...``), and the
#: merge key ``<<`` that shares a record's fields
_PLAIN_TAGS = PLAIN_TAGS | {"tag:yaml.org,2002:merge"}


class Places:
    """Where a part of a YAML document is: the lines of a YAML node's keys and items.  Read
    after the document is built, which merges the pairs of a ``<<: *alias`` into the
    mapping's own, before them: a key's last pair is the one whose value was taken."""

    def __init__(self, node: yaml.Node | None, line: int) -> None:
        self.node = node
        self.line = node.start_mark.line + 1 if node is not None else line

    def _pair(self, key: object) -> tuple[yaml.Node, yaml.Node] | None:
        found = None
        if isinstance(self.node, yaml.MappingNode):
            for pair in self.node.value:
                if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == str(key):
                    found = pair
        return found

    def key(self, key: object) -> int:
        """The line of ``key`` (that of the mapping where it is not given)."""
        pair = self._pair(key)
        return pair[0].start_mark.line + 1 if pair is not None else self.line

    def at(self, key: object) -> Places:
        """Where the value of ``key`` is."""
        pair = self._pair(key)
        return Places(pair[1] if pair is not None else None, self.key(key))

    def item(self, index: int) -> Places:
        """Where the item ``index`` of a list is."""
        if isinstance(self.node, yaml.SequenceNode) and index < len(self.node.value):
            return Places(self.node.value[index], self.line)
        return Places(None, self.line)


def read_document(path: str) -> tuple[Any, yaml.Node | None]:
    """A YAML file's data (safe YAML), and its node tree, for the lines of its parts;
    errors as a rule file's (``RuleFileError``) at their line.  The file is read as a rule
    file is (at most ``MAX_BYTES``, UTF-8, nested at most ``MAX_DEPTH`` deep), but may hold
    anchors and aliases, as long as they expand it to at most ``MAX_VALUES`` values; a file
    written in TOML is an error saying so, as a rule file's is."""
    text = read_yaml_text(Path(path), error=RuleFileError)
    try:
        loader = _LOADER(text)  # the pure-Python loader checks the characters here
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path=path, error=RuleFileError, text=text) from None
    try:
        try:
            node = _compose(loader, path, text)
        except RuleFileError:
            refuse_toml(text, path=path, error=RuleFileError)
            raise
        if not isinstance(node, yaml.MappingNode):
            refuse_toml(text, path=path, error=RuleFileError)
        # before constructing, which merges a ``<<: *alias``'s keys into the mapping's own
        repeated = _repeated_key(node)
        data = _construct(loader, node, path)
    finally:
        loader.dispose()
    if repeated is not None:  # as rule files: which of the two values is meant?
        key, mark = repeated
        raise RuleFileError(
            f"the key {key!r} is given twice in one mapping", path=path, line=mark.line + 1
        )
    return data, node


def _compose(loader: Any, path: str, text: str) -> yaml.Node | None:
    """The document's node tree, refused where it is unbounded (``_refuse_unbounded``)."""
    try:
        node: yaml.Node | None = loader.get_single_node()
    except yaml.YAMLError as exc:  # as rule files' errors read
        raise yaml_error(exc, path=path, error=RuleFileError, text=text) from None
    except RecursionError:  # the Python parser's, nested deeper than libyaml allows
        raise RuleFileError(too_deep(), path=path) from None
    _refuse_unbounded(node, path)  # before anything walks it, as constructing does
    return node


def _construct(loader: Any, node: yaml.Node | None, path: str) -> Any:
    try:
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:  # as rule files' errors read
        raise yaml_error(exc, path=path, error=RuleFileError) from None
    except (ValueError, TypeError, LookupError, OverflowError):
        # a value its tag's constructor cannot build, as rule files say it: 2026-02-30
        bad = _unbuildable(node) if node is not None else None
        if bad is None:
            raise RuleFileError("a value cannot be read", path=path) from None
        raise RuleFileError(
            unreadable(bad),
            path=path,
            line=bad.start_mark.line + 1,
            column=bad.start_mark.column + 1,
        ) from None


def _refuse_unbounded(node: yaml.Node | None, path: str) -> None:
    """A ``RuleFileError`` where the document, its aliases expanded, nests deeper than
    ``MAX_DEPTH`` (a scalar or list is one level, as in rule files), holds a tag YAML does
    not read plain (``!!binary``), holds itself (an alias
    inside what its anchor names) or holds more than ``MAX_VALUES`` values (a "billion
    laughs": lists of aliases of lists of aliases...).  Each shared node is measured once."""
    measured: dict[int, tuple[int, int]] = {}  # a node's (values, levels), aliases expanded
    inside: set[int] = set()  # the nodes that hold the one being measured

    def fail(message: str, at: yaml.Node) -> NoReturn:
        mark = at.start_mark
        raise RuleFileError(message, path=path, line=mark.line + 1, column=mark.column + 1)

    def measure(current: yaml.Node, depth: int) -> tuple[int, int]:
        if id(current) in inside:
            fail("an alias refers to a list or mapping that holds it", current)
        if depth > MAX_DEPTH:
            fail(too_deep(), current)
        if current.tag not in _PLAIN_TAGS:  # as in a rule file, and the merge key << too
            fail(f"tags are not allowed (found {current.tag})", current)
        misread = octal(current)  # 010, which YAML reads as 8
        if misread is not None:
            fail(misread, current)
        if id(current) not in measured:
            parts: list[yaml.Node] = []
            if isinstance(current, yaml.MappingNode):
                parts = [part for pair in current.value for part in pair]
            elif isinstance(current, yaml.SequenceNode):
                parts = list(current.value)
            inside.add(id(current))
            values, levels = 1, 1
            for part in parts:
                part_values, part_levels = measure(part, depth + 1)
                values, levels = values + part_values, max(levels, part_levels + 1)
                if values > MAX_VALUES:
                    fail(
                        f"aliases expand the file to more than {MAX_VALUES} values: "
                        'an alias of a list of aliases... (a "billion laughs")',
                        current,
                    )
            inside.discard(id(current))
            measured[id(current)] = values, levels
        values, levels = measured[id(current)]
        if depth + levels - 1 > MAX_DEPTH:  # a shared node, measured where it was less deep
            fail(too_deep(), current)
        return values, levels

    if node is not None:
        measure(node, 1)


def _nodes(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node of a document once, in the document's order (an alias's nodes, shared,
    once)."""
    seen: set[int] = set()
    todo = [node] if node is not None else []
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.MappingNode):
            todo.extend(item for pair in reversed(current.value) for item in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            todo.extend(reversed(current.value))


def _unbuildable(node: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar of the document that cannot be built as its tag says, if any."""
    for current in _nodes(node):
        if isinstance(current, yaml.ScalarNode):
            try:
                yaml.constructor.SafeConstructor().construct_object(current)
            except (ValueError, TypeError, LookupError, OverflowError):
                return current
    return None


def _repeated_key(node: yaml.Node | None) -> tuple[str, yaml.Mark] | None:
    """The first key given twice in a mapping of the document (its second place), if any."""
    for current in _nodes(node):
        if isinstance(current, yaml.MappingNode):
            keys: set[object] = set()
            for key, _ in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        return str(key.value), key.start_mark
                    keys.add(key.value)
    return None
