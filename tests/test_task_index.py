"""The task index: ``tasks`` reads a notice again only when its bytes changed, and prints the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cache, task_index, tracking
from generator.cli import main

from .conftest import ROOT, SEED


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    notices = tmp_path / "notices"
    (notices / "2023").mkdir(parents=True)
    shutil.copy(ROOT / "notices" / "units.yaml", notices / "units.yaml")
    shutil.copy(SEED, notices / "2023" / SEED.name)
    shutil.copy(SEED, notices / "2023" / "104.yaml")
    text = (notices / "2023" / "104.yaml").read_text(encoding="utf-8")
    (notices / "2023" / "104.yaml").write_text(text.replace("number: 103", "number: 104"), encoding="utf-8")
    return notices


def tasks(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["tasks", "--notices", str(folder), "--on", "2023-08-01", *args])
    assert result.exit_code == 0, result.output
    return result.output


def index_file(folder: Path) -> dict:
    """The index as {"notices": {key: entry}}."""
    folders = list(cache.cache_dir().glob("tasks-*"))
    assert len(folders) == 1
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in folders[0].glob("*.json")]
    assert {e["format"] for e in entries} == {task_index.INDEX_FORMAT}
    return {"notices": {e["key"]: e for e in entries}}


def loads(monkeypatch) -> list[Path]:
    """Record the notices tracking reads and validates (instead of taking them from the index)."""
    seen: list[Path] = []
    real = tracking.load_with_directory

    def spy(path, directory):
        seen.append(Path(path))
        return real(path, directory)

    monkeypatch.setattr(tracking, "load_with_directory", spy)
    return seen


def test_second_call_reads_no_notice_and_prints_the_same(folder, monkeypatch):
    seen = loads(monkeypatch)
    first_csv, first_table = tasks(folder, "--csv"), tasks(folder, "--overdue")
    assert len(seen) == 2                     # the first call read both; the second found them indexed
    assert set(index_file(folder)["notices"]) == {"2023/103-TB-BCD.yaml", "2023/104.yaml"}
    seen.clear()
    assert tasks(folder, "--csv") == first_csv and tasks(folder, "--overdue") == first_table
    assert seen == []
    assert first_csv.count("\n") == 1 + 2 * 154 and "104-TB/BCĐ" in first_csv


def test_only_a_changed_notice_is_read_again(folder, monkeypatch):
    tasks(folder)
    seen = loads(monkeypatch)
    changed = folder / "2023" / "104.yaml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Tiếp tục quán triệt", "Quán triệt", 1), encoding="utf-8")
    out = tasks(folder, "--csv")
    assert seen == [changed]
    assert "Quán triệt, triển khai" in out and "Tiếp tục quán triệt" in out  # 104 changed, 103 did not


def test_a_changed_units_file_rebuilds_the_index(folder, monkeypatch):
    tasks(folder)
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "# a comment only\n", encoding="utf-8")
    seen = loads(monkeypatch)
    tasks(folder)
    assert len(seen) == 2                     # the units file's bytes changed: every notice is read again
    seen.clear()
    tasks(folder)
    assert seen == []


def test_a_removed_notice_leaves_the_index(folder):
    tasks(folder)
    (folder / "2023" / "104.yaml").unlink()
    tasks(folder)
    assert set(index_file(folder)["notices"]) == {"2023/103-TB-BCD.yaml"}


def test_a_notice_with_errors_is_reported_on_every_call(folder):
    (folder / "2023" / "bad.yaml").write_text("style: party\n", encoding="utf-8")
    for _ in range(2):
        result = CliRunner().invoke(main, ["tasks", "--notices", str(folder)])
        assert result.exit_code == 1 and "bad.yaml" in result.output
    assert "2023/bad.yaml" not in index_file(folder)["notices"]


def test_a_broken_index_is_ignored_and_rewritten(folder):
    expected = tasks(folder, "--csv")
    for path in next(cache.cache_dir().glob("tasks-*")).glob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    assert tasks(folder, "--csv") == expected
    assert len(index_file(folder)["notices"]) == 2


def test_warnings_come_back_from_the_index_with_the_notice_path(folder):
    noisy = folder / "2023" / "104.yaml"
    text = noisy.read_text(encoding="utf-8")
    noisy.write_text(text.replace("Tiếp tục quán triệt", "Tiếp tục của của quán triệt", 1), encoding="utf-8")
    runs = [CliRunner().invoke(main, ["tasks", "--notices", str(folder)]) for _ in range(2)]
    assert runs[0].stderr == runs[1].stderr and f"Warning: {noisy}:" in runs[0].stderr


def test_deadlines_of_every_kind_come_back_from_the_index(folder, monkeypatch):
    kinds = ["Báo cáo **định kỳ hằng tháng (trước ngày 25)**.", "Báo cáo **trước 17 giờ ngày 30/8/2023**.",
             "Báo cáo **quý III/2023**.", "Thực hiện **thường xuyên**."]
    path = folder / "2023" / "104.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "      - >-\n        Tiếp tục quán triệt"
    path.write_text(text.replace(marker, "".join(f"      - {k}\n" for k in kinds) + marker, 1), encoding="utf-8")
    first = [tasks(folder, "--csv"), tasks(folder, "--on", "2023-10-30")]
    seen = loads(monkeypatch)
    assert [tasks(folder, "--csv"), tasks(folder, "--on", "2023-10-30")] == first and seen == []
    assert "hằng tháng, ngày 25" in first[0] and "quý III/2023" in first[0]


def test_one_id_given_to_two_units_in_two_units_files_is_a_warning(folder):
    # A sub-folder with its own units.yaml reusing the id 'ubnd-huyen' for another unit: the board keys
    # units by id, so its tasks would be counted as UBND huyện's. Said once, with both files.
    sub = folder / "xa"
    (sub / "2024").mkdir(parents=True)
    units = (folder / "units.yaml").read_text(encoding="utf-8")
    (sub / "units.yaml").write_text(units.replace("name: Ủy ban nhân dân huyện Kon Rẫy",
                                                  "name: Ủy ban nhân dân xã Đăk Rơ Wa"), encoding="utf-8")
    text = SEED.read_text(encoding="utf-8").replace("number: 103", "number: 9")
    (sub / "2024" / "9.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "tasks", "--notices", str(folder), "--on", "2023-08-01"])
    lines = [line for line in result.output.splitlines() if "id 'ubnd-huyen'" in line]
    assert len(lines) == 1, result.output
    assert str(sub / "units.yaml") in lines[0] and str(folder / "units.yaml") in lines[0]
    assert "'Ủy ban nhân dân xã Đăk Rơ Wa'" in lines[0] and "'Ủy ban nhân dân huyện Kon Rẫy'" in lines[0]


def test_the_same_unit_in_two_units_files_is_no_warning(folder):
    sub = folder / "xa"
    (sub / "2024").mkdir(parents=True)
    shutil.copy(folder / "units.yaml", sub / "units.yaml")
    text = SEED.read_text(encoding="utf-8").replace("number: 103", "number: 9")
    (sub / "2024" / "9.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "en", "tasks", "--notices", str(folder), "--on", "2023-08-01"])
    assert result.exit_code == 0 and "id '" not in result.output
