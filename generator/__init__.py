"""thongbao: meeting conclusions to official Vietnamese notices (.docx)."""

__version__ = "0.1.0"
