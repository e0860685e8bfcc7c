"""The web workspace in-process (Flask's test client): pages, validation, saving, safety, issue, tasks."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

pytest.importorskip("flask", reason="the web workspace needs Flask (pip install -e '.[test]')")
pytest.importorskip("ruamel.yaml", reason="the web workspace needs ruamel.yaml (pip install -e '.[test]')")

from click.testing import CliRunner

from generator import api, i18n
from generator.cli import main
from generator.errors import Problem
from generator.web import create_app, messages, shutdown, sources
from generator.web.accounts import add_user, check_password, load_users

from .web_helpers import TODAY, csrf, editor_boot, settings, wait_job

SEED = "2023/103-TB-BCD.yaml"
STATE = "2024/05-TB-UBND.yaml"


@pytest.fixture
def app(tmp_path):
    app = create_app(settings(tmp_path))
    app.testing = False   # errors go through the app's own handlers, as in use
    yield app
    shutdown(app)


@pytest.fixture
def client(app):
    return app.test_client()


def post_json(client, url, body, token):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers={"X-CSRF-Token": token})


# -- notices list, search, new ------------------------------------------------------------------------------

def test_list_shows_the_notices_in_vietnamese(client):
    html = client.get("/notices").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "103-TB/BCĐ" in html and "05/TB-UBND" in html
    assert "bản nháp" in html                      # nothing issued yet
    assert "Nhiệm vụ quá hạn" in html


def test_search_by_number_or_subject_without_diacritics(client):
    html = client.get("/notices?q=phong chong thien tai").get_data(as_text=True)
    assert "05/TB-UBND" in html and "103-TB/BCĐ" not in html
    assert "Không có thông báo nào khớp" in client.get("/notices?q=khongcođau").get_data(as_text=True)


def test_new_blank_notice_is_a_file_under_notices_and_opens_in_the_editor(client, app, tmp_path):
    token = csrf(client)
    resp = client.post("/notices/new", data={"csrf_token": token, "style": "state", "preset": ""})
    assert resp.status_code == 302
    rel = resp.headers["Location"].split("/edit/", 1)[1]
    path = tmp_path / "notices" / rel
    assert path.is_file() and rel.startswith(f"{TODAY.year}/du-thao-")
    text = path.read_text(encoding="utf-8")
    assert "style: state" in text and "date: 2024-03-20" in text
    boot = editor_boot(client, rel)
    assert boot["data"]["style"] == "state"
    assert not boot["check"]["ok"]
    places = {p["path"] for p in boot["check"]["problems"]}
    assert {"subject", "signature"} <= places


def test_copy_drops_the_number_and_takes_today(client, tmp_path):
    token = csrf(client)
    resp = client.post("/notices/copy", data={"csrf_token": token, "source": SEED})
    rel = resp.headers["Location"].split("/edit/", 1)[1]
    text = (tmp_path / "notices" / rel).read_text(encoding="utf-8")
    assert "number:" not in text and "date: 2024-03-20" in text
    assert "# ASSUMED" in text                      # the comments came along


# -- the editor: validation as you type ---------------------------------------------------------------------

def test_validate_puts_the_vietnamese_message_on_the_date_field(client):
    token = csrf(client)
    boot = editor_boot(client, SEED)
    data = boot["data"]
    data["date"] = "31/02/2024"
    result = post_json(client, "/validate", {"id": SEED, "data": data}, token).get_json()
    assert not result["ok"]
    (problem,) = result["problems"]
    assert problem["path"] == "date"
    assert problem["place"] == "Ngày ban hành"
    assert problem["message"] == "gặp '31/02/2024', cần một ngày có thật, dạng ngày/tháng/năm (14/7/2023) hoặc YYYY-MM-DD."


def test_validate_locates_task_unit_and_footnote_problems(client):
    token = csrf(client)
    data = editor_boot(client, SEED)["data"]
    data["conclusions"][1]["to"] = ["UBND huyen"]
    data["conclusions"][0]["tasks"][0] = "Tiếp tục **trước ngày 30/02/2024**."
    data["footnotes"]["3"] = "Không ai nhắc đến."
    result = post_json(client, "/validate", {"id": SEED, "data": data}, token).get_json()
    by_path = {p["path"]: p["message"] for p in result["problems"]}
    assert by_path["conclusions[0].tasks[0]"] == "gặp '30/02/2024', cần một ngày có thật (ngày/tháng/năm)."
    assert by_path["footnotes.3"].startswith("gặp chú thích '3' không được nội dung nào tham chiếu")
    # the unit is checked against the directory once the rest is valid
    data["conclusions"][0]["tasks"][0] = "Tiếp tục."
    del data["footnotes"]["3"]
    result = post_json(client, "/validate", {"id": SEED, "data": data}, token).get_json()
    (problem,) = result["problems"]
    assert problem["path"] == "conclusions[1].to"
    assert problem["message"].startswith("gặp đơn vị 'UBND huyen' không có trong danh mục, cần một đơn vị hoặc nhóm")
    assert problem["message"].endswith("(gần nhất: 'UBND huyện').")
    # the units directory named as the clerk knows it, not by the server's path
    assert "trong danh mục đơn vị (units.yaml) (gần nhất" in problem["message"]
    assert "/" not in problem["message"]


def test_validate_shows_the_deadline_read_beside_each_task(client):
    token = csrf(client)
    data = editor_boot(client, SEED)["data"]
    result = post_json(client, "/validate", {"id": SEED, "data": data}, token).get_json()
    assert result["ok"] and result["summary"] == "Hợp lệ: 6 kết luận, 15 nhiệm vụ."
    assert result["deadlines"]["conclusions[3].tasks[0]"] == "tháng 8/2023 (đến hết 31/08/2023)"
    assert result["deadlines"]["conclusions[4].text"] == "31/07/2023"


def test_validate_keeps_empty_entries_in_place_so_messages_stay_beside_them(client):
    token = csrf(client)
    data = editor_boot(client, SEED)["data"]
    data["conclusions"][2]["tasks"].insert(0, {"text": "", "deadline": "", "report_to": "", "details": []})
    result = post_json(client, "/validate", {"id": SEED, "data": data}, token).get_json()
    (problem,) = result["problems"]
    assert problem["path"] in ("conclusions[2].tasks[0]", "conclusions[2].tasks[0].text")   # both beside it
    assert problem["message"] == "chưa điền."


# -- saving -----------------------------------------------------------------------------------------------------

def test_saving_unchanged_data_leaves_the_file_byte_for_byte(client, tmp_path):
    path = tmp_path / "notices" / SEED
    before = path.read_bytes()
    token = csrf(client)
    boot = editor_boot(client, SEED)
    result = post_json(client, f"/save/{SEED}", {"data": boot["data"], "version": boot["version"]}, token).get_json()
    assert result["saved"] and result["version"] == boot["version"]
    assert path.read_bytes() == before


def test_saving_a_change_keeps_comments_order_and_untouched_fields(client, tmp_path):
    path = tmp_path / "notices" / SEED
    before = path.read_text(encoding="utf-8").splitlines()
    token = csrf(client)
    boot = editor_boot(client, SEED)
    data = boot["data"]
    data["place"] = "Đăk Kôi"
    data["subject"] = "kết luận: Hội nghị giao ban quý II/2023"     # ': ' is quoted for the clerk
    result = post_json(client, f"/save/{SEED}", {"data": data, "version": boot["version"]}, token).get_json()
    assert result["saved"] and result["ok"]
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert ("place: Kon Rẫy                           # ASSUMED",
            "place: Đăk Kôi                           # ASSUMED") in changed
    assert "  kết luận: Hội nghị giao ban quý II/2023" in after          # still a folded block, as written
    assert after[:13] == before[:13]                                  # the header comments
    assert after[-8:] == before[-8:]                                  # recipients and signature untouched
    notice = api.load_notice(path).notice
    assert (notice.place, notice.subject) == ("Đăk Kôi", "kết luận: Hội nghị giao ban quý II/2023")


def test_a_second_clerk_saving_an_older_version_is_refused(client, tmp_path):
    token = csrf(client)
    boot = editor_boot(client, SEED)
    first = dict(boot["data"], place="Đăk Kôi")
    second = dict(boot["data"], place="Đăk Ruồng")
    assert post_json(client, f"/save/{SEED}", {"data": first, "version": boot["version"]}, token).status_code == 200
    resp = post_json(client, f"/save/{SEED}", {"data": second, "version": boot["version"]}, token)
    assert resp.status_code == 409
    assert "vừa được người khác lưu" in resp.get_json()["error"]
    assert "Đăk Kôi" in (tmp_path / "notices" / SEED).read_text(encoding="utf-8")


def test_sources_merge_adds_new_fields_in_the_format_order():
    out = sources.merged_bytes("# giữ\nstyle: party\nsubject: x\n".encode(), {
        "style": "party", "subject": "x", "date": "14/7/2023", "number": "12", "place": "Kon Rẫy",
        "signature": {"name": "A", "title": ["B"]}}).decode()
    assert out == ("# giữ\nstyle: party\nnumber: 12\nplace: Kon Rẫy\ndate: 2023-07-14\nsubject: x\n"
                   "signature:\n  title: B\n  name: A\n")


# -- safety -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/notices/new", f"/save/{SEED}", "/validate", "/tasks/received", f"/issue/{SEED}"])
def test_a_post_without_the_csrf_token_is_refused(client, url, tmp_path):
    before = (tmp_path / "notices" / SEED).read_bytes()
    resp = client.post(url, data={"style": "party"})
    assert resp.status_code == 403
    assert "thiếu mã bảo vệ biểu mẫu (CSRF)" in resp.get_data(as_text=True)
    assert (tmp_path / "notices" / SEED).read_bytes() == before
    assert not list((tmp_path / "notices").glob("*/du-thao-*"))


def test_an_exe_upload_is_refused_with_a_message(client, tmp_path):
    token = csrf(client)
    before = sorted((tmp_path / "notices").rglob("*"))
    resp = client.post("/notices/upload", data={"csrf_token": token, "file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe")},
                       content_type="multipart/form-data")
    assert resp.status_code == 415
    assert "không được nhận" in resp.get_data(as_text=True)
    assert sorted((tmp_path / "notices").rglob("*")) == before


def test_a_50_mb_upload_is_refused_with_a_message(client):
    token = csrf(client)
    big = io.BytesIO(b"a" * (50 * 1024 * 1024))
    resp = client.post("/notices/upload", data={"csrf_token": token, "file": (big, "du-thao.docx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "Tệp tải lên quá lớn: chỉ nhận tệp đến 20 MB." in resp.get_data(as_text=True)


def test_an_uploaded_yaml_gets_a_safe_name_inside_the_notices_folder(client, tmp_path):
    token = csrf(client)
    data = (tmp_path / "notices" / SEED).read_bytes()
    resp = client.post("/notices/upload", data={"csrf_token": token, "file": (io.BytesIO(data), "../../Thông báo 1.yaml")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    rel = resp.headers["Location"].split("/edit/", 1)[1]
    assert rel == f"{TODAY.year}/Thong-bao-1.yaml"
    assert (tmp_path / "notices" / rel).read_bytes() == data


@pytest.mark.parametrize("rel", ["../README.md", "..%2F..%2Fetc%2Fpasswd.yaml", "2023/../../x.yaml", "/etc/x.yaml",
                                 "2023/.hidden.yaml", "units", "2023/103-TB-BCD.docx"])
def test_paths_outside_the_notices_folder_are_not_found(client, rel):
    resp = client.get(f"/edit/{rel}", follow_redirects=True)
    assert resp.status_code == 404
    assert "Traceback" not in resp.get_data(as_text=True)


def test_an_unexpected_error_shows_a_short_message_not_a_traceback(app, client, monkeypatch, caplog):
    def boom(*a, **kw):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app.extensions["thongbao"]["workspace"], "list_notices", boom)
    resp = client.get("/notices")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 500
    assert "Có lỗi ngoài dự kiến" in html
    assert "Traceback" not in html and "secret internals" not in html
    assert "secret internals" in caplog.text                        # logged for the administrator


# -- LAN mode: accounts, roles ------------------------------------------------------------------------------------

def test_serve_on_another_address_refuses_to_start_without_accounts(tmp_path):
    settings(tmp_path)
    result = CliRunner().invoke(main, ["serve", "--notices", str(tmp_path / "notices"), "--host", "0.0.0.0",
                                       "--users", str(tmp_path / "users.json")])
    assert result.exit_code == 1
    assert "found no accounts" in result.output and "thongbao users add NAME" in result.output
    assert "Traceback" not in result.output


def test_users_add_stores_a_scrypt_hash_never_the_password(tmp_path):
    users = tmp_path / "users.json"
    result = CliRunner().invoke(main, ["users", "add", "lan", "--role", "issue", "--users", str(users)],
                                input="mat-khau-dai\nmat-khau-dai\n")
    assert result.exit_code == 0, result.output
    text = users.read_text(encoding="utf-8")
    assert "mat-khau-dai" not in text
    user = load_users(users)["lan"]
    assert user.role == "issue" and user.password_hash.startswith("scrypt$")
    assert check_password("mat-khau-dai", user.password_hash)
    assert not check_password("mat-khau-sai", user.password_hash)


def test_users_add_asks_for_the_password_in_vietnamese(tmp_path):
    result = CliRunner().invoke(main, ["users", "add", "lan", "--users", str(tmp_path / "u.json")],
                                input="mat-khau-dai\nmat-khau-dai\n", env={"THONGBAO_LANG": "vi"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Mật khẩu: \nNhập lại để xác nhận: ") and "Password" not in result.output


@pytest.fixture
def lan(tmp_path):
    s = settings(tmp_path, host="0.0.0.0")
    add_user(s.users_file, "lan", "mat-khau-dai", "issue")
    add_user(s.users_file, "minh", "mat-khau-dai", "draft")
    app = create_app(s)
    yield app
    shutdown(app)


def login(client, name):
    token = csrf(client, "/login")
    return client.post("/login", data={"csrf_token": token, "name": name, "password": "mat-khau-dai"})


def test_lan_mode_asks_for_a_login(lan):
    client = lan.test_client()
    resp = client.get("/notices")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    token = csrf(client, "/login")
    bad = client.post("/login", data={"csrf_token": token, "name": "lan", "password": "sai-mat-khau"})
    assert bad.status_code == 401 and "không đúng" in bad.get_data(as_text=True)
    assert login(client, "lan").status_code == 302
    assert client.get("/notices").status_code == 200
    cookie = next(c for c in client._cookies.values() if c.key == "thongbao_session")
    assert cookie.http_only and cookie.same_site == "Strict"


def test_a_drafting_account_may_edit_but_not_issue(lan, tmp_path):
    client = lan.test_client()
    login(client, "minh")
    assert "chỉ được soạn thảo" in client.get(f"/issue/{SEED}").get_data(as_text=True)
    token = csrf(client)
    resp = client.post(f"/issue/{SEED}", data={"csrf_token": token})
    assert resp.status_code == 403
    assert not (tmp_path / "archive").exists()


# -- issue, downloads, register, history --------------------------------------------------------------------------

def issue(client, rel, reason=""):
    token = csrf(client, f"/issue/{rel}")
    job = client.post(f"/issue/{rel}", data={"csrf_token": token, "reason": reason}).get_json()
    return wait_job(client, job)


def test_issue_files_the_notice_and_the_download_is_the_render_of_the_source(client, tmp_path):
    done = issue(client, SEED)
    assert done["state"] == "xong", done
    assert done["symbol"] == "103-TB/BCĐ" and done["version"] == 1
    page = client.get(done["document"]).get_data(as_text=True)
    assert "Phiên bản 1" in page and "Tải .docx" in page
    docx = client.get(done["document"] + "/v1/docx")
    assert docx.status_code == 200
    expected = api.render_notice(api.load_notice(tmp_path / "notices" / SEED).notice)
    assert docx.data == expected
    zipped = zipfile.ZipFile(io.BytesIO(client.get(done["document"] + "/v1/extracts.zip").data))
    assert len(zipped.namelist()) > 5 and all(n.endswith(".docx") for n in zipped.namelist())
    listing = client.get("/notices").get_data(as_text=True)
    assert "đã ban hành" in listing
    register = client.get("/register?year=2023").get_data(as_text=True)
    assert "103-TB/BCĐ" in register and "Thông báo kết luận Hội nghị giao ban" in register
    xlsx = client.get("/register/export.xlsx?year=2023")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    from openpyxl import load_workbook

    cells = [str(c.value) for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows() for c in row]
    assert any(c.startswith("Mã kiểm tra sổ (thongbao verify --head): 1:") for c in cells)  # the chain head
    assert "Kho lưu trữ nguyên vẹn" in client.get("/verify").get_data(as_text=True)


def test_issuing_an_unnumbered_notice_writes_the_number_into_its_source(client, tmp_path):
    path = tmp_path / "notices" / SEED
    path.write_text(path.read_text(encoding="utf-8").replace("number: 103\n", ""), encoding="utf-8")
    done = issue(client, SEED)
    assert done["state"] == "xong" and done.get("number_written")
    assert "number: 1\n" in path.read_text(encoding="utf-8")
    filed = client.get(done["document"] + "/v1/docx").data
    assert filed == api.render_notice(api.load_notice(path).notice)


def test_a_changed_issued_notice_asks_for_the_reason_then_files_a_correction(client, tmp_path):
    assert issue(client, STATE)["version"] == 1
    path = tmp_path / "notices" / STATE
    path.write_text(path.read_text(encoding="utf-8").replace("29/02/2024", "01/3/2024"), encoding="utf-8")
    refused = issue(client, STATE)
    assert refused["state"] == "lỗi"
    assert "hãy ghi lý do đính chính" in refused["error"]
    assert "Lý do đính chính" in client.get(f"/issue/{STATE}").get_data(as_text=True)
    done = issue(client, STATE, reason="Sửa thời hạn mục 1")
    assert done["version"] == 2
    page = client.get(done["document"]).get_data(as_text=True)
    assert "Đính chính: Sửa thời hạn mục 1" in page
    diff = client.get(done["document"] + "/diff").get_data(as_text=True)
    assert "01/3/2024" in diff and "29/02/2024" in diff
    shown = re.search(r'<pre class="diff" id="diff">(.*?)</pre>', diff, re.DOTALL).group(1)
    assert "05/TB-UBND: phiên bản 1 → phiên bản 2" in shown and "lý do: Sửa thời hạn mục 1" in shown
    assert re.search(r"\.docx: 1 đoạn khác", shown) and "thay đổi trong tệp nguồn" in shown
    assert re.search(r'<span class="changed">  đoạn \d+ thay đổi: .*\[-29/02/2024.-\]', shown)
    assert '<span class="same">         - &gt;-</span>' in shown      # a YAML line of context, not a removal
    assert re.search(r'<span class="version">  phiên bản 2: ban hành lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}; lý do', shown)
    assert "bản trích gửi đơn vị: 11 bản thay đổi" in shown
    words = re.sub(r"<[^>]*>", "", shown)                             # what the clerk reads: no English
    assert not re.search(r"\b(version|paragraph|unchanged|changed|extracts|issued|reason)\b", words), words


def test_the_diff_page_colours_each_line_by_the_kind_the_library_gives_not_by_its_words(client, tmp_path):
    # A correction whose own words read like the diff's labels, in English and in Vietnamese: each line is
    # coloured as what the library says it is (a changed paragraph, a line of the source), never by its words.
    assert issue(client, STATE)["version"] == 1
    path = tmp_path / "notices" / STATE
    text = path.read_text(encoding="utf-8")
    assert text.count("29/02/2024") == 1
    path.write_text(text.replace("29/02/2024", "29/02/2024 (paragraph 3 added: + đoạn 3 được thêm: + thêm)"),
                    encoding="utf-8")
    assert issue(client, STATE, reason="+ added: thêm")["version"] == 2
    page = client.get("/documents/1/diff").get_data(as_text=True)
    shown = re.search(r'<pre class="diff" id="diff">(.*?)</pre>', page, re.DOTALL).group(1)
    spans = re.findall(r'<span class="([^"]*)">(.*?)</span>', shown)
    assert {kind for kind, _ in spans} <= {"title", "version", "file", "changed", "removed", "added", "old", "new",
                                           "hunk", "same", "summary"}
    changed = [line for kind, line in spans if kind == "changed"]
    assert len(changed) == 1 and "(paragraph 3 added: + đoạn 3 được thêm: + thêm).+}" in changed[0]
    assert [kind for kind, line in spans if "lý do" in line] == ["version"]
    assert [kind for kind, _ in spans].count("added") == 1 and [kind for kind, _ in spans].count("removed") == 1
    added = next(line for kind, line in spans if kind == "added")
    assert added.startswith("  +") and "(paragraph 3 added" in added        # the source's line that came


# -- the tasks board ------------------------------------------------------------------------------------------------

def test_the_board_groups_by_unit_and_marks_overdue(client):
    html = client.get("/tasks?unit=phong-nong-nghiep&view=overdue").get_data(as_text=True)
    assert "Phòng Nông nghiệp" in html
    assert 'class="overdue" data-ref="05/TB-UBND 1.1"' in html          # due 29/02/2024, today 20/03/2024
    assert "05/TB-UBND 1.2" not in html                                # due in March: not overdue yet


def test_marking_received_takes_the_task_off_the_overdue_list(client, tmp_path):
    token = csrf(client, "/tasks")
    resp = client.post("/tasks/received", data={"csrf_token": token, "notice": "05/TB-UBND", "unit": "phong-nong-nghiep",
                                                 "task": "1.1", "on": "15/03/2024", "note": "Báo cáo số 12/BC-NN",
                                                 "back_view": "overdue"})
    assert resp.status_code == 302 and "view=overdue" in resp.headers["Location"]
    assert "05/TB-UBND 1.1" not in client.get("/tasks?view=overdue").get_data(as_text=True)
    received = client.get("/tasks?view=received").get_data(as_text=True)
    assert "05/TB-UBND 1.1" in received and "Báo cáo số 12/BC-NN" in received
    assert "05/TB-UBND,1,1,phong-nong-nghiep,2024-03-15" in (tmp_path / "notices" / "received.csv").read_text(encoding="utf-8")


def test_a_wrong_received_date_is_refused_in_vietnamese(client):
    token = csrf(client, "/tasks")
    resp = client.post("/tasks/received", data={"csrf_token": token, "notice": "05/TB-UBND", "unit": "phong-nong-nghiep",
                                                 "task": "1.1", "on": "31/02/2024"})
    assert resp.status_code == 400
    assert "không phải là một ngày có thật" in resp.get_data(as_text=True)


def test_the_board_exports_csv_and_xlsx(client):
    csv_data = client.get("/tasks/export.csv?unit=phong-nong-nghiep").data.decode("utf-8-sig")
    assert "phong-nong-nghiep" in csv_data and "ubnd-huyen" not in csv_data
    assert client.get("/tasks/export.xlsx").data.startswith(b"PK")


# -- messages ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "vi", "en"), [
    ("signature.authority", "Chữ ký, thẩm quyền ký", "Signature, signing authority"),
    ("recipients[3]", "Nơi nhận, dòng 4", "Recipients, line 4"),
    ("issuing_body[1]", "Cơ quan ban hành (dòng 2)", "Issuing body (line 2)"),
    ("parts[1].conclusions[0].items[2].tasks[0]", "Phần II, Kết luận 1, điểm c), nhiệm vụ 1",
     "Part II, Conclusion 1, sub-item c), task 1"),
    ("footnotes.3", "Chú thích (3)", "Footnote (3)"),
])
def test_a_finding_is_placed_in_words_from_the_shared_catalog(field, vi, en):
    with i18n.using("vi"):
        assert messages.place(field) == vi
    with i18n.using("en"):
        assert messages.place(field) == en


def test_the_web_shows_the_library_s_own_message_in_vietnamese():
    # The message is the library's, from the catalog the command line uses: no table of its own.
    with i18n.using("vi"):
        problem = Problem("x.yaml", 3, "signature.authority", "'K/T CHỦ TỊCH'",
                          i18n._("'{form}' ({style} style: {forms})").format(
                              form="KT. CHỦ TỊCH", style="state", forms="TM., KT., TL."))
        assert messages.full(problem) == ("Chữ ký, thẩm quyền ký: gặp 'K/T CHỦ TỊCH', "
                                          "cần 'KT. CHỦ TỊCH' (thể thức state: TM., KT., TL.).")
        assert messages.full(Problem("x.yaml", 3, "date", i18n._("nothing (the field is missing)"), "")) == \
            "Ngày ban hành: chưa điền."


def test_the_preview_converter_keeps_one_libreoffice_for_every_preview_and_stops_it_at_close(tmp_path):
    import time

    from generator.web.preview import Converter

    events = []

    class Warm:                       # the library's long-lived converter, as far as the converter uses it
        def __init__(self):
            events.append("made")

        def start(self):
            events.append("start")

        def convert(self, docx, pdf, font=None, fallback=None):
            events.append(f"convert {font}")
            pdf.write_bytes(b"%PDF-1.4")
            return []

        def close(self):
            events.append("close")

    converter = Converter(enabled=False)
    converter.warm_class = Warm
    converter.warm()
    for _ in range(200):
        if "start" in events:
            break
        time.sleep(0.01)
    assert events == ["made", "start"]                       # started before anyone asked
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    converter.convert(docx, tmp_path / "a.pdf", "state")
    converter.convert(docx, tmp_path / "b.pdf", "party")
    assert events == ["made", "start", "convert Times New Roman", "convert Times New Roman"]   # the same one
    assert (tmp_path / "b.pdf").read_bytes() == b"%PDF-1.4"
    converter.close()
    assert events[-1] == "close"
    converter.warm()
    assert events.count("made") == 1                          # nothing started after the close


@pytest.mark.skipif(not (__import__("shutil").which("soffice") and __import__("shutil").which("pdftoppm")),
                    reason="LibreOffice (soffice) and pdftoppm are needed for the preview and the PDF")
def test_preview_pages_and_the_pdf_of_a_filed_version(client, tmp_path):
    token = csrf(client)
    job = client.post(f"/preview/{STATE}", headers={"X-CSRF-Token": token}).get_json()
    done = wait_job(client, job)
    assert done["state"] == "xong", done
    assert done["findings"] == [] and len(done["pages"]) >= 1
    page = client.get(done["pages"][0])
    assert page.status_code == 200 and page.data.startswith(b"\x89PNG")
    assert client.get(done["pages"][0].rsplit("/", 1)[0] + "/..%2F..%2Fetc%2Fpasswd").status_code == 404
    issued = issue(client, STATE)
    job = client.post(issued["document"] + "/v1/pdf", headers={"X-CSRF-Token": token}).get_json()
    pdf = wait_job(client, job)
    assert pdf["state"] == "xong", pdf
    got = client.get(pdf["download"])
    assert got.data.startswith(b"%PDF") and "05-TB-UBND.pdf" in got.headers["Content-Disposition"]
    assert not list((tmp_path / "archive").rglob("*.pdf"))          # made beside, never in the archive


def test_long_work_runs_in_the_background_and_other_requests_go_on(tmp_path):
    """A job that has not finished (a preview, an issue) does not hold the server: pages still load."""
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    app = create_app(settings(tmp_path))
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    release = threading.Event()
    try:
        job = app.extensions["thongbao"]["jobs"].start("preview", "x", lambda progress: release.wait(30))
        with urllib.request.urlopen(f"http://127.0.0.1:{srv.server_port}/notices", timeout=10) as resp:
            assert resp.status == 200 and "Thông báo" in resp.read().decode("utf-8")
        assert job.state == "đang chạy"
    finally:
        release.set()
        srv.shutdown()
        shutdown(app)


def test_the_layout_findings_of_the_preview_are_said_in_vietnamese(tmp_path):
    """What `check` finds in a hand-typed draft, as the preview lists it after "Thể thức:": the checker's own
    Vietnamese from the catalog (the preview job runs in the request's language), no English left."""
    from generator.check import check_file

    from . import import_drafts

    import_drafts.tables_state(tmp_path / "d.docx")
    with i18n.using("vi"):
        shown = [messages.layout_finding(p) for p in check_file(tmp_path / "d.docx").findings]
    assert "Tiêu ngữ: 'Độc lập - Tự do - Hạnh phúc' cỡ 11 pt (cần: 13-14 pt)" in shown
    assert "Khổ giấy: 216 x 279 mm (cần: khổ A4 đứng (210 x 297 mm))" in shown
    assert "Lề phải: 31.8 mm (cần: 15-20 mm)" in shown
    assert any(re.match(r"Nội dung: đoạn văn căn trái \(\d+ chỗ, đầu tiên '", s) for s in shown), shown
    assert any(s.startswith("Nơi nhận: 'Nơi nhận:' không in đậm, không in nghiêng (cần: 'Nơi nhận:' in đậm, in "
                            "nghiêng (thể thức Nhà nước))") for s in shown), shown
    assert any(s.startswith("Họ tên người ký: ") for s in shown)
    for s in shown:
        words = re.sub(r"'[^']*'", "''", s)               # the document's own text aside
        assert not re.search(r"\b(not|the|in \d|aligned|bold|italic|style|state|party|under|left|margins)\b", words), s


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB rows of a PNG of one IDAT with unfiltered rows (what ppm_to_png writes)."""
    import struct
    import zlib

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    at, chunks = 8, {}
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = body
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2) and b"IEND" in chunks
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = [raw[y * (width * 3 + 1):(y + 1) * (width * 3 + 1)] for y in range(height)]
    assert all(r[0] == 0 for r in rows)
    return width, height, b"".join(r[1:] for r in rows)


def test_preview_pages_are_the_pdftoppm_pixels_as_png():
    from generator.errors import ThongbaoError
    from generator.web.preview import ppm_to_png

    pixels = bytes(range(256)) * 3 * 2   # 256 x 2 pixels, every byte value
    ppm = b"P6\n# pdftoppm\n256 2\n255\n" + pixels
    assert _png_pixels(ppm_to_png(ppm)) == (256, 2, pixels)
    with pytest.raises(ThongbaoError, match="truncated"):
        ppm_to_png(ppm[:-1])
    with pytest.raises(ThongbaoError, match="P6"):
        ppm_to_png(b"P5\n256 2\n255\n" + pixels)


def _two_page_pdf(path) -> None:
    """A small A4 PDF of two pages, a black box on the first, a grey one on the second."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>"]
    for paint in (b"0 g 100 600 200 100 re f", b"0.5 g 50 50 300 400 re f"):
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(paint) + 1, paint))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.skipif(not __import__("shutil").which("pdftoppm"), reason="pdftoppm (poppler-utils) is needed")
def test_preview_pages_of_a_pdf_one_png_per_page_with_pdftoppm_pixels(tmp_path):
    import math
    import subprocess

    from generator.web.preview import DPI, pdf_pages

    pdf = tmp_path / "two.pdf"
    _two_page_pdf(pdf)
    pages_dir = tmp_path / "pages"
    pages_dir.mkdir()
    pages = pdf_pages(pdf, pages_dir)
    assert pages == ["trang-1.png", "trang-2.png"] and not list(pages_dir.glob("*.ppm"))
    for n, name in enumerate(pages, 1):
        width, height, pixels = _png_pixels((pages_dir / name).read_bytes())
        assert (width, height) == (math.ceil(595 * DPI / 72), math.ceil(842 * DPI / 72))   # A4
        ref = tmp_path / f"ref{n}"
        subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(n), "-l", str(n), "-singlefile", str(pdf), str(ref)],
                       check=True)
        assert ref.with_suffix(".ppm").read_bytes().endswith(pixels)   # the pixels pdftoppm draws
        assert len(set(pixels)) > 1                                    # a box on white, not a blank page
