"""The reading of the rule files shipped with the package, kept as JSON beside it
(``bundled_rules.json``), so that a command with the handbook's policy neither imports
PyYAML nor parses the six files at each start (~15 ms of a check's ~0.4 s).

Each file's entry is keyed by the SHA-256 of its text: ``reading`` gives the tree of
``LocatedDict`` and ``LocatedList`` that ``yamlfile.load_yaml`` would build of that very text,
with every value, line and place, and nothing for any other text (a rule file edited, a
company's own), which is parsed as YAML.  The snapshot is made from the files by
``python -m sales_policy.rulesnapshot`` and checked against them by the tests, as the record
fields' snapshot is (``record_fields.json``); a file changed without it is still read right,
by the parser, only not faster.

In the JSON, a mapping is ``{"m": line, "k": [[key, key line, value, place], ...]}`` (place:
where a scalar value is written, ``yamlplaces.ScalarSpan`` without the text, or null), a
list ``{"s": line, "i": [item lines], "v": [values]}``; scalars are JSON's own."""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import RuleFileError
from .yamlfile import LocatedDict, LocatedList
from .yamlplaces import ScalarSpan

SNAPSHOT = Path(__file__).with_name("bundled_rules.json")
#: the scalar types a snapshot holds (YAML's dates, which no rule file has, are parsed)
_SCALARS = (str, int, float, bool, type(None))


def default_rule_dir() -> Path:
    """The rule files shipped with the package (in a source checkout: ``rules/``)."""
    packaged = importlib.resources.files("sales_policy") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _entries() -> dict[str, Any]:
    """The snapshot's trees by the digest of their text; none when it cannot be read."""
    try:
        data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        return {entry["sha256"]: entry["tree"] for entry in data["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def reading(text: str) -> Any:
    """What ``yamlfile.load_yaml`` reads of ``text`` when the snapshot holds it, else None."""
    entries = _entries()
    tree = entries.get(digest(text)) if entries else None
    return None if tree is None else _decoded(tree, text)


def _decoded(tree: Any, text: str) -> Any:
    if isinstance(tree, dict):
        if "m" in tree:
            mapping = LocatedDict()
            mapping.line = tree["m"]
            for key, line, value, place in tree["k"]:
                mapping[key] = _decoded(value, text)
                mapping.key_lines[key] = line
                if place is not None:
                    mapping.value_spans[key] = ScalarSpan(text, *place)
            return mapping
        sequence = LocatedList(_decoded(item, text) for item in tree["v"])
        sequence.line, sequence.item_lines = tree["s"], list(tree["i"])
        return sequence
    return tree


def encoded(tree: Any) -> Any:
    """A reading as the snapshot holds it; ValueError for a value it cannot hold."""
    if isinstance(tree, LocatedDict):
        pairs = []
        for key, value in tree.items():
            span = tree.value_spans.get(key)
            place = None if span is None else list(span[1:])
            pairs.append([key, tree.key_lines[key], encoded(value), place])
        return {"m": tree.line, "k": pairs}
    if isinstance(tree, LocatedList):
        return {"s": tree.line, "i": list(tree.item_lines), "v": [encoded(v) for v in tree]}
    if not isinstance(tree, _SCALARS):
        raise ValueError(f"a snapshot holds no {type(tree).__name__} ({tree!r})")
    return tree


def snapshot(paths: Sequence[Path]) -> dict[str, Any]:
    """The snapshot of the rule files at ``paths``, read by the YAML parser."""
    from .yamlfile import read_yaml_text
    from .yamlparse import parse_yaml

    files = []
    for path in sorted(paths, key=lambda p: p.name):
        text = read_yaml_text(path, error=RuleFileError)
        tree = parse_yaml(text, path=path, error=RuleFileError)
        files.append({"name": path.name, "sha256": digest(text), "tree": encoded(tree)})
    return {"files": files}


def write_snapshot(paths: Sequence[Path], target: Path = SNAPSHOT) -> None:
    text = json.dumps(snapshot(paths), ensure_ascii=False, separators=(",", ":"))
    target.write_text(text + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sales_policy.rulesnapshot``: write the snapshot of the shipped rules."""
    if argv:
        sys.stderr.write("usage: python -m sales_policy.rulesnapshot\n")
        return 2
    write_snapshot(sorted(default_rule_dir().glob("*.yaml")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
