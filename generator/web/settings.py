"""What the web workspace works on: the same folders and settings as the CLI."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
USERS_FILE = "thongbao-users.json"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024   # a Word draft with pictures fits; 50 MB does not


@dataclass
class Settings:
    notices: Path = Path("notices")
    archive: Path | None = None          # None: thongbao.ini's setting, else archive/ (as the CLI)
    config: Path | None = None           # thongbao.ini; None: the nearest one
    units: Path | None = None            # None: notices/units.yaml or the nearest above
    host: str = "127.0.0.1"
    port: int = 8000
    users_file: Path | None = None       # None: thongbao-users.json beside the settings file, else here
    work_dir: Path | None = None         # previews, PDFs made on demand (never inside the archive)
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    secure_cookies: bool = False         # the Secure flag: only when served over HTTPS
    max_upload: int = MAX_UPLOAD_BYTES
    jobs: int = 2                        # background workers (preview, issue, PDF)
    today: object = None                 # a fixed day for tests (datetime.date); None: today
    warm_pdf: bool = True                # keep one LibreOffice running for the previews (pdf.Warm)

    @property
    def local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def users_path(self) -> Path:
        if self.users_file:
            return Path(self.users_file)
        from ..config import find_config

        cfg = Path(self.config) if self.config else find_config(Path.cwd())
        return (cfg.parent if cfg else Path(".")) / USERS_FILE
