"""The inspection package through the chat (R7): above the limit for one document it comes in
numbered parts, and the chat says so before the first."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from handlers import ledger_package
from standin.ledger_year import OU
from tests.support.bot import Harness
from tests.support.ledger import year_world
from tests.support.world import tap


async def test_a_package_over_the_limit_comes_in_numbered_parts(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    s, h = harness.standin, harness
    users = await year_world(h)
    # A limit below every file: each of the spreadsheet and the two documents is a part.
    monkeypatch.setattr(ledger_package, "MAX_PART", 1)
    ou = users[OU.id]
    await ou.send("/ledger")
    q = await s.next_message(OU.id)
    await tap(s, ou, q, "Last year")
    assert await tap(s, ou, q, "Inspection package (.zip)") == (
        "Preparing the inspection package…",
        False,
    )
    status = await s.next_message(OU.id)
    said = await s.next_message(OU.id)
    assert said.text == (
        "The package is larger than a bot may send as one file (50 MB), so it comes in 3 parts. "
        "Unzip them all into one folder: the links in the spreadsheet then open the evidence "
        "files."
    )
    parts = [await s.next_message(OU.id) for _ in range(3)]
    await s.quiet()
    assert status.text == "The inspection package is ready."
    assert s.unread(OU.id) == []
    names, inside = [], []
    for n, part in enumerate(parts, start=1):
        assert part.document is not None
        assert part.caption == f"Part {n} of 3.\nLedger: 2026. 5 incidents, 6 events, 17 lapses."
        names.append(s.file_names[part.document["file_id"]])
        inside += zipfile.ZipFile(BytesIO(s.files[part.document["file_id"]])).namelist()
    assert names == [f"ledger-2026-part-{n}-of-3.zip" for n in (1, 2, 3)]
    assert inside == ["ledger-2026.xlsx", "implementation-report-2026.docx", "ledger-2026.docx"]
