"""Benchmark the web workspace (``thongbao serve``) over real HTTP on 127.0.0.1.

Starts the app in a threaded server on a copy of notices/, then measures, as
the median of N requests (default 20): each main page's load (the HTML, as
a browser's first request), a validation as the editor sends it while the
clerk types, a save of the example notice (a changed field, so the file is
written), an upload of 103-TB/BCĐ as a Word .docx (read by the importer,
filed, redirected to the editor), and the preview (render + check + LibreOffice
PDF + PNG pages; median of a few, as it takes seconds). Between previews the
bench waits ``--pause`` seconds (default 3), as a clerk reads the pages before
the next one (the server keeps its one LibreOffice running meanwhile); ``--pause 0``
measures previews back to back. Run as ``python bench/bench_web.py [--runs N]
[--previews M] [--pause S]``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.web import create_app, shutdown
from generator.web.settings import Settings

SEED = "2023/103-TB-BCD.yaml"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--previews", type=int, default=3)
    ap.add_argument("--pause", type=float, default=3.0)
    args = ap.parse_args()
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # one line per request would bury the figures

    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    shutil.copytree(ROOT / "notices", tmp / "notices", ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
    app = create_app(Settings(notices=tmp / "notices", archive=tmp / "archive", work_dir=tmp / "work"))
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(path: str) -> bytes:
        with opener.open(base + path, timeout=120) as r:
            return r.read()

    def post(path: str, body: dict, token: str) -> dict:
        req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "X-CSRF-Token": token})
        with opener.open(req, timeout=300) as r:
            return json.loads(r.read())

    def timed(fn, n: int, pause: float = 0.0) -> tuple[float, float]:
        fn()  # warm-up
        times = []
        for _ in range(n):
            time.sleep(pause)
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000, max(times) * 1000

    rows = []
    for name, path in [("notices list", "/notices"), ("editor (103-TB/BCĐ)", f"/edit/{SEED}"),
                       ("tasks board", "/tasks"), ("register", "/register"), ("new notice", "/notices/new")]:
        rows.append((f"GET {name}", *timed(lambda p=path: get(p), args.runs)))
    html = get(f"/edit/{SEED}").decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    boot = json.loads(re.search(r'id="editor-data">(.*?)</script>', html, re.DOTALL).group(1))
    data = boot["data"]
    rows.append(("POST /validate (as typing)", *timed(lambda: post("/validate", {"id": SEED, "data": data}, token),
                                                      args.runs)))
    state = {"version": boot["version"], "k": 0}

    def save() -> None:
        state["k"] += 1
        changed = dict(data, place=f"Kon Rẫy {state['k']}")
        state["version"] = post(f"/save/{SEED}", {"data": changed, "version": state["version"]}, token)["version"]

    rows.append(("POST /save (a changed field)", *timed(save, args.runs)))

    from generator import api

    word = api.render_notice(api.load_notice(ROOT / "notices" / SEED).notice)

    def upload() -> None:
        boundary = "thongbao-bench"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"103.docx\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + word + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(base + "/notices/upload", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with opener.open(req, timeout=120) as r:   # follows the redirect: the editor of the new source
            assert "/edit/2023/103-TB-BCD-" in r.geturl(), r.geturl()
            r.read()

    rows.append(("POST /notices/upload (.docx) + editor", *timed(upload, args.runs)))

    def preview() -> None:
        job = post(f"/preview/{SEED}", {}, token)
        while True:
            state_ = json.loads(get(f"/jobs/{job['id']}"))
            if state_["done"]:
                assert state_["state"] == "xong", state_
                return
            time.sleep(0.05)

    if shutil.which("soffice") and shutil.which("pdftoppm"):
        rows.append(("preview (render, check, PDF, PNG)", *timed(preview, args.previews, args.pause)))
    srv.shutdown()
    shutdown(app)          # the LibreOffice kept for previews stops with the server
    print(f"{'what':42} {'median ms':>10} {'max ms':>10}   (N={args.runs}; preview N={args.previews}, "
          f"{args.pause:g} s apart)")
    for what, med, worst in rows:
        print(f"{what:42} {med:10.1f} {worst:10.1f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
