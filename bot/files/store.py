"""The files directory: content-addressed copies, written once and never changed by the bot.

A file's bytes live at <root>/<aa>/<bb>/<sha256>: the name is the content's SHA-256, so the
same bytes sent twice are kept once, and a copy that was altered no longer matches its name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

CHUNK = 1 << 20


def digest(content: bytes) -> str:
    """The SHA-256 of `content`, in hex: the kept copy's name."""
    return hashlib.sha256(content).hexdigest()


def path_for(root: Path, sha256: str) -> Path:
    """Where the copy named `sha256` is kept: <root>/<aa>/<bb>/<sha256>."""
    return root / sha256[:2] / sha256[2:4] / sha256


def put(root: Path, content: bytes) -> str:
    """Keep `content`; returns its SHA-256. An existing copy is never overwritten."""
    sha = digest(content)
    final = path_for(root, sha)
    if final.exists():
        return sha
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).chmod(0o444)  # the bot only reads a kept file from now on
        # link, not rename: it fails when the name exists, so a kept copy is never replaced.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, final)
    finally:
        Path(tmp).unlink()
    return sha


def read(root: Path, sha256: str) -> bytes | None:
    """The kept copy's bytes, or None if there is none."""
    try:
        return path_for(root, sha256).read_bytes()
    except FileNotFoundError:
        return None


def check(root: Path, sha256: str) -> str | None:
    """None when the kept copy is whole; else "missing" or "altered"."""
    path = path_for(root, sha256)
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                h.update(chunk)
    except FileNotFoundError:
        return "missing"
    return None if h.hexdigest() == sha256 else "altered"
