"""A progress bar on stderr for the commands that encode a FAQ."""

from __future__ import annotations

import sys

WIDTH = 30


def progress_bar(done: int, total: int) -> None:
    filled = round(WIDTH * done / total) if total else WIDTH
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
