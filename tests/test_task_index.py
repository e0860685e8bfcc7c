"""The task index: ``tasks`` reads a notice again only when its bytes changed, and prints the same."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cache, i18n, task_index, tracking
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


def test_a_name_two_units_files_give_to_different_units_is_refused_by_unit(folder):
    # notices/ itself has this: 'UBND huyện' is Kon Rẫy's in notices/units.yaml and Đăk Hà's in
    # huyen-uy-dak-ha/units.yaml. --unit by that name must not pick one of them in silence.
    sub = folder / "dak-ha"
    (sub / "2024").mkdir(parents=True)
    units = (folder / "units.yaml").read_text(encoding="utf-8")
    (sub / "units.yaml").write_text(units.replace("id: ubnd-huyen", "id: ubnd-dak-ha"), encoding="utf-8")
    text = SEED.read_text(encoding="utf-8").replace("number: 103", "number: 9")
    (sub / "2024" / "9.yaml").write_text(text, encoding="utf-8")

    def run(*args):
        return CliRunner().invoke(main, ["--lang", "en", "tasks", "--notices", str(folder), *args])

    for args in (["--unit", "UBND huyện", "--on", "2023-08-01"],
                 ["--unit", "ubnd huyện", "--csv"],
                 ["done", "--notice", "103", "--unit", "UBND huyện", "--task", "4.3", "--on", "2023-09-05"]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert ("--unit: found '%s', the name of several units (ubnd-dak-ha, ubnd-huyen), expected the id of one of "
                "them" % args[args.index("--unit") + 1]) in result.output
        assert "Traceback" not in result.output
    assert not (folder / "received.csv").exists()
    by_id = run("--unit", "ubnd-huyen", "--on", "2023-08-01")
    assert by_id.exit_code == 0 and "103-TB/BCĐ 4.3" in by_id.output and "9-TB/BCĐ" not in by_id.output
    shared = run("--unit", "Ủy ban MTTQ Việt Nam huyện", "--on", "2023-08-01")  # one id in both files: one unit
    assert shared.exit_code == 0 and "(ubmttq-huyen)" in shared.output
# -- the stat, the summary, and tasks worked out once for all their units -------------------------------------------


@pytest.fixture
def settled(monkeypatch):
    """Every source counts as changed long before it was read: its stat is trusted (no bytes hashed)."""
    monkeypatch.setattr(task_index, "RACY_NS", -10**15)


def summary_name() -> str:
    folders = list(cache.cache_dir().glob("tasks-*"))
    assert len(folders) == 1
    return f"{folders[0].name}/{task_index.SUMMARY_FILE}"


def spy(monkeypatch, name: str) -> list:
    """Record the calls of task_index.<name> (its first argument)."""
    seen: list = []
    real = getattr(task_index, name)

    def record(first, *args, **kwargs):
        seen.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(task_index, name, record)
    return seen


def test_a_settled_folder_is_read_from_its_summary_alone(folder, settled, monkeypatch):
    first = [tasks(folder, "--csv"), tasks(folder, "--overdue"), tasks(folder, "--unit", "ubnd-huyen")]
    assert set(task_index._Summary.read(summary_name()).records) == {"2023/103-TB-BCD.yaml", "2023/104.yaml"}
    notices, entries, sources = loads(monkeypatch), spy(monkeypatch, "_read"), spy(monkeypatch, "_read_bytes")
    again = [tasks(folder, "--csv"), tasks(folder, "--overdue"), tasks(folder, "--unit", "ubnd-huyen")]
    assert again == first
    assert notices == [] and entries == [] and sources == []  # neither a notice, nor an entry, nor a hash


def test_without_its_summary_an_entry_is_trusted_by_the_stat_of_its_source(folder, settled, monkeypatch):
    expected = tasks(folder, "--csv")
    (cache.cache_dir() / summary_name()).unlink()
    notices, entries, sources = loads(monkeypatch), spy(monkeypatch, "_read"), spy(monkeypatch, "_read_bytes")
    assert tasks(folder, "--csv") == expected
    assert notices == [] and sources == [] and len(entries) == 2


def test_a_notice_rewritten_with_its_size_and_time_kept_is_read_again(folder, settled, monkeypatch):
    tasks(folder)
    changed = folder / "2023" / "104.yaml"
    st = changed.stat()
    text = changed.read_text(encoding="utf-8")
    assert "26-KH/HU" in text
    changed.write_text(text.replace("26-KH/HU", "27-KH/HU"), encoding="utf-8")
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert changed.stat().st_size == st.st_size and changed.stat().st_mtime_ns == st.st_mtime_ns
    seen = loads(monkeypatch)
    out = tasks(folder, "--csv")
    assert seen == [changed]  # its inode's change time moved: the stat is not the one recorded
    assert "104-TB/BCĐ" in out and "27-KH/HU" in out and "26-KH/HU" in out  # 104 changed, 103 did not


def test_a_source_changed_just_before_it_was_read_is_hashed_every_time(folder, monkeypatch):
    # Every source keeps one stat, changed when it was read: the stat cannot vouch for its bytes.
    now = time.time_ns()
    monkeypatch.setattr(task_index.TaskIndex, "stamp", staticmethod(lambda path: ([1, 2, now, 3], now + 1)))
    tasks(folder)
    changed = folder / "2023" / "104.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("26-KH/HU", "27-KH/HU"), encoding="utf-8")
    seen = loads(monkeypatch)
    assert "27-KH/HU" in tasks(folder, "--csv") and seen == [changed]
    seen.clear()
    tasks(folder, "--csv")
    assert seen == []  # read again, then kept: its bytes are those indexed


def test_a_removed_notice_leaves_the_summary_and_the_list(folder, settled):
    tasks(folder)
    (folder / "2023" / "104.yaml").unlink()
    out = tasks(folder, "--csv")
    assert "104-TB/BCĐ" not in out and "103-TB/BCĐ" in out
    assert set(task_index._Summary.read(summary_name()).records) == {"2023/103-TB-BCD.yaml"}
    assert set(index_file(folder)["notices"]) == {"2023/103-TB-BCD.yaml"}


def test_a_changed_units_file_is_not_answered_from_the_summary(folder, settled, monkeypatch):
    tasks(folder)
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "# a comment only\n", encoding="utf-8")
    seen = loads(monkeypatch)
    tasks(folder)
    assert len(seen) == 2


def test_a_damaged_summary_is_ignored_and_written_again(folder, settled, monkeypatch):
    expected = tasks(folder, "--csv")
    path = cache.cache_dir() / summary_name()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert task_index._Summary.read(summary_name()).records == {}  # its hash no longer matches
    seen = loads(monkeypatch)
    assert tasks(folder, "--csv") == expected and seen == []  # the entries answer
    assert len(task_index._Summary.read(summary_name()).records) == 2


class _Planted:
    """What a summary must never make: any object but tasks, dates, times and deadlines."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_a_summary_is_read_by_an_unpickler_that_makes_nothing_else(folder, settled, tmp_path):
    expected = tasks(folder, "--csv")
    marker = tmp_path / "planted"

    def write(fh):
        fh.write(task_index._SUMMARY_HEAD)
        pickle.dump({"2023/104.yaml": _Planted(marker)}, fh)

    cache.write_stream(summary_name(), write)  # with a hash that matches: only the unpickler stands guard
    assert tasks(folder, "--csv") == expected
    assert not marker.exists()


def test_lines_and_rows_list_the_same_tasks_in_the_same_order(tmp_path):
    import datetime as dt

    from generator.tasks import Task

    notices = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", notices)
    (notices / "received.csv").write_text(
        "notice,conclusion,task,unit_id,received_on,note\n"
        "103-TB/BCĐ,1,4,ubnd-huyen,2023-07-25,\n"
        "103-TB/BCĐ,4,1,ubnd-huyen,2023-07-20,\n"
        "125/TB-UBND,II.1,2,so-gtvt,2024-01-20,\n"
        "125/TB-UBND,II.1,2,so-gtvt,2024-02-21,\n", encoding="utf-8")
    # A sub-folder's units.yaml giving the id 'ubnd-huyen' to another unit: one id, two Units in its rows.
    sub = notices / "xa"
    (sub / "2023").mkdir(parents=True)
    (sub / "units.yaml").write_text((notices / "units.yaml").read_text(encoding="utf-8").replace(
        "name: Ủy ban nhân dân huyện Kon Rẫy", "name: Ủy ban nhân dân xã Đăk Rơ Wa"), encoding="utf-8")
    (sub / "2023" / "9.yaml").write_text(SEED.read_text(encoding="utf-8").replace("number: 103", "number: 9"),
                                         encoding="utf-8")
    data = tracking.load_folder(notices)
    assert data.received
    assert len({a.unit.name for a in data.assignments if a.unit.id == "ubnd-huyen"}) == 2
    day = dt.date(2024, 3, 1)
    for filters in ({}, {"overdue_on": day}, {"due_before": day}, {"unit": "ubnd-huyen"},
                    {"overdue_on": dt.date(2023, 8, 1), "on": dt.date(2023, 8, 1)}):
        rows = tracking.select(data, on=filters.get("on", day), **{k: v for k, v in filters.items() if k != "on"})
        groups = tracking.select_lines(data, on=filters.get("on", day),
                                       **{k: v for k, v in filters.items() if k != "on"})
        assert rows
        flat = [(line.task, unit.id, line.received, line.reports) for unit, lines in groups for line in lines]
        assert flat == [(Task(*[getattr(r.assignment, f) for f in Task._fields]), r.assignment.unit.id, r.received,
                         r.reports) for r in rows]
        # a unit's heading: the unit of its first row, as the table has always printed it
        first = {}
        for r in rows:
            first.setdefault(r.assignment.unit.id, r.assignment.unit)
        assert [unit for unit, _lines in groups] == list(first.values())
    assert any(r.received for r in tracking.select(data, on=day))
    # The rows are made once: another select gives the same Assignments, as the folder's list holds them.
    first, second = tracking.select(data, on=day), tracking.select(data, on=day)
    assert all(a.assignment is b.assignment for a, b in zip(first, second, strict=True))
    assert {id(a) for a in data.assignments} >= {id(r.assignment) for r in first}


def test_an_index_kept_for_other_task_fields_is_not_read_back(folder, settled, monkeypatch):
    expected = tasks(folder, "--csv")
    monkeypatch.setattr(task_index, "SCHEMA", "another")  # what code with other fields in a task would see
    monkeypatch.setattr(task_index, "_SUMMARY_HEAD", b"thongbao task index, other fields\n")
    seen = loads(monkeypatch)
    assert tasks(folder, "--csv") == expected and len(seen) == 2


def test_where_a_stat_cannot_vouch_for_bytes_every_source_is_hashed(folder, settled, monkeypatch):
    expected = tasks(folder, "--csv")
    monkeypatch.setattr(task_index, "STAT_TRUSTED", False)  # as on Windows, whose st_ctime is a creation time
    notices, sources = loads(monkeypatch), spy(monkeypatch, "_read_bytes")
    assert tasks(folder, "--csv") == expected
    assert notices == [] and len(sources) == 2


def test_warnings_from_the_index_are_in_the_language_of_the_run(folder):
    # a warning's text is translated when the notice is read: the web app (vi) and a clerk's CLI (en) share
    # the index, so a warning kept in one language must not be printed in the other
    noisy = folder / "2023" / "104.yaml"
    text = noisy.read_text(encoding="utf-8")
    noisy.write_text(text.replace("Tiếp tục quán triệt", "Tiếp tục của của quán triệt", 1), encoding="utf-8")
    try:
        for first, then in (("vi", "en"), ("en", "vi")):
            shutil.rmtree(cache.cache_dir(), ignore_errors=True)
            cold = CliRunner().invoke(main, ["--lang", then, "tasks", "--notices", str(folder)]).stderr
            shutil.rmtree(cache.cache_dir(), ignore_errors=True)
            CliRunner().invoke(main, ["--lang", first, "tasks", "--notices", str(folder)])
            warm = CliRunner().invoke(main, ["--lang", then, "tasks", "--notices", str(folder)]).stderr
            assert f"{noisy}:" in warm and warm == cold
    finally:
        i18n.choose(None)  # --lang holds to the end of a run: the tests after call the API in the settings' language


def test_a_units_file_saved_while_it_was_read_does_not_key_the_index(folder, monkeypatch):
    """The index is keyed by the units file's bytes as they were before it was read: one saved between
    its reading and its hashing must not stand for the version the tasks were worked out with."""
    units = folder / "units.yaml"
    before = units.read_text(encoding="utf-8")
    old = "  - id: ubnd-huyen\n    name: Ủy ban nhân dân huyện Kon Rẫy\n    aliases: [UBND huyện, Ủy ban nhân dân huyện]\n"
    assert old + "    groups: [co-quan-huyen]\n" in before
    real = tracking.load_directory
    saved: list[bool] = []

    def read_then_saved(path):
        found = real(path)
        if not saved:  # the clerk saves a new version (a unit out of a group) just after thongbao read the old
            units.write_text(before.replace(old + "    groups: [co-quan-huyen]\n", old), encoding="utf-8")
            saved.append(True)
        return found

    monkeypatch.setattr(tracking, "load_directory", read_then_saved)
    tasks(folder)
    monkeypatch.setattr(tracking, "load_directory", real)
    warm = CliRunner().invoke(main, ["tasks", "--notices", str(folder), "--on", "2023-08-01"])
    shutil.rmtree(cache.cache_dir())
    cold = CliRunner().invoke(main, ["tasks", "--notices", str(folder), "--on", "2023-08-01"])
    assert (warm.exit_code, warm.output, warm.stderr) == (cold.exit_code, cold.output, cold.stderr)


def test_where_ctime_is_a_creation_time_a_rewrite_with_size_and_time_kept_is_read_again(folder, monkeypatch):
    """On a FAT stick, older Linux gives a file's creation as its st_ctime, and its mtime moves by two
    seconds: a notice saved again, same size, in the same two seconds shows the stat recorded. A stat
    vouches for bytes only where the last change it shows (ctime and mtime) was well before the read."""
    real = task_index.TaskIndex.stamp
    created = time.time_ns() - 10**12

    def fat(path):
        stat, checked = real(path)
        if stat is not None:
            stat[2] = created
        return stat, checked

    monkeypatch.setattr(task_index.TaskIndex, "stamp", staticmethod(fat))
    changed = folder / "2023" / "104.yaml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text, encoding="utf-8")  # saved just now, then listed at once
    st = changed.stat()
    tasks(folder)
    changed.write_text(text.replace("26-KH/HU", "27-KH/HU"), encoding="utf-8")  # within the same two seconds
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert changed.stat().st_size == st.st_size
    assert "27-KH/HU" in tasks(folder, "--csv")
