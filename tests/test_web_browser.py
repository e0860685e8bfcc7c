"""End to end in a real headless Chromium (Debian's chromium + chromedriver, driven by Selenium).

The whole cycle a clerk does in the browser: a new notice from a blank form with
two conclusions and a footnote, the Vietnamese error for 31/02/2024 beside the
date field, fixed; preview; issue; the downloaded .docx is byte for byte what
`thongbao render` makes of the saved source; a task marked received leaves the
overdue list. Screenshots of each main page go to tests/output/web/.
Skipped, with the reason, where there is no browser.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web workspace needs Flask (pip install -e '.[test]')")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")

from click.testing import CliRunner
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from generator.cli import main
from generator.web import create_app, shutdown

from .web_helpers import OUTPUT, settings

CHROMIUM = os.environ.get("THONGBAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = os.environ.get("THONGBAO_CHROMEDRIVER") or shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="no Chromium browser with chromedriver here (Debian: apt install chromium "
                                       "chromium-driver); the end-to-end web tests need one")


@pytest.fixture
def server(tmp_path):
    from werkzeug.serving import make_server

    app = create_app(settings(tmp_path, warm_pdf=True))
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}", tmp_path
    srv.shutdown()
    shutdown(app)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="thongbao-chromium-")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                "--window-size=1300,1000", "--lang=vi"):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"Chromium did not start ({exc.msg.splitlines()[0] if exc.msg else exc})")
    driver.implicitly_wait(0)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def shot(driver, name: str, full: bool = True) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    if full:
        height = driver.execute_script("return Math.min(document.body.scrollHeight, 6000)")
        driver.set_window_size(1300, max(1000, height))
    driver.save_screenshot(str(path))
    driver.set_window_size(1300, 1000)
    return path


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def type_into(driver, selector, text, clear=False):
    el = WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))
    if clear:
        el.clear()
    el.send_keys(text)
    return el


def until_text(driver, element_id, text, seconds=20):
    try:
        WebDriverWait(driver, seconds).until(EC.text_to_be_present_in_element((By.ID, element_id), text))
    except WebDriverException:
        shot(driver, f"failed-{element_id}")
        raise AssertionError(f"#{element_id} shows {css(driver, '#' + element_id).text!r}, expected {text!r}") from None


def click_add(driver, path):
    css(driver, f'[data-path="{path}"] > button.add').click()


def test_a_clerk_does_the_whole_cycle_in_the_browser(server, browser):
    base, tmp = server
    wait = WebDriverWait(browser, 20)

    browser.get(base + "/notices")
    assert css(browser, "h1").text == "Thông báo"
    shot(browser, "1-danh-sach-thong-bao")

    # A new notice from the blank form.
    css(browser, "#new-notice").click()
    shot(browser, "2-thong-bao-moi")
    css(browser, "#new-blank button.primary").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#editor [data-path='subject']")))
    rel = browser.current_url.split("/edit/", 1)[1]

    type_into(browser, "[data-path='superior_body']", "HUYỆN ỦY KON RẪY")
    type_into(browser, "[data-path='issuing_body']", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG")
    type_into(browser, "[data-path='body_code']", "BCĐ")
    type_into(browser, "[data-path='place']", "Kon Rẫy")
    type_into(browser, "[data-path='subject']", "kết luận Hội nghị giao ban tháng 02/2024")
    click_add(browser, "opening")
    type_into(browser, "[data-path='opening[0]']", "Ngày 12/02/2024, Ban Chỉ đạo họp và kết luận như sau:")

    # Two conclusions, a footnote.
    click_add(browser, "conclusions")
    click_add(browser, "conclusions")
    for k, (unit, task) in enumerate([
        ("UBND huyện", "Rà soát, báo cáo kết quả thực hiện[^1] **trước ngày 29/02/2024**."),
        ("Ban Dân vận Huyện ủy", "Chủ trì tuyên truyền, vận động Nhân dân **trong tháng 4/2024**."),
    ]):
        click_add(browser, f"conclusions[{k}].to")
        type_into(browser, f"[data-path='conclusions[{k}].to[0]']", unit)
        click_add(browser, f"conclusions[{k}].tasks")
        type_into(browser, f"[data-path='conclusions[{k}].tasks[0]']", task)
    click_add(browser, "footnotes")
    type_into(browser, "[data-path='footnotes.1']", "Theo Kế hoạch số 26-KH/HU, ngày 22/4/2021.")
    css(browser, "#sec-recipients button").click()        # proposed from the units + "Lưu VT"
    type_into(browser, "[data-path='signature.authority']", "K/T TRƯỞNG BAN")
    type_into(browser, "[data-path='signature.title']", "PHÓ TRƯỞNG BAN")
    type_into(browser, "[data-path='signature.name']", "Nguyễn Văn An")

    # The impossible date: the Vietnamese message beside the date field.
    type_into(browser, "[data-path='date']", "31/02/2024", clear=True)
    message = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".msg.error[data-msg-for='date']")))
    assert message.text.lstrip("⚠ ") == "gặp '31/02/2024', cần một ngày có thật, dạng ngày/tháng/năm (14/7/2023) hoặc YYYY-MM-DD."
    date_input = css(browser, "[data-path='date']")
    assert date_input.get_attribute("aria-invalid") == "true"
    assert browser.execute_script("return arguments[0].nextElementSibling === arguments[1]", date_input, message)
    browser.execute_script("window.scrollTo(0, 0)")
    shot(browser, "3-soan-thao-loi-ngay", full=False)

    # Fixed: the message goes, the notice is valid, the deadline read shows beside the task.
    type_into(browser, "[data-path='date']", "14/02/2024", clear=True)
    wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, ".msg.error[data-msg-for='date']")))
    until_text(browser, "summary", "Hợp lệ: 2 kết luận, 2 nhiệm vụ.")
    read = css(browser, "[data-deadline-for='conclusions[1].tasks[0]']").text
    assert read == "Thời hạn đọc được: tháng 4/2024 (đến hết 30/04/2024)"
    css(browser, "#save").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "Đã lưu"))
    saved = tmp / "notices" / rel
    assert "Ban Dân vận Huyện ủy" in saved.read_text(encoding="utf-8")
    shot(browser, "4-soan-thao")

    # Preview (LibreOffice): the pages as images and the layout check.
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        css(browser, "#preview-btn").click()
        WebDriverWait(browser, 300).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#preview-pages img")))
        assert "Kiểm tra thể thức: đạt." in css(browser, "#preview-findings").text
        browser.execute_script("document.getElementById('preview-panel').scrollIntoView()")
        shot(browser, "5-xem-truoc", full=False)

    # Issue: the number is given and written into the source.
    css(browser, "#to-issue").click()
    wait.until(EC.element_to_be_clickable((By.ID, "issue-button"))).click()
    to_document = WebDriverWait(browser, 120).until(EC.element_to_be_clickable((By.ID, "to-document")))
    assert "Đã ban hành 01-TB/BCĐ, phiên bản 1." in css(browser, "#issue-result").text
    shot(browser, "6-ban-hanh", full=False)
    to_document.click()
    link = wait.until(EC.presence_of_element_located((By.ID, "download-docx-1"))).get_attribute("href")
    shot(browser, "7-van-ban-da-ban-hanh")
    downloaded = urllib.request.urlopen(link, timeout=60).read()
    assert "number: 1\n" in saved.read_text(encoding="utf-8")
    rendered = tmp / "render.docx"
    result = CliRunner().invoke(main, ["render", str(saved), "-o", str(rendered)])
    assert result.exit_code == 0, result.output
    assert downloaded == rendered.read_bytes()

    # The register shows it.
    browser.get(base + "/register?year=2024")
    assert "01-TB/BCĐ" in css(browser, "#register").text
    shot(browser, "8-so-van-ban-di")

    # Tasks: the overdue task of UBND huyện, marked received, leaves the overdue list.
    browser.get(base + "/tasks?unit=ubnd-huyen&view=overdue")
    row = css(browser, "tr[data-ref='01-TB/BCĐ 1.1']")
    assert "overdue" in row.get_attribute("class")
    shot(browser, "9-theo-doi-nhiem-vu", full=False)
    row.find_element(By.NAME, "note").send_keys("Báo cáo số 15/BC-UBND")
    row.find_element(By.CSS_SELECTOR, "button").click()
    # The URL already says view=overdue before the POST: wait for the page to be replaced.
    wait.until(EC.staleness_of(row))
    wait.until(lambda b: "view=overdue" in b.current_url
               and not b.find_elements(By.CSS_SELECTOR, "tr[data-ref='01-TB/BCĐ 1.1']"))
    browser.get(base + "/tasks?unit=ubnd-huyen&view=received")
    assert "Báo cáo số 15/BC-UBND" in css(browser, "tr[data-ref='01-TB/BCĐ 1.1']").text
    browser.get(base + "/verify")
    assert "Kho lưu trữ nguyên vẹn" in css(browser, "#verify-result").text


def test_the_editor_form_saves_a_parts_and_sub_items_notice_unchanged(server, browser):
    """Format v2 (parts, sub-items, task mappings, details): the form holds every field, so saving
    it untouched writes the file byte for byte."""
    base, tmp = server
    source = Path(__file__).parent / "data" / "structure" / "12-TB-VP.yaml"
    target = tmp / "notices" / "2024" / "12-TB-VP.yaml"
    shutil.copy(source, target)
    browser.get(base + "/edit/2024/12-TB-VP.yaml")
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-path='parts[1].heading']")))
    assert browser.find_elements(By.CSS_SELECTOR, "[data-path='parts[1].conclusions[1].items[1].text']")
    browser.execute_script("window.TBEditor.save()")
    until_text(browser, "status", "Đã lưu")
    assert target.read_bytes() == source.read_bytes()
    shot(browser, "10-soan-thao-phan-diem")


def test_a_word_draft_uploaded_opens_in_the_editor_with_what_to_check_in_vietnamese(server, browser):
    """New notice from an uploaded Word draft: the importer's doubtful reading shown beside its field, in
    Vietnamese; the clerk fixes it, marks it seen, saves; the saved source renders the notice it came from."""
    from generator import api

    base, tmp = server
    original = api.load_notice(Path(__file__).resolve().parents[1] / "notices" / "2023" / "103-TB-BCD.yaml").notice
    draft = tmp / "Thông báo 103.docx"
    draft.write_bytes(api.render_notice(original))
    browser.get(base + "/notices/new")
    css(browser, "#upload-file").send_keys(str(draft))
    assert css(browser, "#upload-name").text == "Thông báo 103.docx"
    shot(browser, "2-thong-bao-moi-tai-len", full=False)
    css(browser, "#upload-button").click()
    wait = WebDriverWait(browser, 30)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#editor [data-path='subject']")))
    rel = browser.current_url.split("/edit/", 1)[1]
    assert rel == "2023/103-TB-BCD-2.yaml"
    assert css(browser, "#import-report").text.startswith(
        "Đã nhập bản thảo Thông báo 103.docx: 6 kết luận, 15 nhiệm vụ, 2 chú thích; 1 chỗ cần anh/chị kiểm tra")
    assert "Kết luận 2, đơn vị được giao — Cần kiểm tra: đơn vị 'Đảng ủy' không có trong danh mục" \
        in css(browser, "#notes").text
    assert "còn 1 ghi chú của máy (1 chỗ cần kiểm tra)" in css(browser, "#notes").text
    beside = css(browser, "[data-path='conclusions[1].to'] .msg.note")
    assert beside.text.startswith("Cần kiểm tra: đơn vị 'Đảng ủy' không có trong danh mục đơn vị")
    assert "CHECK" not in css(browser, "main").text and "ASSUMED" not in css(browser, "main").text
    shot(browser, "11-nhap-ban-thao-word", full=False)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", beside)
    shot(browser, "11-nhap-ban-thao-ghi-chu-ben-o", full=False)

    # The clerk writes the unit's full name, marks the note seen and saves.
    type_into(browser, "[data-path='conclusions[1].to[0]']", "Đảng ủy các xã, thị trấn", clear=True)
    beside.find_element(By.TAG_NAME, "button").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "notes")))
    until_text(browser, "summary", "Hợp lệ: 6 kết luận, 15 nhiệm vụ.")
    css(browser, "#save").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "Đã lưu"))
    saved = tmp / "notices" / rel
    text = saved.read_text(encoding="utf-8")
    assert "# CHECK (to): đơn vị" not in text and "- Đảng ủy các xã, thị trấn\n" in text
    browser.refresh()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#editor [data-path='subject']")))
    assert not browser.find_elements(By.CSS_SELECTOR, ".msg.note") and not css(browser, "#notes").is_displayed()
    assert api.render_notice(api.load_notice(saved).notice) == api.render_notice(original)
    shot(browser, "12-nhap-ban-thao-da-luu", full=False)
