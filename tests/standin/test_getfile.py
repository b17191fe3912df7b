"""getFile and the download as Telegram does them: a file_path per file, the link
/file/bot<token>/<file_path>, the 20 MB limit, and files Telegram no longer has."""

from __future__ import annotations

import aiohttp

from standin.model import SimUser
from tests.support.raw_api import TOKEN, Api
from tests.support.standin_client import StandInClient
from tests.support.standin_reading import ReadingStandIn

MB = 1024 * 1024


async def download(
    http: aiohttp.ClientSession, standin: ReadingStandIn, path: str, token: str = TOKEN
) -> tuple[int, bytes]:
    async with http.get(f"{standin.base_file_url}{token}/{path}") as response:
        return response.status, await response.read()


async def test_get_file_gives_a_path_to_download_the_bytes_from(
    api: Api, standin: ReadingStandIn, http: aiohttp.ClientSession, alice: SimUser
) -> None:
    doc = await alice.send_document("纪要.pdf", b"%PDF-1.4 minutes")
    photo = await alice.send_photo(b"\x89PNG photo")
    assert doc.document is not None and photo.photo is not None
    status, body = await api("getFile", file_id=doc.document["file_id"])
    assert status == 200
    file = body["result"]
    assert file["file_id"] == doc.document["file_id"] and file["file_size"] == 16
    assert file["file_unique_id"] and file["file_path"].startswith("documents/file_")
    assert file["file_path"].endswith(".pdf")
    assert await download(http, standin, file["file_path"]) == (200, b"%PDF-1.4 minutes")
    # The same file keeps its path; a photo is under photos/.
    assert (await api("getFile", file_id=doc.document["file_id"]))[1]["result"] == file
    path = (await api("getFile", file_id=photo.photo[-1]["file_id"]))[1]["result"]["file_path"]
    assert path.startswith("photos/") and path.endswith(".jpg")
    # The link needs the bot's token, and a path getFile gave.
    assert (await download(http, standin, file["file_path"], token="1:wrong"))[0] == 401
    assert (await download(http, standin, "documents/" + doc.document["file_id"]))[0] == 404


async def test_a_bot_may_download_at_most_20_mb(
    api: Api, standin: ReadingStandIn, alice: SimUser
) -> None:
    big = await alice.send_document("video.mp4", b"v" * (20 * MB + 1))
    assert big.document is not None
    status, body = await api("getFile", file_id=big.document["file_id"])
    assert (status, body["description"]) == (400, "Bad Request: file is too big")
    # Sending it on by its file_id still works: only downloading is limited.
    assert (await api("sendDocument", chat_id=1001, document=big.document["file_id"]))[0] == 200
    standin.download_limit = 2000 * MB  # a self-hosted Bot API server
    assert (await api("getFile", file_id=big.document["file_id"]))[0] == 200


async def test_a_forgotten_file_is_gone_as_on_telegram(
    api: Api, standin: ReadingStandIn, http: aiohttp.ClientSession, alice: SimUser
) -> None:
    photo = await alice.send_photo(b"\x89PNG evidence")
    assert photo.photo is not None
    file_id = photo.photo[-1]["file_id"]
    path = (await api("getFile", file_id=file_id))[1]["result"]["file_path"]
    async with StandInClient(standin.url) as client:
        assert await client.forget_files(file_id) == [file_id]
    status, body = await api("getFile", file_id=file_id)
    assert (status, body["description"]) == (400, "Bad Request: invalid file_id")
    assert (await download(http, standin, path))[0] == 404
    status, body = await api("sendPhoto", chat_id=1001, photo=file_id)
    assert (status, body["description"]) == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )
