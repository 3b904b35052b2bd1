"""Files the command writes are written whole or not at all (``sales_policy.outputs``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sales_policy.outputs import replacing


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
