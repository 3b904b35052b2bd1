"""A YAML document read with where its parts are: the data (safe YAML: no tags but the
standard ones, a key given twice an error, a value its tag cannot build an error at its line)
and the node tree, whose ``Places`` give the line of a key or an item.  Sample files are read
so (``sales_policy.samplefile``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .yamlfile import unreadable, yaml_error

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    errors as a rule file's (``RuleFileError``) at their line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RuleFileError(f"cannot read the file: {exc.strerror}", path=path) from None
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"not UTF-8 text: {exc.reason}", path=path) from None
    loader = _LOADER(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        # before constructing, which merges a ``<<: *alias``'s keys into the mapping's own
        repeated = _repeated_key(node)
        data = loader.construct_document(node) if node is not None else None
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
    finally:
        loader.dispose()
    if repeated is not None:  # as rule files: which of the two values is meant?
        key, mark = repeated
        raise RuleFileError(
            f"the key {key!r} is given twice in one mapping", path=path, line=mark.line + 1
        )
    return data, node


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
