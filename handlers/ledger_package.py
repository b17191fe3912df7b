"""The inspection package (R7): one .zip with the spreadsheet (content included), the two Word
documents and the evidence files, each file named by its record's reference and linked from
the spreadsheet by a relative path, so that the links open from the unzipped folder.

Pure and synchronous: it runs in a worker thread (handlers/ledger_send.py). A package larger
than Telegram lets a bot send as one document (50 MB) is cut into numbered parts, each a zip of
its own: unzipped into one folder, they make the whole package and every link opens. Entries are
stored, not compressed (photos and Office files are compressed already), so a part's size is
known before it is written and no part passes the limit.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.files import store
from bot.i18n import N_
from bot.ledger.content import Content, FileRef
from bot.ledger.period import token
from bot.ledger.service import Ledger
from render.renderer import Renderer

Progress = Callable[[float], None]
# Telegram's limit for a document a bot sends (50 MB), with room for the request's own framing.
MAX_PART = 50 * 1000 * 1000 - 64 * 1024
END = 22 + 98  # the zip's end records (zip64 included)
NAMES = {
    "package": N_("ledger-{period}"),
    "report": N_("implementation-report-{period}"),
    "part": N_("{name}-part-{n}-of-{total}"),
}


@dataclass(frozen=True)
class Entry:
    name: str  # the path inside the package
    data: bytes | None  # the document's bytes; None: the evidence file at `sha256`
    sha256: str | None
    size: int


def file_name(r: Renderer, book: Ledger, which: str) -> str:
    """台账-2026 / ledger-2026, 意识形态工作责任制落实情况报告-2026 / implementation-report-2026."""
    return r.plain(NAMES[which], period=token(book.period))


def _overhead(name: str) -> int:
    """A stored entry's local and central headers (with zip64 extras), beside its bytes."""
    return 30 + 46 + 2 * len(name.encode("utf-8")) + 2 * 32


def present(content: Content, root: Path, limit: int = MAX_PART) -> Content:
    """The content with each file the office no longer holds whole (missing, altered) marked
    as not kept, and each one too large for a part of its own (a self-hosted Bot API server
    lets a bot keep files past 50 MB) as such: the package links only what it carries, each
    copy matching its SHA-256."""
    checked: dict[str, bool] = {}

    def whole(f: FileRef) -> FileRef:
        if f.sha256 is None:
            return f
        if f.sha256 not in checked:
            checked[f.sha256] = store.check(root, f.sha256) is None
        if not checked[f.sha256]:
            return dataclasses.replace(f, sha256=None)
        size = store.path_for(root, f.sha256).stat().st_size
        return dataclasses.replace(f, too_big=END + size + _overhead(f.path) > limit)

    return dataclasses.replace(
        content,
        incidents={
            k: dataclasses.replace(v, files=[whole(f) for f in v.files])
            for k, v in content.incidents.items()
        },
        events={
            k: dataclasses.replace(v, files=[whole(f) for f in v.files])
            for k, v in content.events.items()
        },
        meetings={
            k: dataclasses.replace(v, files=[whole(f) for f in v.files])
            for k, v in content.meetings.items()
        },
    )


def _documents(book: Ledger, r: Renderer, progress: Progress) -> list[Entry]:
    # The sheet and the documents are made here, in the worker thread: openpyxl and
    # python-docx are imported by the first package, not when the bot starts.
    from render.ledger_export import workbook
    from render.ledger_report import report_docx
    from render.ledger_tables import tables_docx

    sheet = workbook(book, r, lambda p: progress(p * 0.5))
    report = report_docx(book, r)
    progress(0.6)
    tables = tables_docx(book, r)
    progress(0.7)
    name = file_name(r, book, "package")
    return [
        Entry(f"{name}.xlsx", sheet, None, len(sheet)),
        Entry(f"{file_name(r, book, 'report')}.docx", report, None, len(report)),
        Entry(f"{name}.docx", tables, None, len(tables)),
    ]


def _parts(entries: list[Entry], limit: int) -> list[list[Entry]]:
    """Entries in order, a new part whenever the next would take this one past the limit."""
    parts: list[list[Entry]] = [[]]
    size = END
    for entry in entries:
        need = entry.size + _overhead(entry.name)
        if parts[-1] and size + need > limit:
            parts.append([])
            size = END
        parts[-1].append(entry)
        size += need
    return parts


def build(
    book: Ledger,
    r: Renderer,
    files_root: Path,
    out: Path,
    progress: Progress = lambda _f: None,
    limit: int = MAX_PART,
) -> list[Path]:
    """Write the package (or its parts) into `out`; returns the zip files in order."""
    if book.content is not None:
        book = dataclasses.replace(book, content=present(book.content, files_root, limit))
    entries = _documents(book, r, progress)
    seen: set[str] = set()
    for f in book.content.files() if book.content else []:
        if f.packed and f.path not in seen:
            assert f.sha256 is not None
            seen.add(f.path)
            size = store.path_for(files_root, f.sha256).stat().st_size  # checked just above
            entries.append(Entry(f.path, None, f.sha256, size))
    parts = _parts(entries, limit)
    name = file_name(r, book, "package")
    written, done, total = [], 0, max(1, len(entries))
    for n, part in enumerate(parts, start=1):
        stem = name if len(parts) == 1 else r.plain(NAMES["part"], name=name, n=n, total=len(parts))
        path = out / f"{stem}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
            for entry in part:
                if entry.data is not None:
                    z.writestr(entry.name, entry.data)
                else:
                    assert entry.sha256 is not None
                    z.write(store.path_for(files_root, entry.sha256), entry.name)
                done += 1
                progress(0.7 + 0.3 * done / total)
        written.append(path)
    progress(1.0)
    return written
