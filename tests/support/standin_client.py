"""StandInClient: the stand-in's verbs over HTTP (its /_standin/ control API,
standin/control.py), for a stand-in running in another process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

from standin.model import Buttons, JSONDict


class StandInError(RuntimeError):
    """The control API refused a request (unknown user, message, label…)."""


@dataclass(frozen=True)
class RemoteMessage:
    message_id: int
    chat_id: int
    from_bot: bool
    text: str
    html: str
    buttons: Buttons
    edits: list[str]
    deleted: bool

    @classmethod
    def from_json(cls, d: JSONDict) -> RemoteMessage:
        buttons = [[(str(t), str(v)) for t, v in row] for row in d["buttons"]]
        return cls(
            d["message_id"],
            d["chat_id"],
            d["from_bot"],
            d["text"],
            d["html"],
            buttons,
            list(d["edits"]),
            d["deleted"],
        )

    def button_texts(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


class StandInClient:
    """The stand-in's verbs over HTTP, for a stand-in running in another process.

    async with StandInClient(url) as c:
        await c.add_user(1001, "Alice"); await c.send(1001, "/start")
        msg = await c.next_message(1001); await c.press(1001, msg, "English")
    """

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> StandInClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def call(self, route: str, **body: Any) -> Any:
        self._http = self._http or aiohttp.ClientSession()
        async with self._http.post(f"{self.url}/_standin/{route}", json=body) as response:
            data = await response.json()
        if response.status == 408:
            raise TimeoutError(data["error"])
        if response.status != 200:
            raise StandInError(data.get("error", response.status))
        return data

    async def add_user(self, user_id: int, first_name: str, **extra: Any) -> None:
        """extra: last_name, username, language_code."""
        await self.call("users", id=user_id, first_name=first_name, **extra)

    async def add_group(
        self, chat_id: int, title: str, members: list[int], supergroup: bool = False
    ) -> None:
        await self.call("groups", id=chat_id, title=title, members=members, supergroup=supergroup)

    async def send(
        self, user_id: int, text: str, chat_id: int | None = None, reply_to: int | None = None
    ) -> int:
        """A message from the user (in their private chat by default); its message_id."""
        body = await self.call(
            "send", user_id=user_id, text=text, chat_id=chat_id, reply_to=reply_to
        )
        return int(body["message_id"])

    async def edit(self, user_id: int, chat_id: int, message_id: int, text: str) -> None:
        await self.call("edit", user_id=user_id, chat_id=chat_id, message_id=message_id, text=text)

    async def press(
        self,
        user_id: int,
        message: RemoteMessage,
        label: str | int | None = None,
        *,
        data: str | None = None,
    ) -> str:
        """Press a button of `message` by label or flat index, or send explicit data."""
        body = await self.call(
            "press",
            user_id=user_id,
            chat_id=message.chat_id,
            message_id=message.message_id,
            label=label,
            data=data,
        )
        return str(body["query_id"])

    async def block(self, user_id: int, blocked: bool = True) -> None:
        await self.call("block", user_id=user_id, blocked=blocked)

    async def delete_account(self, user_id: int) -> None:
        await self.call("delete_account", user_id=user_id)

    async def upgrade_group(self, chat_id: int) -> int:
        return int((await self.call("upgrade", chat_id=chat_id))["new_chat_id"])

    async def messages(self, chat_id: int) -> list[RemoteMessage]:
        return [RemoteMessage.from_json(m) for m in await self.call("messages", chat_id=chat_id)]

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> RemoteMessage:
        data = await self.call("next_message", chat_id=chat_id, timeout=timeout)
        return RemoteMessage.from_json(data)

    async def calls(self, method: str = "") -> list[JSONDict]:
        """Requests the bot made: {"method", "status", "params"} (uploads left out)."""
        result: list[JSONDict] = await self.call("calls", method=method)
        return result

    async def answers(self) -> list[JSONDict]:
        result: list[JSONDict] = await self.call("answers")
        return result

    async def state(self) -> JSONDict:
        result: JSONDict = await self.call("state")
        return result

    async def fault(self, kind: str, **options: Any) -> JSONDict:
        """kind: flood (chat_id, retry_after, times), fail_next (method, status, times, after,
        retry_after), delay (method, seconds), hold / release (method[, after]), realistic (on),
        clear."""
        result: JSONDict = await self.call("faults", kind=kind, **options)
        return result

    async def flood(self, chat_id: int | None, retry_after: int = 2, times: int = 1) -> None:
        await self.fault("flood", chat_id=chat_id, retry_after=retry_after, times=times)

    async def advance_clock(self, seconds: float) -> None:
        await self.call("clock", seconds=seconds)

    async def forget_files(self, *file_ids: str) -> list[str]:
        """Make the stand-in forget files as Telegram does after its retention (all if none
        named): getFile then answers "invalid file_id", sending by file_id fails."""
        result: JSONDict = await self.call("forget_file", file_ids=list(file_ids))
        return [str(f) for f in result["forgotten"]]

    async def wait_until_quiet(self, seconds: float = 0.3, timeout: float = 10.0) -> None:
        """The bot fetched every update and made no request for `seconds`."""
        loop = asyncio.get_running_loop()
        deadline, last = loop.time() + timeout, -1
        while True:
            state = await self.state()
            if state["delivered_all"] and state["requests"] == last:
                return
            if loop.time() > deadline:
                raise TimeoutError("the bot did not become quiet")
            last = state["requests"]
            await asyncio.sleep(seconds)
