"""Every ```python block of README.md and docs/*.md runs.

The blocks of one file run in order, in one namespace (a later block may use what an earlier
one defined), from a temporary working directory that holds the example month's files
(``examples/november-2026/*.csv``: ``punches.csv``, ``employees.csv``...), the sample company
policy ``examples/policy.yaml`` as ``company.yaml``, and ``examples/`` itself.  Functions named
``test_*`` that a block defines (the property tests of docs/property-testing.md) are called
right after it.

A block that is a fragment on purpose (it needs files no example ships, say) is opted out in
the page itself, visibly: the line before its fence is ``<!-- not run: REASON -->``.

The policy files that docs/policy.md shows, and the example rule file of docs/rule-files.md,
are loaded too.  A ``sales-policy`` command a page shows with its output (an ``sh`` block
followed by a plain one, or a plain block starting ``$ sales-policy``) is run in-process from
the repository's root, and must print what the page shows; a line ``...`` of the page stands
for any lines, ``...`` within a line for any text.
"""

from __future__ import annotations

import re
import shutil
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: how many blocks may be opted out in all: keep it small, and raise it only with a reason
MAX_OPT_OUTS = 2

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[^`\s]*)")
MARKER = re.compile(r"^\s*<!--\s*not run\s*:\s*(?P<reason>.*?)\s*-->\s*$")
ANY_MARKER = re.compile(r"<!--\s*not run\b")
FENCE_PYTHON = re.compile(r"^\s*(?:`{3,}|~{3,})\s*python\b", re.M)


@dataclass(frozen=True)
class Block:
    path: Path
    #: 1-based line of the opening fence
    line: int
    code: str
    #: why the block is not run, from its ``<!-- not run: ... -->`` marker; None: it is run
    skip: str | None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> Iterator[Block]:
    """The ```python blocks of a Markdown file, with their opt-out markers.  A marker that
    does not stand right before a python block is an error (it would silently skip nothing)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rel = path.relative_to(ROOT)
    previous = ""  # the last non-blank line outside a fence
    previous_at = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = FENCE.match(line)
        if opening is None:
            if ANY_MARKER.search(line) and not MARKER.match(line):
                raise AssertionError(f"{rel}:{i + 1}: write the marker as <!-- not run: REASON -->")
            if line.strip():
                if MARKER.match(previous):
                    raise AssertionError(f"{rel}:{previous_at}: marker not before a python block")
                previous, previous_at = line, i + 1
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = i + 1
        while end < len(lines) and not (
            lines[end].strip().startswith(fence) and not lines[end].strip().strip(fence[0])
        ):
            end += 1
        marker = MARKER.match(previous)
        if opening["lang"] == "python":
            body = [
                text[len(indent) :] if text.startswith(indent) else text
                for text in lines[i + 1 : end]
            ]
            if marker is not None and not marker["reason"]:
                raise AssertionError(f"{rel}:{previous_at}: the marker gives no reason")
            yield Block(path, i + 1, "\n".join(body) + "\n", marker["reason"] if marker else None)
        elif marker is not None:
            raise AssertionError(f"{rel}:{previous_at}: marker not before a python block")
        previous, previous_at = "", 0
        i = end + 1


def workdir(tmp_path: Path) -> Path:
    """A working directory with the repository's examples, as the pages' blocks expect."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    for csv in (EXAMPLES / "november-2026").glob("*.csv"):
        shutil.copy(csv, tmp_path / csv.name)
    shutil.copy(EXAMPLES / "policy.yaml", tmp_path / "company.yaml")
    return tmp_path


def run(where: str, code: CodeType, namespace: dict[str, object], what: str) -> None:
    """Run code in a page's namespace; on an exception, fail naming the page's block."""
    try:
        exec(code, namespace)  # the documentation's own code, on purpose
    except Exception as exc:
        # the traceback from the page's code down, without this function's frame
        error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next))
    else:
        return
    pytest.fail(f"{where}: the ```python {what} raised:\n{error}", pytrace=False)


DOCS_WITH_CODE = [path for path in DOCS if FENCE_PYTHON.search(path.read_text(encoding="utf-8"))]


def test_pages_have_code() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in DOCS_WITH_CODE}
    assert {"README.md", "docs/index.md", "docs/reports.md", "docs/property-testing.md"} <= names


def test_opt_outs_are_few() -> None:
    skipped = [f"{b.where} ({b.skip})" for path in DOCS for b in blocks(path) if b.skip]
    assert len(skipped) <= MAX_OPT_OUTS, "blocks not run: " + ", ".join(skipped)


@pytest.mark.parametrize("path", DOCS_WITH_CODE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_python_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir(tmp_path))
    namespace: dict[str, object] = {"__name__": "docs_example"}
    tests_run = 0
    for block in blocks(path):
        if block.skip:
            continue
        before = dict(namespace)
        # Blank lines ahead of the code: a traceback gives the page's own line numbers.
        page = str(block.path.relative_to(ROOT))
        run(block.where, compile("\n" * block.line + block.code, page, "exec"), namespace, "block")
        for name, value in list(namespace.items()):
            if name.startswith("test_") and callable(value) and before.get(name) is not value:
                call = compile(f"{name}()", f"<{name}() of {block.where}>", "exec")
                run(block.where, call, namespace, f"block's {name}()")
                tests_run += 1
    if path.name == "property-testing.md":
        assert tests_run >= 3, "docs/property-testing.md should define its property tests"


YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)


def yaml_blocks(page: str) -> list[str]:
    return YAML_BLOCK.findall((ROOT / "docs" / page).read_text(encoding="utf-8"))


def test_policy_files_shown_load(tmp_path: Path) -> None:
    """Every YAML block of docs/policy.md is a policy file that loads; the one listing every
    key with its default lists every key there is and is the handbook's policy.  (Output and
    error messages shown in the pages are not compared with the code's.)"""
    import yaml

    from sales_policy import load_policy
    from sales_policy.policy import _POLICY_KEYS

    default = load_policy()
    every_key = None
    for number, block in enumerate(yaml_blocks("policy.md")):
        path = tmp_path / f"policy-{number}.yaml"
        path.write_text(block, encoding="utf-8")
        policy = load_policy(path)
        if "rule_files:" in block:
            every_key = policy
            assert sorted(yaml.safe_load(block)) == sorted(_POLICY_KEYS)
    assert every_key is not None, "docs/policy.md lists no longer every key with its default"
    assert (every_key.timezone, every_key.schedule, every_key.calendar) == (
        default.timezone,
        default.schedule,
        default.calendar,
    )
    assert (every_key.params, every_key.disabled) == (default.params, default.disabled)
    assert every_key.columns == default.columns


def test_rule_file_example_loads(tmp_path: Path) -> None:
    """The example rule file of docs/rule-files.md, with its rule over findings, loads as a
    company's rule file."""
    from sales_policy import load_policy

    example, *others = yaml_blocks("rule-files.md")
    counting = next(block for block in others if "facts: finding_month" in block)
    (tmp_path / "company.yaml").write_text(example + counting, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text("rule_files: [company.yaml]\n", encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    assert {"CO-LATE-AND-EARLY", "CO-LATE-REPEATED"} <= {r.rule_id for r in policy.all_rules()}


#: commands shown with their output whose output is not compared, each with the reason
OUTPUT_NOT_COMPARED: dict[str, str] = {}


@dataclass(frozen=True)
class Shown:
    """A ``sales-policy`` command a page shows with its output."""

    path: Path
    #: 1-based line of the command
    line: int
    command: str
    output: list[str]

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def fenced(path: Path) -> Iterator[tuple[int, int, str, list[str]]]:
    """The fenced blocks of a page: their opening and closing lines, language and lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None or opening["indent"]:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() != opening["fence"]:
            end += 1
        yield i + 1, end + 1, opening["lang"], lines[i + 1 : end]
        i = end + 1


def shown_commands(path: Path) -> Iterator[Shown]:
    """The commands a page shows with their output: an ``sh`` block of one ``sales-policy``
    command right before a plain block (one blank line between), or a plain block whose
    first line is ``$ sales-policy ...``."""
    blocks = list(fenced(path))
    following: list[tuple[int, int, str, list[str]] | None] = [*blocks[1:], None]
    for (start, end, lang, body), after in zip(blocks, following[: len(blocks)], strict=True):
        if lang == "" and body and body[0].startswith("$ sales-policy "):
            yield Shown(path, start + 1, body[0][2:], body[1:])
        elif lang == "sh" and after is not None and after[0] == end + 2 and after[2] == "":
            command = " ".join(line.strip().removesuffix("\\").strip() for line in body)
            one_command = len(body) == 1 + sum(line.endswith("\\") for line in body)
            if one_command and command.startswith("sales-policy "):
                yield Shown(path, start + 1, command, after[3])


def output_pattern(shown: list[str]) -> re.Pattern[str]:
    """What an output shown in a page stands for: each line as it is, but a line ``...``
    stands for any number of lines, and ``...`` within a line for any text; blanks at the
    ends of lines do not count."""
    parts = []
    for line in shown:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            text = ".*?".join(re.escape(piece) for piece in line.rstrip().split("..."))
            parts.append(text + r"\n")
    return re.compile("".join(parts))


def test_output_pattern_skips_what_the_page_elides() -> None:
    pattern = output_pattern(["a ... z", "...", "end  "])
    assert pattern.fullmatch("a b c z\nx\ny\nend\n")
    assert pattern.fullmatch("a - z\nend\n")
    assert not pattern.fullmatch("a b c z\nx\nend\nmore\n")
    assert not pattern.fullmatch("b z\nend\n")


SHOWN = [shown for path in DOCS for shown in shown_commands(path)]


def test_pages_show_commands_with_their_output() -> None:
    commands = {shown.command.split()[1] for shown in SHOWN}
    assert {"check", "diff", "why", "test"} <= commands


@pytest.mark.parametrize("shown", SHOWN, ids=lambda shown: shown.where)
def test_shown_output_is_the_commands(
    shown: Shown, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command a page shows with its output, run from the repository's root, prints what
    the page shows (but where the page elides it with ``...``) and exits with status 0."""
    import glob
    import shlex

    from sales_policy.cli import main

    words = shlex.split(shown.command)[1:]
    if words[0] in OUTPUT_NOT_COMPARED:
        return
    monkeypatch.chdir(ROOT)
    argv = [
        name
        for word in words
        for name in (sorted(glob.glob(word)) if any(c in word for c in "*?[") else [word])
    ]
    status = main(argv)
    out = capsys.readouterr().out
    actual = "".join(line.rstrip() + "\n" for line in out.splitlines())
    assert status == 0
    assert output_pattern(shown.output).fullmatch(actual), (
        f"{shown.where}: the output shown is not the command's; it prints:\n{out}"
    )


def test_the_readme_synopsis_of_each_command_names_its_options_as_the_parser_takes_them() -> None:
    """README.md's synopsis of the command line: every option shown is one of its command's,
    one shown outside brackets is required, and every required one is shown (report takes
    --from/--to as check does, and writes to standard output without -o)."""
    import argparse

    from sales_policy.cliargs import build_parser

    [commands] = [
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## From the command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    synopses: dict[str, str] = {}
    name = None
    for line in block.splitlines():
        started = re.match(r"sales-policy (\w+)", line)
        if started:
            name = started.group(1)
        if name:
            synopses[name] = synopses.get(name, "") + " " + line.split("#")[0]
    option = re.compile(r"(?<![\w-])(--?[a-z][\w-]*)")
    assert set(synopses) == set(commands.choices)
    for name, synopsis in synopses.items():
        actions = {o: a for a in commands.choices[name]._actions for o in a.option_strings}
        shown = set(option.findall(synopsis))
        bare = synopsis
        while re.search(r"\[[^\[\]]*\]", bare):
            bare = re.sub(r"\[[^\[\]]*\]", "", bare)
        assert shown <= set(actions), name
        assert {o for o in option.findall(bare) if not actions[o].required} == set(), name
        assert {o for o, a in actions.items() if a.required} <= shown, name
