"""JSONL lines read into objects: a line is one JSON object, in strict JSON (no key given
twice, no ``NaN``); any other line is a row rejected whole, with its reason and the line as
read (``sales_policy.inputs`` reads the objects as records)."""

from __future__ import annotations

import json
from typing import Any

from .errors import is_utf8, kind_of
from .rawframes import RawInputs
from .textfiles import text_lines


class _NotJson(ValueError):
    """What a JSONL line holds that ``json`` reads but JSON is not: a key given twice (which
    value is meant?), ``NaN`` or ``Infinity``."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    row = dict(pairs)
    if len(row) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NotJson(f"duplicate key {key!r}")
            seen.add(key)
    return row


def _constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value (write null, or a number)")


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant)


def json_rows(text: str, source: str, out: RawInputs) -> list[tuple[int, Any]]:
    """The objects of a JSONL file's lines, each with its line; a line that is no JSON object
    is rejected whole, its value the line as read."""
    rows: list[tuple[int, Any]] = []
    for number, line in enumerate(text_lines(text), start=1):
        if not line.strip():
            continue
        try:
            row = _DECODER.decode(line)
        except json.JSONDecodeError as exc:
            out.read += 1
            reason = f"malformed JSON: {exc.msg} (column {exc.colno})"
            out.reject(source, number, reason, value=line)
        except RecursionError:
            out.read += 1
            out.reject(source, number, "malformed JSON: nested too deeply", value=line)
        except _NotJson as exc:
            out.read += 1
            out.reject(source, number, f"malformed JSON: {exc}", value=line)
        except ValueError:  # an integer of more digits than Python converts (4,300)
            out.read += 1
            reason = "malformed JSON: a number has too many digits"
            out.reject(source, number, reason, value=line)
        else:
            # rejected whole, as a line that is not JSON is: its value is the line as read
            if not isinstance(row, dict):
                out.read += 1
                out.reject(source, number, f"expected an object, found {kind_of(row)}", value=line)
                continue
            if "\\u" in line and _half_surrogate(row):
                out.read += 1
                out.reject(source, number, _HALF_SURROGATE, value=line)
                continue
            rows.append((number, row))
    return rows


_HALF_SURROGATE = (
    "malformed JSON: a \\uXXXX escape between \\ud800 and \\udfff is half of a surrogate "
    "pair, not a character"
)


def _half_surrogate(row: Any) -> bool:
    """Whether a JSONL line's object holds a key or text with half a surrogate pair, which
    JSON's ``\\ud800`` escapes can write: no character, and no text of a report can hold it."""
    if not isinstance(row, dict):
        return False
    return any(isinstance(text, str) and not is_utf8(text) for text in (*row, *row.values()))
