"""Messages in Vietnamese by default, English on request; the catalog is complete and compiled."""

from __future__ import annotations

import configparser
import io
import string
import unicodedata

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from generator import i18n
from generator.cli import main

from .conftest import MINIMAL, ROOT, SEED

PO = ROOT / "generator" / "locale" / "vi" / "LC_MESSAGES" / "thongbao.po"
MO = PO.with_suffix(".mo")


def run(*args: str, lang: str | None = None):
    env = {"THONGBAO_LANG": lang} if lang else {}
    return CliRunner().invoke(main, list(args), env=env)


def _keywords() -> dict[str, tuple[int, ...] | None]:
    """The extraction keywords of setup.cfg [extract_messages] (the pybabel command's -k)."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    out: dict[str, tuple[int, ...] | None] = {}
    for spec in cfg["extract_messages"]["keywords"].split():
        name, _sep, args = spec.partition(":")
        out[name] = tuple(int(a) for a in args.split(",")) if args else None
    return out


def _extracted() -> dict[str | tuple[str, ...], str]:
    """Every message marked in the package, as Babel extracts it: msgid -> where."""
    method_map = [("generator/**.py", "python")]
    if (ROOT / "generator" / "web" / "templates").is_dir():
        method_map.append(("generator/web/templates/**.html", "jinja2"))
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=_keywords()):
        if isinstance(message, tuple):
            message = tuple(m for m in message if m is not None)
            if len(message) == 1:
                message = message[0]
        if message:
            found[message] = f"{filename}:{lineno}"
    return found


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as f:
        return read_po(f)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_the_vietnamese_catalog_has_every_marked_message(catalog):
    missing = []
    for message, where in _extracted().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ()
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(f"{where}: {message!r}")
    assert not missing, "not translated in vi (run the pybabel commands of the README):\n" + "\n".join(missing)


def test_every_translation_keeps_the_placeholders_and_is_nfc(catalog):
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        allowed = set().union(*(_fields(i) for i in ids))
        for s in strings:
            if unicodedata.normalize("NFC", s) != s:
                wrong.append(f"{ids[0]!r}: not NFC")
            if "%(" not in ids[0] and not (_fields(s) <= allowed and (len(ids) > 1 or _fields(s) == allowed)):
                wrong.append(f"{ids[0]!r}: placeholders {sorted(_fields(s))}, expected {sorted(allowed)}")
    assert not wrong, "\n".join(wrong)


def test_the_committed_mo_file_is_compiled_from_the_po_file(catalog):
    out = io.BytesIO()
    write_mo(out, catalog)
    assert MO.read_bytes() == out.getvalue(), "run: pybabel compile -d generator/locale -D thongbao"


def test_the_catalog_answers_as_gettext_does_for_every_message(catalog):
    import gettext

    with MO.open("rb") as f:
        reference = gettext.GNUTranslations(f)
    ours = i18n.Catalog(MO.read_bytes())
    ids = [m.id for m in catalog if m.id] + ["not in the catalog", "Usage:", "file", "{n} task"]
    for message in ids:
        singular, plural = message if isinstance(message, tuple) else (message, message + "s")
        assert ours.gettext(singular) == reference.gettext(singular), singular
        for n in (0, 1, 2, 5, 21):
            assert ours.ngettext(singular, plural, n) == reference.ngettext(singular, plural, n), (singular, n)


def test_the_committed_catalog_is_sorted_as_the_lookup_needs():
    import struct

    data = MO.read_bytes()
    count, ids_at = struct.unpack_from("<2I", data, 8)
    ids = struct.unpack_from(f"<{2 * count}I", data, ids_at)
    singulars = [data[ids[k + 1]:ids[k + 1] + ids[k]].split(b"\0")[0] for k in range(0, 2 * count, 2)]
    assert singulars == sorted(singulars) and len(set(singulars)) == count


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "vi"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LANG": "C.UTF-8"}, "vi"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ({"LANGUAGE": "en:vi", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "vi"),
    ({"THONGBAO_LANG": "vi", "LANG": "en_US.UTF-8"}, "vi"),
    ({"THONGBAO_LANG": "en"}, "en"),
])
def test_the_language_follows_the_setting_then_the_locale_then_vietnamese(monkeypatch, env, expected):
    for name in ("THONGBAO_LANG", *i18n.LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def test_using_a_language_overrides_the_settings_inside_the_block():
    with i18n.using("vi"):
        assert i18n._("Usage:") == "Cách dùng:"
        with i18n.using("en"):
            assert i18n._("Usage:") == "Usage:"
    assert i18n.language() == "en"


# Both languages pinned for a few messages: an error line, a warning, a help text, a summary.

def test_validate_summary_in_both_languages():
    vi = run("validate", str(SEED), lang="vi")
    en = run("validate", str(SEED), lang="en")
    assert vi.output.strip() == f"{SEED}: Hợp lệ (6 kết luận, 15 nhiệm vụ)"
    assert en.output.strip() == f"{SEED}: OK (6 conclusions, 15 tasks)"


def test_an_error_line_in_both_languages(write_source):
    path = write_source(MINIMAL.replace("date: 2023-07-14", "date: 31/02/2023"))
    vi = run("validate", str(path), lang="vi")
    en = run("validate", str(path), lang="en")
    assert vi.exit_code == en.exit_code == 1
    assert vi.output.strip() == (f"Lỗi: {path}:6: date: gặp '31/02/2023', "
                                 "cần một ngày có thật, dạng ngày/tháng/năm (14/7/2023) hoặc YYYY-MM-DD")
    assert en.output.strip() == f"Error: {path}:6: date: found '31/02/2023', expected a real date as YYYY-MM-DD or D/M/YYYY"


def test_a_warning_in_both_languages(write_source):
    path = write_source(MINIMAL.replace("Báo cáo **", "Báo cáo thực hiện thực hiện **"))
    vi = run("validate", str(path), lang="vi")
    en = run("validate", str(path), lang="en")
    assert (f"Cảnh báo: {path}:12: conclusions[0].tasks[0]: gặp 'thực hiện thực hiện' (từ bị lặp), "
            "cần mỗi từ một lần ('thực hiện')") in vi.output
    assert (f"Warning: {path}:12: conclusions[0].tasks[0]: found 'thực hiện thực hiện' (a word repeated), "
            "expected the words once ('thực hiện')") in en.output


def test_help_in_both_languages_and_lang_option_wins_over_the_setting():
    vi = run("render", "--help", lang="vi")
    en = run("--lang", "en", "render", "--help", lang="vi")
    assert "Tạo văn bản .docx sẵn sàng trình ký từ tệp nguồn thông báo" in vi.output
    assert "Cách dùng: " in vi.output and "Tùy chọn:" in vi.output
    assert "Render a notice source to a .docx ready to sign" in en.output
    assert "Usage: " in en.output and "Options:" in en.output
    # --lang lasts for that run only
    assert "Cách dùng: " in run("--help", lang="vi").output


def test_click_usage_errors_are_translated_too():
    result = run("valid", lang="vi")
    assert result.exit_code == 2
    assert "Lỗi: Không có lệnh 'valid'." in result.output
    assert "Error: No such command 'valid'." in run("valid", lang="en").output


def test_the_lang_option_refuses_other_languages():
    result = run("--lang", "fr", "--help")
    assert result.exit_code == 2
    assert "'fr' is not one of 'vi', 'en'" in result.output


def test_lang_option_holds_for_the_error_printed_at_the_end_of_the_run(write_source):
    path = write_source(MINIMAL.replace("date: 2023-07-14", "date: 31/02/2023"))
    en = run("--lang", "en", "validate", str(path), lang="vi")
    assert en.output.startswith(f"Error: {path}:6: date: found '31/02/2023'")
    vi = run("--lang", "vi", "--help", lang="en")
    assert "Hiện hướng dẫn này rồi thoát." in vi.output and "Hiện phiên bản rồi thoát." in vi.output
    # the next run starts from the settings again
    assert run("validate", str(path), lang="vi").output.startswith("Lỗi: ")
    assert "Where to write the .docx" in run("--lang", "en", "render", "--help", lang="vi").output
    assert "Nơi ghi tệp .docx" in run("render", "--help", lang="vi").output


def test_task_status_in_both_languages(tmp_path):
    import datetime as dt

    from generator.tracking import load_folder, select

    data = load_folder(ROOT / "notices")
    rows = select(data, overdue_on=dt.date(2023, 8, 1), on=dt.date(2023, 8, 1))
    row = next(r for r in rows if r.assignment.ref == "103-TB/BCĐ 1.4" and r.assignment.unit.id == "ubnd-huyen")
    with i18n.using("vi"):
        assert row.status(dt.date(2023, 8, 1)) == "quá hạn 12 ngày"
    with i18n.using("en"):
        assert row.status(dt.date(2023, 8, 1)) == "overdue 12 days"


def test_a_cached_notice_keeps_its_warnings_in_the_language_of_the_run(write_source):
    from generator import api

    path = write_source(MINIMAL.replace("Báo cáo **", "Báo cáo thực hiện thực hiện **"))
    for _round in (1, 2):  # the second round reads the cache
        with i18n.using("vi"):
            assert "(từ bị lặp)" in api.load_notice_cached(path).warnings[0].found
        with i18n.using("en"):
            assert "(a word repeated)" in api.load_notice_cached(path).warnings[0].found


@pytest.mark.parametrize("size", [10, 30, 200, "half", "end"])
def test_a_damaged_catalog_is_english_never_empty_messages_or_a_traceback(size):
    """A .mo cut short (a copy or an install interrupted): refused as a whole (English, as without a
    catalog), never answering empty or cut messages from past its end."""
    data = MO.read_bytes()
    cut = {"half": len(data) // 2, "end": len(data) - 40}.get(size, size)
    with pytest.raises(ValueError):
        i18n.Catalog(data[:cut])


def test_a_catalog_with_a_message_that_is_not_utf8_answers_the_others():
    import struct

    data = bytearray(MO.read_bytes())
    count, ids_at, strs_at = struct.unpack_from("<3I", data, 8)
    _length, at = struct.unpack_from("<2I", data, strs_at + 8 * (count - 1))  # the last message's translation
    data[at:at + 1] = b"\xff"
    ours = i18n.Catalog(bytes(data))
    last = bytes(data[struct.unpack_from("<I", data, ids_at + 8 * (count - 1) + 4)[0]:]).split(b"\0")[0].decode()
    assert ours.gettext(last) == last and ours.ngettext(last, last + "s", 2) in (last, last + "s")
    assert ours.gettext("Usage:") == "Cách dùng:"


def test_click_path_errors_keep_vietnamese_lower_case(tmp_path):
    # click starts the sentence with name.title(): "Thư Mục", "Đường Dẫn" before.
    source = tmp_path / "a.yaml"
    source.write_text("x: 1\n", encoding="utf-8")
    vi = run("issue", str(source), "--archive", str(source), lang="vi")
    assert vi.exit_code == 2
    assert f"Thư mục '{source}' là một tệp." in vi.output
    missing = run("import", str(tmp_path / "nope.docx"), lang="vi")
    assert f"Đường dẫn '{tmp_path / 'nope.docx'}' không tồn tại." in missing.output
    en = run("issue", str(source), "--archive", str(source), lang="en")
    assert f"Directory '{source}' is a file." in en.output
