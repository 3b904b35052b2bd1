"""The files given to a check, before they are read: each given once (a file given twice, by
the same path or another, would have every row counted and judged twice: an error), and the
files that hold the same bytes as a file given before them (a download saved twice), which
the check's notes name."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError


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
