"""Safe YAML with line numbers, for rule and policy files (untrusted input).

Only plain YAML data is accepted: no tags (``!!python/...`` or any other), no anchors or
aliases (they allow exponential "billion laughs" documents), no duplicate keys, no nesting
deeper than ``MAX_DEPTH`` levels, no dates that do not exist, and files of at most
``MAX_BYTES``.  Mappings and sequences come back as ``LocatedDict`` / ``LocatedList``,
which remember the line of every key and item so errors can say ``file:line``, and where
each text value is written, so that ``LocatedDict.place`` finds the line and column of a
character of one (of a rule's condition, say), however YAML wrote it (``yamlplaces``).

This module does not import PyYAML: the parser (``yamlparse``) is loaded when a text is first
parsed, and the rule files shipped with the package are not parsed at all when their text is
the one ``rulesnapshot`` holds the reading of (the start of every command with the handbook's
policy: ~15 ms, the import of PyYAML and the parse of six files).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import SourceError
from .yamlplaces import ScalarSpan

MAX_BYTES = 1_000_000
#: how deeply lists and mappings may nest; rule and policy files need a handful of levels, and
#: deeper documents would exhaust the stack of the (recursive) parsers and of ``yamlparse._build``
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

    def plain(self, key: str) -> str | None:
        """The value of ``key`` as written, where it is a scalar written plain (no quotes, no
        block): what YAML read it from (``010``, ``1:30``); else None."""
        span = self.value_spans.get(key)
        if span is None or span.style is not None:
            return None
        return span.source[span.start : span.end]

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


def too_deep() -> str:
    return f"nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)"


def load_yaml(text: str, *, path: str | Path, error: type[SourceError]) -> Any:
    """Parse YAML ``text`` safely; problems raise ``error`` with the path and line.  A text
    whose reading ``rulesnapshot`` holds (a shipped rule file's) is that reading, the same
    values, lines and places, without parsing it again."""
    if len(text.encode()) > MAX_BYTES:
        raise error(f"file is larger than {MAX_BYTES} bytes", path=path)
    known = known_reading(text)
    if known is not None:
        return known
    from .yamlparse import parse_yaml

    return parse_yaml(text, path=path, error=error)


def known_reading(text: str) -> Any:
    """The reading of ``text`` that ``rulesnapshot`` holds, or None."""
    from .rulesnapshot import reading

    return reading(text)


def read_yaml_file(path: Path, *, error: type[SourceError]) -> Any:
    """Read and parse a YAML file; a missing or unreadable file raises ``error`` too, and so
    does one written in TOML, saying so, where YAML reads no mapping from it."""
    text = read_yaml_text(path, error=error)
    try:
        data = load_yaml(text, path=path, error=error)
    except SourceError:
        refuse_toml(text, path=path, error=error)
        raise
    if not isinstance(data, dict):
        refuse_toml(text, path=path, error=error)
    return data


#: the first line of a TOML file: a table's header (``[params]``) or ``key = value``
_TOML_TABLE = re.compile(r"\s*\[\[?\s*([\w.\-\"' ]+?)\s*\]\]?\s*(#.*)?")
_TOML_KEY = re.compile(r"\s*([\w.\-\"']+)\s*=(?!=)\s*(\S.*?)\s*(#.*)?")


def refuse_toml(text: str, *, path: str | Path, error: type[SourceError]) -> None:
    """Raise ``error`` at the first line of ``text`` that is not blank or a comment, where it
    is one of TOML (``[params]``, ``late_grace_minutes = 5``): the files are YAML, and
    YAML's own error (no mapping, or a scalar where it expected a document) would not say
    what to write instead."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        table, key = _TOML_TABLE.fullmatch(line), _TOML_KEY.fullmatch(line)
        if table:
            write = f"{table[1]}: and its keys indented on the lines under it, each key: value"
        elif key:
            write = (
                f"{key[1]}: {key[2]}, and a table's keys indented on the lines under its name "
                "(params:)"
            )
        else:
            return
        raise error(
            f"{line.strip()!r} is TOML, but the file must be YAML: write {write}",
            path=path,
            line=number,
        )


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
