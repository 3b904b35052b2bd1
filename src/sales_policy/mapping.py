"""Column mappings: reading another system's export as our record types.

A mapping says, per record type, which of the export's columns hold which of our fields, how
the export spells the values of enumerated fields, and which of its columns to leave out::

    punch:                    # a record type, or one of its file names (punches)
      fields:                 # their column: our field
        工号: employee_id
        打卡时间: at
        打卡类型: direction
      values:                 # our enumerated field: {their value: ours}
        direction: {上班: in, 下班: out}
      ignore: [姓名, 部门]     # their columns that are not read

It comes from the ``columns`` key of a policy file or from a file of its own (``--map FILE``),
and is checked when it is loaded: unknown record types, unknown target fields, values for a
field that is not an enumeration, values that are not one of the field's, and a column both
mapped and ignored are errors naming the file and line.  It applies to tabular inputs (CSV,
Excel, Parquet, DataFrames), after the record type of the rows is known and before the columns
are checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from .errors import InputError, InvalidArgument, PolicyError, suggest
from .recordfields import fields_of, record_type_for_name, record_types
from .yamlfile import LocatedDict, LocatedList, read_yaml_file

_KEYS = ("fields", "values", "ignore")


@dataclass(frozen=True)
class TypeMapping:
    """How one record type is read from a foreign export."""

    record_type: str
    #: their column -> our field
    fields: Mapping[str, str] = field(default_factory=dict)
    #: our (enumerated) field -> {their value: ours}
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: their columns that are dropped
    ignore: frozenset[str] = frozenset()
    #: where it was declared, for errors about the inputs it is applied to
    origin: str = "<mapping>"

    def apply(self, frame: pl.DataFrame, source: str) -> pl.DataFrame:
        """The frame with its columns renamed, ignored ones dropped and values translated."""
        dropped = [c for c in frame.columns if c in self.ignore]
        frame = frame.drop(dropped)
        renames = {c: self.fields[c] for c in frame.columns if c in self.fields}
        targets: dict[str, str] = {}
        for column in frame.columns:
            target = renames.get(column, column)
            if target in targets:
                raise InputError(
                    f"{source}: columns {targets[target]!r} and {column!r} both give field "
                    f"{target!r} (mapping from {self.origin})"
                )
            targets[target] = column
        frame = frame.rename(renames)
        translations = [
            pl.col(name).str.strip_chars().replace(dict(table)).alias(name)
            for name, table in self.values.items()
            if name in frame.columns and frame.schema[name] == pl.String
        ]
        return frame.with_columns(translations) if translations else frame


@dataclass(frozen=True)
class ColumnMapping:
    """Type mappings by record type; empty means every input is in our own layout.
    ``encoding``: the text encoding of CSV and JSONL inputs (``text_encoding``), None for
    UTF-8."""

    types: Mapping[str, TypeMapping] = field(default_factory=dict)
    encoding: str | None = None

    def __post_init__(self) -> None:
        """The encoding by Python's name for it (``text_encoding``), checked when the mapping
        is made, as a mapping file's is when loaded: a name that is no text encoding would
        otherwise raise a bare LookupError from the check that reads the first file."""
        if self.encoding is None:
            return
        if not isinstance(self.encoding, str):
            raise InvalidArgument(f"encoding is an encoding's name, not {self.encoding!r}")
        try:
            object.__setattr__(self, "encoding", text_encoding(self.encoding))
        except ValueError as exc:
            raise InvalidArgument(str(exc)) from None

    def __bool__(self) -> bool:
        """Whether inputs are read otherwise than in our layout, in UTF-8."""
        return bool(self.types) or self.encoding is not None

    def get(self, record_type: str) -> TypeMapping | None:
        return self.types.get(record_type)

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping with ``other``'s record types replacing its own, and its encoding
        where it names one."""
        return ColumnMapping({**self.types, **other.types}, other.encoding or self.encoding)


#: the key of a mapping that names the inputs' encoding, beside the record types
ENCODING_KEY = "encoding"


def text_encoding(name: str) -> str | None:
    """The encoding a name gives (Python's name for it: ``GBK`` → ``gbk``), None for UTF-8
    (read as by default, a byte-order mark dropped); a ``ValueError`` saying why for a name
    that is no encoding, or no encoding of text (``base64``)."""
    import codecs

    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(
            f"unknown encoding {name!r} (e.g. gb18030, as Excel on Chinese Windows saves CSV "
            "files; utf-16; utf-8, the default)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{name!r} is no text encoding")
    return None if info.name in ("utf-8", "utf-8-sig") else info.name


def _text_keys(section: Any, what: str, path: str, line: int) -> LocatedDict:
    if not isinstance(section, LocatedDict):
        raise PolicyError(f"{what} must be a mapping", path=path, line=line)
    for key, value in section.items():
        if not isinstance(value, str):
            raise PolicyError(
                f"{what}: {key!r} must map to a text, found {value!r}",
                path=path,
                line=section.line_of(key),
            )
    return section


def _type_mapping(record_type: str, spec: Any, path: str, line: int, prefix: str) -> TypeMapping:
    where = f"{prefix}{record_type}"
    if not isinstance(spec, LocatedDict):
        raise PolicyError(
            f"{where} must be a mapping with keys {', '.join(_KEYS)}", path=path, line=line
        )
    for key in spec:
        if key not in _KEYS:
            raise PolicyError(
                f"unknown key {key!r} in {where}{suggest(key, _KEYS)}",
                path=path,
                line=spec.line_of(key),
            )
    specs = {f.name: f for f in fields_of(record_type)}
    names = list(specs)
    fields: dict[str, str] = {}
    if "fields" in spec:
        section = _text_keys(spec["fields"], f"{where}.fields", path, spec.line_of("fields"))
        for column, target in section.items():
            if target not in specs:
                raise PolicyError(
                    f"{where}.fields: column {column!r} maps to {target!r}, which is not a field "
                    f"of {record_type}{suggest(target, names)}",
                    path=path,
                    line=section.line_of(column),
                )
            fields[column] = target
    values: dict[str, dict[str, str]] = {}
    if "values" in spec:
        section = spec["values"]
        if not isinstance(section, LocatedDict):
            raise PolicyError(
                f"{where}.values must be a mapping of fields to {{their value: ours}}",
                path=path,
                line=spec.line_of("values"),
            )
        for name, table in section.items():
            target_spec = specs.get(name)
            if target_spec is None:
                raise PolicyError(
                    f"{where}.values: {name!r} is not a field of {record_type}"
                    f"{suggest(name, names)}",
                    path=path,
                    line=section.line_of(name),
                )
            if target_spec.kind != "enum":
                enums = [f.name for f in specs.values() if f.kind == "enum"]
                raise PolicyError(
                    f"{where}.values: {name!r} is not an enumerated field, so its values are "
                    f"read as they are (fields of {record_type} with a fixed set of values: "
                    f"{', '.join(enums) or 'none'})",
                    path=path,
                    line=section.line_of(name),
                )
            entries = _text_keys(table, f"{where}.values.{name}", path, section.line_of(name))
            for theirs, ours in entries.items():
                if ours not in target_spec.choices:
                    raise PolicyError(
                        f"{where}.values.{name}: {theirs!r} maps to {ours!r}, which is not one "
                        f"of: {', '.join(target_spec.choices)}",
                        path=path,
                        line=entries.line_of(theirs),
                    )
            values[name] = dict(entries)
    ignore: list[str] = []
    if "ignore" in spec:
        listed = spec["ignore"]
        if not isinstance(listed, LocatedList) or not all(isinstance(c, str) for c in listed):
            raise PolicyError(
                f"{where}.ignore must be a list of column names",
                path=path,
                line=spec.line_of("ignore"),
            )
        for index, column in enumerate(listed):
            if column in fields:
                raise PolicyError(
                    f"{where}.ignore: column {column!r} is also mapped to {fields[column]!r}",
                    path=path,
                    line=listed.line_of(index),
                )
            ignore.append(column)
    return TypeMapping(record_type, fields, values, frozenset(ignore), f"{path}:{line}")


def parse_mapping(data: Any, *, path: str | Path, line: int = 1, prefix: str = "") -> ColumnMapping:
    """A column mapping from located YAML data (a ``--map`` file, or a policy's ``columns``);
    ``prefix`` names the key it sits under, for messages."""
    text = str(path)
    if not isinstance(data, LocatedDict):
        raise PolicyError(
            f"{prefix.rstrip('.') or 'a mapping file'} must be a mapping of record types to "
            f"their columns",
            path=text,
            line=line,
        )
    types: dict[str, TypeMapping] = {}
    encoding = None
    for name, spec in data.items():
        if name == ENCODING_KEY:
            if not isinstance(spec, str):
                raise PolicyError(
                    f"{prefix}{name} must be an encoding's name, such as gb18030",
                    path=text,
                    line=data.line_of(name),
                )
            try:
                encoding = text_encoding(spec)
            except ValueError as exc:
                raise PolicyError(
                    f"{prefix}{name}: {exc}", path=text, line=data.line_of(name)
                ) from None
            continue
        record_type = name if name in record_types() else record_type_for_name(name)
        if record_type is None:
            raise PolicyError(
                f"{prefix}{name}: unknown record type{suggest(name, record_types())}",
                path=text,
                line=data.line_of(name),
            )
        if record_type in types:
            raise PolicyError(
                f"{prefix}{name}: record type {record_type!r} is mapped twice",
                path=text,
                line=data.line_of(name),
            )
        types[record_type] = _type_mapping(record_type, spec, text, data.line_of(name), prefix)
    return ColumnMapping(types, encoding)


def load_mapping(path: str | Path) -> ColumnMapping:
    """A mapping file (YAML, as in the module docstring), checked with file:line errors."""
    path = Path(path)
    return parse_mapping(read_yaml_file(path, error=PolicyError), path=path)
