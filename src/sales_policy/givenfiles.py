"""The inputs given to a check, before they are read: each file given once (a file given
twice, by the same path or another, would have every row counted and judged twice: an error),
and the files that hold the same bytes as a file given before them (a download saved twice),
which the check's notes name; a polars LazyFrame collected into the DataFrame it makes, and
the tables that are no input (a pandas DataFrame, a Series) refused, rather than read as a
list of inputs or taken for one record (``collected_frames``)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl

from .errors import InputError, InvalidArgument


def is_table(item: Any) -> bool:
    """Whether ``item`` is a table of rows other than a polars DataFrame: a LazyFrame, a
    Series, or pandas' (which iterates over its column names, a Series over its values)."""
    return isinstance(item, pl.LazyFrame | pl.Series) or type(item).__module__.startswith("pandas.")


def collected_frames(items: list[Any]) -> list[Any]:
    """``items`` with each LazyFrame collected (one given twice, to the same DataFrame, which
    is then refused as any DataFrame given twice); a Series or a pandas table is an
    ``InvalidArgument`` that says what to give instead."""
    collected: dict[int, pl.DataFrame] = {}
    out = []
    for place, item in enumerate(items):
        if isinstance(item, pl.LazyFrame):
            if id(item) not in collected:
                try:
                    collected[id(item)] = item.collect()
                except pl.exceptions.PolarsError as error:
                    first = str(error).splitlines()[0]  # not polars' query plan
                    raise InputError(
                        f"input {place}: the LazyFrame could not be collected: {first}"
                    ) from None
            item = collected[id(item)]
        elif is_table(item):
            pandas = type(item).__module__.startswith("pandas.")
            kind = f"{'pandas' if pandas else 'polars'} {type(item).__name__}"
            hint = "convert it with polars.from_pandas(...)" if pandas else "give a DataFrame"
            raise InvalidArgument(
                f"input {place} is a {kind}: records are polars DataFrames (or LazyFrames), "
                f"file paths, record objects or dicts; {hint}"
            )
        out.append(item)
    return out


def refuse_repeats(paths: list[Path]) -> None:
    """A file given twice (by overlapping patterns, say) would be read twice: every row
    counted and judged twice.  An error instead, naming both."""
    seen: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            status = path.stat()
        except (OSError, ValueError):  # a missing file is said when it is read
            continue
        key = (status.st_dev, status.st_ino)
        if key in seen:
            also = "" if str(seen[key]) == str(path) else f" (also as {seen[key]})"
            raise InputError(f"{path}: given twice{also}; give each file once")
        seen[key] = path


def copies_of(paths: list[Path]) -> list[tuple[str, str]]:
    """The files given that hold the same bytes as a file given before them (a download
    saved twice, ``punches (1).csv`` beside ``punches.csv``): each, and the earlier one.
    Only files of the same size are read to be compared (by a digest of their bytes), so a
    check of files of different sizes reads none."""
    by_size: dict[int, list[Path]] = {}
    for path in paths:
        try:
            size = path.stat().st_size
        except (OSError, ValueError):  # a missing file is said when it is read
            continue
        if size:
            by_size.setdefault(size, []).append(path)
    copies = []
    for group in by_size.values():
        if len(group) < 2:
            continue
        first: dict[bytes, Path] = {}
        for path in group:
            try:
                with path.open("rb") as stream:
                    digest = hashlib.file_digest(stream, "blake2b").digest()
            except OSError:
                continue
            if digest in first:
                copies.append((path, first[digest]))
            else:
                first[digest] = path
    order = {path: index for index, path in enumerate(paths)}
    copies.sort(key=lambda pair: order[pair[0]])
    return [(str(copy), str(earlier)) for copy, earlier in copies]
