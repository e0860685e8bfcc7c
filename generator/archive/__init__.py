"""Issuing: the numbered, append-only archive of what was sent, and the outgoing register.

issue.py (the steps of an issue), files.py (which files a version holds),
register.py (SQLite), store.py (folders, staging, crash clean-up),
numbering.py (series and the number line), verify.py, history.py (history
and diff), export.py (the register as .xlsx / .csv).
"""
