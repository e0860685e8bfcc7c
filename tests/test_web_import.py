"""New notices from an uploaded Word draft in the web workspace: through the importer, into the editor, saved.

The importer's ASSUMED / CHECK comments reach the clerk in Vietnamese beside
their fields (never as YAML), a note the clerk has looked at goes on save, and
the saved source renders.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil

import pytest

pytest.importorskip("flask", reason="the web workspace needs Flask (pip install -e '.[test]')")
pytest.importorskip("ruamel.yaml", reason="the web workspace needs ruamel.yaml (pip install -e '.[test]')")

from generator import api, i18n
from generator.importer import import_file
from generator.web import create_app, imports, shutdown

from . import import_drafts
from .web_helpers import ROOT, TODAY, csrf, settings

SEED = ROOT / "notices" / "2023" / "103-TB-BCD.yaml"
SEED_TEXT = next((ROOT.parent / "shared" / "seeds").glob("*.txt"), None) \
    if (ROOT.parent / "shared" / "seeds").is_dir() else None
SEED_TEXT = SEED_TEXT or ROOT / "tests" / "data" / "seed-103-TB-BCD.txt"


@pytest.fixture
def app(tmp_path):
    app = create_app(settings(tmp_path))
    app.testing = False
    yield app
    shutdown(app)


@pytest.fixture
def client(app):
    return app.test_client()


def upload(client, name: str, data: bytes):
    token = csrf(client)
    return client.post("/notices/upload", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def editor(client, rel: str) -> tuple[str, dict]:
    html = client.get(f"/edit/{rel}").get_data(as_text=True)
    return html, json.loads(re.search(r'id="editor-data">(.*?)</script>', html, re.DOTALL).group(1))


def save(client, rel: str, data: dict, version: str, struck=()):
    token = csrf(client)
    return client.post(f"/save/{rel}", data=json.dumps({"data": data, "version": version, "struck": list(struck)}),
                       content_type="application/json", headers={"X-CSRF-Token": token})


def test_a_rendered_notice_uploaded_as_docx_lands_in_the_editor_and_saves_to_the_same_notice(client, tmp_path):
    original = api.load_notice(SEED).notice
    resp = upload(client, "103-TB-BCD.docx", api.render_notice(original))
    assert resp.status_code == 302
    rel = resp.headers["Location"].split("/edit/", 1)[1]
    # Filed by its year and number like `import DIR`, never over the example already there.
    assert rel == "2023/103-TB-BCD-2.yaml"
    assert (tmp_path / "notices" / "2023" / "103-TB-BCD.yaml").read_bytes() == SEED.read_bytes()
    html, boot = editor(client, rel)
    assert "Đã nhập bản thảo 103-TB-BCD.docx: 6 kết luận, 15 nhiệm vụ, 2 chú thích; 1 chỗ cần anh/chị kiểm tra" in html
    assert boot["data"]["subject"] == original.subject
    # The one doubtful reading, in Vietnamese, beside the units of conclusion 2.
    [note] = boot["notes"]
    assert note == {"id": note["id"], "path": "conclusions[1].to", "kind": "CHECK", "label": "Cần kiểm tra",
                    "place": "Kết luận 2, đơn vị được giao",
                    "message": "đơn vị 'Đảng ủy' không có trong danh mục đơn vị (gần nhất: 'Đảng ủy xã Đăk Pne')."}
    assert "CHECK:" not in html.split('id="editor-data"')[0]
    # The clerk picks the right units, marks the note seen, saves: the comment goes, the rest stays.
    data = boot["data"]
    data["conclusions"][1]["to"] = ["Đảng ủy các xã, thị trấn", "Ban Chỉ đạo Cuộc vận động các xã, thị trấn"]
    result = save(client, rel, data, boot["version"], [note["id"]]).get_json()
    assert result["saved"] and result["ok"], result["problems"]
    assert result["notes"] == []
    text = (tmp_path / "notices" / rel).read_text(encoding="utf-8")
    assert "# CHECK (to)" not in text and text.startswith("# Imported by `thongbao import` from 103-TB-BCD.docx.")
    # The saved source renders the notice it was read from, byte for byte.
    saved = api.load_notice(tmp_path / "notices" / rel).notice
    assert api.render_notice(saved) == api.render_notice(original)


def test_a_hand_typed_draft_shows_what_was_guessed_in_vietnamese_and_keeps_the_notes_not_yet_seen(client, tmp_path):
    import_drafts.blank_draft(tmp_path / "d.docx")
    resp = upload(client, "Dự thảo thông báo.docx", (tmp_path / "d.docx").read_bytes())
    rel = resp.headers["Location"].split("/edit/", 1)[1]
    assert rel == f"{TODAY.year}/Du-thao-thong-bao.yaml"      # no number yet: the file's name, this year
    html, boot = editor(client, rel)
    assert "Đã nhập bản thảo Dự thảo thông báo.docx: 2 kết luận, 2 nhiệm vụ" in html
    by_path = {n["path"]: n for n in boot["notes"]}
    assert by_path["number"]["message"] == "số văn bản để trống (bản thảo): khi ban hành, máy sẽ cấp số tiếp theo."
    assert by_path["date"]["label"] == "Máy tự đoán"
    assert by_path["date"]["message"].startswith("ngày ban hành để trống (bản thảo); tạm lấy ngày cuộc họp")
    assert by_path["conclusions[0].to"]["kind"] == "CHECK"
    assert not any(re.search(r"[A-Za-z]+ [a-z]+ [a-z]+ the ", n["message"]) for n in boot["notes"])  # no English
    before = (tmp_path / "notices" / rel).read_text(encoding="utf-8")
    result = save(client, rel, boot["data"], boot["version"], [by_path["date"]["id"]]).get_json()
    after = (tmp_path / "notices" / rel).read_text(encoding="utf-8")
    # The importer ran in the clerk's language: its comments are the words the editor shows, no English.
    comments = re.findall(r"# (?:ASSUMED|CHECK)(?: \(\w+\))?: (.*)", before)
    assert len(comments) == len(boot["notes"]) and not [c for c in comments if re.search(ENGLISH, c)], comments
    assert "# ASSUMED: ngày ban hành để trống (bản thảo)" in before and "ngày ban hành để trống" not in after
    assert "# CHECK (number): số văn bản để trống (bản thảo)" in after    # not struck: still there, still shown
    assert {n["path"] for n in result["notes"]} == set(by_path) - {"date"}
    assert re.sub(r"  # ASSUMED: ngày ban hành[^\n]*", "", before) == after   # only that comment went
    loaded = api.load_notice(tmp_path / "notices" / rel, require_number=False).notice
    docx = api.render_notice(dataclasses.replace(loaded, number=7))
    assert docx.startswith(b"PK") and len(docx) > 5000


def test_a_file_that_is_not_a_notice_is_refused_in_vietnamese_and_nothing_is_written(client, tmp_path):
    import_drafts.prose(tmp_path / "p.docx")
    before = sorted((tmp_path / "notices").rglob("*"))
    resp = upload(client, "thuc-don.docx", (tmp_path / "p.docx").read_bytes())
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Tệp thuc-don.docx không giống một thông báo" in page and "Traceback" not in page
    assert sorted((tmp_path / "notices").rglob("*")) == before


def test_a_doc_upload_without_libreoffice_says_so_in_vietnamese(client, tmp_path, monkeypatch):
    monkeypatch.delenv("THONGBAO_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    before = sorted((tmp_path / "notices").rglob("*"))
    for name, data in (("du-thao.doc", imports.CFB + b"\x00" * 600), ("du-thao.odt", b"PK\x03\x04" + b"\x00" * 60)):
        resp = upload(client, name, data)
        assert resp.status_code == 422
        page = resp.get_data(as_text=True)
        assert "máy chủ chưa cài LibreOffice" in page and "Lưu thành" in page
    assert sorted((tmp_path / "notices").rglob("*")) == before


def test_a_word_file_whose_bytes_are_not_word_is_refused(client):
    resp = upload(client, "du-thao.doc", b"MZ\x90\x00 not a word file")
    assert resp.status_code == 400
    assert "bị hỏng hoặc không phải tệp Word" in resp.get_data(as_text=True)


def test_an_inline_note_and_a_note_above_a_list_entry_find_their_fields():
    # The field comes from where the comment stands, or from the field it names (a field not written: at the
    # top; one of the entry's fields: above an entry), never from its words: any language reads the same.
    text = ("style: state  # ASSUMED: không có dòng quốc hiệu; thể thức Nhà nước đoán từ dòng tiêu ngữ\n"
            "issuing_body: UBND\n"
            "# CHECK (number): số văn bản để trống (bản thảo): khi ban hành, máy sẽ cấp số tiếp theo\n"
            "type_code: TB\n"
            "conclusions:\n"
            "  - text: A\n"
            "  # CHECK: bản gốc đánh số 3,\n"
            "  #   bản in ra sẽ đánh số 2\n"
            "  # CHECK (to): unknown unit 'Công an xã'\n"
            "  - to: Công an xã\n"
            "    tasks:\n"
            "      - B  # CHECK: 'cuối quý' giống một thời hạn nhưng máy không đọc được\n"
            "# ASSUMED (subject): the subject line was added to the number's line\n")
    notes = imports.notes_in(text.encode())
    assert [(n.line, n.path, n.inline) for n in notes] == [
        (1, "style", True), (3, "number", False), (7, "conclusions[1]", False), (9, "conclusions[1].to", False),
        (12, "conclusions[1].tasks[0]", True), (13, "subject", False)]
    assert notes[1].public()["message"] == "số văn bản để trống (bản thảo): khi ban hành, máy sẽ cấp số tiếp theo."
    assert notes[2].public()["message"] == "bản gốc đánh số 3, bản in ra sẽ đánh số 2."
    kept = imports.without_notes(text.encode(), {1, 7, 9, 12}).decode()
    assert kept.splitlines()[0] == "style: state" and "đánh số 3" not in kept and "đánh số 2" not in kept
    assert "      - B\n" in kept and "# CHECK (number): số văn bản để trống" in kept and "Công an xã'\n" not in kept


@pytest.mark.parametrize("build", [f for f in dir(import_drafts) if not f.startswith("_")
                                   and callable(getattr(import_drafts, f)) and f not in ("not_a_notice", "prose")
                                   and getattr(import_drafts, f).__module__ == import_drafts.__name__] + ["seed"])
def test_every_note_the_importer_writes_for_the_drafts_is_in_vietnamese_and_beside_its_field(build, tmp_path):
    if build == "seed":    # the seed text lost its header lines: issuing body, place, date assumed
        read = SEED_TEXT
    else:
        read = tmp_path / "d.docx"
        getattr(import_drafts, build)(read)
    with i18n.using("vi"):                                       # as the web app runs it
        result = import_file(read, tmp_path / "d.yaml", units=ROOT / "notices" / "units.yaml")
    found = imports.notes_in((tmp_path / "d.yaml").read_bytes())
    assert found or build in ("tabbed_party", "word_lists", "line_breaks", "textbox_header", "plain_paragraphs")
    assert len(found) == result.draft.count("ASSUMED") + result.draft.count("CHECK")
    for note in found:
        assert note.path, note.text
        assert not re.search(ENGLISH, note.text), note.text
    for warning in result.warnings:
        assert not re.search(ENGLISH, warning), warning


ENGLISH = r"\b(the|found|read|unit|line|no|not|addressed|numbered|lettered|written|left|header|deadline|style)\b"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_a_doc_upload_is_converted_by_libreoffice_and_opens_in_the_editor(client, tmp_path):
    import time

    from generator.docx.pdf import _convert, find_soffice

    (tmp_path / "n.docx").write_bytes(api.render_notice(api.load_notice(SEED).notice))
    doc = _convert(find_soffice(), tmp_path / "profile", tmp_path / "n.docx", "doc:MS Word 97", tmp_path / "out",
                   time.monotonic() + 120, 120, tmp_path / "n.docx")
    resp = upload(client, "Thông báo cũ.doc", doc.read_bytes())
    assert resp.status_code == 302, resp.get_data(as_text=True)
    rel = resp.headers["Location"].split("/edit/", 1)[1]
    assert rel == "2023/103-TB-BCD-2.yaml"
    html, boot = editor(client, rel)
    assert "Đã nhập bản thảo Thông báo cũ.doc: 6 kết luận, 15 nhiệm vụ, 2 chú thích" in html
    assert boot["data"]["number"] == "103" and len(boot["data"]["conclusions"]) == 6


def test_the_importers_warnings_are_shown_once_in_vietnamese_above_the_editor(client, tmp_path):
    import_drafts.one_conclusion(tmp_path / "d.docx")
    rel = upload(client, "mot-ket-luan.docx", (tmp_path / "d.docx").read_bytes()).headers["Location"].split("/edit/")[1]
    html, _ = editor(client, rel)
    assert "<li>Lưu ý: không thấy mục nào được đánh số.</li>" in html
    again, _ = editor(client, rel)
    assert 'id="import-report"' not in again          # said once; the notes beside the fields stay
