"""The files of the stand-in's world: what people sent (and the bot may download), by file_id,
with the paths getFile gives them (standin.py serves /file/bot<token>/<file_path>)."""

from __future__ import annotations

import itertools
import mimetypes
from pathlib import PurePosixPath

from standin.model import JSONDict


class FileStore:
    """Files by file_id: their bytes, names, kinds and download paths."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.file_names: dict[str, str] = {}
        self.file_kinds: dict[str, str] = {}
        # getFile's file_path -> file_id: the download link /file/bot<token>/<file_path>.
        self.file_paths: dict[str, str] = {}
        # The cloud Bot API lets a bot download at most 20 MB (getFile: "file is too big").
        self.download_limit = 20 * 1024 * 1024
        self._file_ids = itertools.count(1)

    def add_file(self, content: bytes, name: str = "file") -> str:
        file_id = f"BQACAgI-standin-{next(self._file_ids):06d}"
        self.files[file_id] = content
        self.file_names[file_id] = name
        return file_id

    def forget_file(self, file_id: str) -> None:
        """Telegram no longer has the file (a new bot token, its retention): getFile answers
        "invalid file_id", sending it "wrong file identifier", its old link 404."""
        self.files.pop(file_id, None)
        for path in [p for p, f in self.file_paths.items() if f == file_id]:
            del self.file_paths[path]

    def file_path(self, file_id: str) -> str:
        """Where getFile says the file can be downloaded, as Telegram names it."""
        for path, known in self.file_paths.items():
            if known == file_id:
                return path
        if self.file_kinds.get(file_id) == "photo":
            path = f"photos/file_{len(self.file_paths)}.jpg"
        else:
            suffix = PurePosixPath(self.file_names.get(file_id, "")).suffix
            path = f"documents/file_{len(self.file_paths)}{suffix}"
        self.file_paths[path] = file_id
        return path

    def file_json(self, file_id: str) -> JSONDict:
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id[-6:]}",
            "file_size": len(self.files[file_id]),
        }

    def media(self, kind: str, file_id: str) -> JSONDict:
        info = self.file_json(file_id)
        if kind == "photo":
            return {
                "photo": [
                    {**info, "width": 90, "height": 67},
                    {**info, "width": 800, "height": 600},
                ]
            }
        name = self.file_names.get(file_id, "file")
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return {"document": {**info, "file_name": name, "mime_type": mime}}
