"""The schemas derived from the record models (``sales_policy.records``): each record type's
columnar schema, as checking files reads it (from the snapshot ``sales_policy.recordfields``
loads, which ``write_record_fields`` writes), and the JSON Schema ``sales-policy schema
records`` prints."""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from . import recordfields
from .recordbase import Record
from .recordfields import RECORD_FIELDS, FieldKind, FieldSpec, RecordType, record_types_to_json
from .records import RECORD_MODELS


def _kind_of(annotation: Any) -> tuple[FieldKind, tuple[str, ...]]:
    if typing.get_origin(annotation) is Literal:
        return "enum", tuple(str(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is Annotated:
        return _kind_of(typing.get_args(annotation)[0])
    kinds: dict[Any, FieldKind] = {
        str: "str",
        dt.datetime: "datetime",
        dt.date: "date",
        bool: "bool",
        int: "int",
        float: "float",
        Decimal: "decimal",
    }
    return kinds[annotation], ()


def _annotated_metadata(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is Annotated:
        return tuple(typing.get_args(annotation)[1:])
    return ()


def _fields_of(model: type[Record]) -> tuple[FieldSpec, ...]:
    """The columnar schema of one model's record type."""
    specs = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        required = info.is_required()
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        kind, choices = _kind_of(annotation)
        if name == "timezone":
            kind = "timezone"
        default = None if info.is_required() or info.default is None else str(info.default)
        metadata = [*info.metadata, *_annotated_metadata(annotation)]
        bounds = [(m, False) for m in metadata if getattr(m, "ge", None) is not None]
        bounds += [(m, True) for m in metadata if getattr(m, "gt", None) is not None]
        minimum = float(getattr(bounds[0][0], "gt" if bounds[0][1] else "ge")) if bounds else None
        exclusive = bool(bounds) and bounds[0][1]
        pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
        specs.append(FieldSpec(name, kind, required, choices, default, minimum, pattern, exclusive))
    return tuple(specs)


def record_types_from_models() -> dict[str, RecordType]:
    """Every record type's file names and columnar schema, derived from its model."""
    return {
        name: RecordType(name, model.file_names, _fields_of(model))
        for name, model in RECORD_MODELS.items()
    }


def write_record_fields() -> Path:
    """Write the snapshot ``sales_policy.recordfields`` reads (after changing a model)."""
    data = record_types_to_json(record_types_from_models())
    RECORD_FIELDS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    recordfields._record_types.cache_clear()
    return RECORD_FIELDS


def records_json_schema() -> dict[str, Any]:
    """JSON Schema of every record type (one definition each, keyed by ``type``)."""
    defs = {}
    for record_type, model in RECORD_MODELS.items():
        schema = model.model_json_schema()
        schema["properties"] = {"type": {"const": record_type}, **schema["properties"]}
        defs[record_type] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sales_policy records",
        "description": "One object per input record; in JSONL each line carries its 'type'.",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in defs],
        "$defs": defs,
    }
