"""The kept files in a backup (bot/db/backup.py): the directory's bytes beside the database rows.

Kept files are content-addressed and never change (bot/files/store.py), so a file already in the
previous backup is hard-linked from there instead of copied: a daily backup copies only the
files that are new since yesterday, yet each backup folder holds every file and stands alone
(pruning one never takes a file from another). Restoring copies back only the files the files
directory lacks; a file present under its name already holds those very bytes.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from bot.files import store

FILES = "files"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def kept(root: Path) -> Iterator[Path]:
    """The kept files under `root`, as paths relative to it (never a half-written one)."""
    if not root.is_dir():
        return
    for path in sorted(root.glob("??/??/*")):
        name = path.name
        if _SHA256.fullmatch(name) and path.relative_to(root) == store.path_for(
            Path(), name
        ):  # not an ".incoming-" temporary, nor anything else put there by hand
            yield path.relative_to(root)


def back_up(root: Path, target: Path, previous: Path | None = None) -> dict[str, int]:
    """Every kept file of `root` into `target`: linked from `previous` when it has it, else
    copied. Returns how many were kept, copied and linked."""
    copied = linked = 0
    for rel in kept(root):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if previous is not None and (previous / rel).is_file():
            try:
                os.link(previous / rel, dest)
                linked += 1
                continue
            except OSError:  # another file system, or links not allowed: copy it then
                pass
        _copy(root / rel, dest)
        copied += 1
    return {"kept_files": copied + linked, "copied_files": copied, "linked_files": linked}


def restore(source: Path, root: Path) -> int:
    """The files of a backup that `root` lacks, put back read-only; returns how many."""
    restored = 0
    for rel in kept(source):
        if (root / rel).exists():
            continue  # the same name is the same bytes
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        _copy(source / rel, root / rel)
        restored += 1
    return restored


def _copy(src: Path, dest: Path) -> None:
    """Under a temporary name, renamed when whole: a copy cut short never looks kept."""
    partial = dest.with_name(".partial-" + dest.name)
    shutil.copyfile(src, partial)
    partial.chmod(0o444)
    partial.rename(dest)
