"""Every relative link of README.md and docs/ (the generated pages too) names a file that
exists and, with ``#anchor``, a heading of that page, as GitHub makes anchors of headings."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`[^`]*`")


def prose(text: str) -> list[tuple[int, str]]:
    """The lines of a Markdown page outside fenced code blocks, with their numbers."""
    lines, fence = [], ""
    for number, line in enumerate(text.splitlines(), 1):
        opening = FENCE.match(line)
        if opening and (not fence or opening[1].startswith(fence)):
            fence = "" if fence else opening[1]
        elif not fence:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: its text lower-cased, punctuation but ``-`` and ``_``
    dropped, spaces made hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    for _, line in prose(page.read_text(encoding="utf-8")):
        heading = HEADING.match(line)
        if heading:
            name = slug(heading[1])
            count = seen.get(name, 0)
            seen[name] = count + 1
    return frozenset(
        name if n == 0 else f"{name}-{n}" for name, count in seen.items() for n in range(count)
    )


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """The links of ``page`` that lead nowhere, each with the page and line (relative to
    ``root``)."""
    broken = []
    for number, line in prose(page.read_text(encoding="utf-8")):
        for target in LINK.findall(CODE_SPAN.sub("", line)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:...
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(root)}:{number}: {target}"
            if not dest.exists():
                broken.append(f"{where}: no such file")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                broken.append(f"{where}: no heading makes that anchor")
    return broken


def test_the_checker_finds_a_broken_link_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# The `scoring:` section\n## A\n## A\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Top\n[ok](other.md#the-scoring-section) [ok](other.md#a-1) [ok](#top)\n"
        "[gone](missing.md) [no](other.md#nothing) `[code](missing.md)`\n"
        "```\n[fenced](missing.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page, tmp_path) == [
        "page.md:3: missing.md: no such file",
        "page.md:3: other.md#nothing: no heading makes that anchor",
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(page: Path) -> None:
    assert broken_links(page) == []
