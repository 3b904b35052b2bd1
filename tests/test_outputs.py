"""Files the command writes are written whole or not at all (``sales_policy.outputs``)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sales_policy.outputs import naming, replacing


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_new_file_gets_the_usual_permissions_and_nothing_else_is_left(tmp_path: Path) -> None:
    target = tmp_path / "report.jsonl"
    with replacing(target) as out:
        out.write("one\ntwo\n")
        assert not target.exists()  # written beside it until whole
    assert target.read_bytes() == b"one\ntwo\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    with replacing(target, binary=True) as out:
        out.write("新的\n".encode())
    assert target.read_text(encoding="utf-8") == "新的\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failure_part_way_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "report.jsonl"
    target.write_text("the last whole report\n", encoding="utf-8")
    with pytest.raises(OSError, match="No space left"), replacing(target) as out:
        out.write("half of a report\n")
        raise OSError(28, "No space left on device")
    assert target.read_text(encoding="utf-8") == "the last whole report\n"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "november.jsonl"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    with replacing(link) as out:
        out.write("new\n")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["november.jsonl"]


def test_what_is_not_a_regular_file_is_written_as_it_is() -> None:
    with replacing(Path(os.devnull)) as out:
        out.write("nothing kept\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_without_room_for_a_new_file_beside_it_the_target_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(As a directory that is not writable does, to anyone but root.)"""
    target = tmp_path / "report.jsonl"
    target.write_text("old\n", encoding="utf-8")

    def refused(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sales_policy.outputs.os.open", refused)
    with replacing(target, newline=None) as out:
        out.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_write_that_fails_names_the_file_and_a_closed_pipe_stays_one(tmp_path: Path) -> None:
    """Writes fail without a file's name (a full disk, a quota): the error names the target,
    with the system's reason and number; a closed pipe stays a ``BrokenPipeError``, which
    the command ends quietly on."""
    target = tmp_path / "report.jsonl"
    with pytest.raises(OSError) as caught, replacing(target):
        raise OSError(28, "No space left on device")
    assert (caught.value.errno, caught.value.filename) == (28, str(target))
    assert str(caught.value) == f"[Errno 28] No space left on device: '{target}'"
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OSError) as caught, naming("standard output"):
        raise OSError(5, "Input/output error")
    assert caught.value.filename == "standard output"
    with pytest.raises(BrokenPipeError) as broken, naming("standard output"):
        raise BrokenPipeError(32, "Broken pipe")
    assert broken.value.filename is None
    other = tmp_path / "other.csv"
    with pytest.raises(FileNotFoundError) as missing, naming("standard output"):
        other.read_text()
    assert missing.value.filename == str(other)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["-o", "/dev/full", "--format", "jsonl"], "/dev/full"),
        (["--rejects", "/dev/full"], "/dev/full"),
        ([], "standard output"),
    ],
)
def test_the_command_on_a_full_disk_names_what_it_could_not_write(
    args: list[str], named: str
) -> None:
    """(Linux's ``/dev/full``: every write to it fails with ENOSPC.)"""
    month = sorted((Path(__file__).resolve().parents[1] / "examples/november-2026").glob("*.csv"))
    with open("/dev/full", "w") as full:
        process = subprocess.run(
            [sys.executable, "-m", "sales_policy", "check", *map(str, month), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert process.returncode == 2
    assert process.stderr == f"sales-policy: error: {named}: No space left on device\n"
