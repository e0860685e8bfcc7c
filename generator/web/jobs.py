"""Long work (preview, issue, PDF) in background threads; pages poll its progress.

A job runs a function with a ``progress(fraction, text)`` callback; the
server's request threads stay free. Results and errors stay with the job for
the page to read; a failed job keeps a short Vietnamese message (the
traceback goes to the log only).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import ThongbaoError

log = logging.getLogger("thongbao.web")
KEEP_S = 3600


@dataclass
class Job:
    id: str
    kind: str
    owner: str
    state: str = "chờ"          # chờ, đang chạy, xong, lỗi
    fraction: float = 0.0
    text: str = "Đang chờ đến lượt..."
    result: object = None
    error: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def public(self) -> dict:
        return {"id": self.id, "kind": self.kind, "state": self.state, "fraction": round(self.fraction, 3),
                "text": self.text, "error": self.error, "done": self.state in ("xong", "lỗi"),
                "seconds": round((self.finished or time.monotonic()) - self.started, 2)}


class Jobs:
    def __init__(self, workers: int = 2):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thongbao-job")
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start(self, kind: str, owner: str, fn: Callable[[Callable[[float, str], None]], object],
              describe_error: Callable[[BaseException], str] | None = None) -> Job:
        job = Job(secrets.token_urlsafe(12), kind, owner)
        with self.lock:
            self._forget_old()
            self.jobs[job.id] = job

        def progress(fraction: float, text: str) -> None:
            job.fraction, job.text = max(0.0, min(1.0, fraction)), text

        def run() -> None:
            job.state, job.text = "đang chạy", "Đang xử lý..."
            try:
                job.result = fn(progress)
                job.state, job.fraction, job.text = "xong", 1.0, "Xong."
            except ThongbaoError as exc:
                job.error = describe_error(exc) if describe_error else str(exc.message)
                job.state = "lỗi"
            except Exception as exc:  # any other failure: logged with its traceback, the page gets one line
                log.exception("job %s (%s) failed", job.id, kind)
                job.error = describe_error(exc) if describe_error else "Có lỗi ngoài dự kiến; chi tiết đã ghi vào nhật ký máy chủ."
                job.state = "lỗi"
            finally:
                job.finished = time.monotonic()

        self.pool.submit(run)
        return job

    def get(self, job_id: str, owner: str) -> Job | None:
        job = self.jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [k for k, j in self.jobs.items() if j.finished and now - j.finished > KEEP_S]:
            del self.jobs[key]

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
