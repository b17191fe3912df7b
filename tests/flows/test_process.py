"""`dutydesk run` as a real process against the stand-in: it works, stops cleanly on SIGTERM,
never logs its token, and explains a token Telegram refuses."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from bot.db.migrate import head_from_files
from tests.support.bot import TOKEN
from tests.support.process import finish, spawn
from tests.support.standin_reading import ReadingStandIn


@pytest.mark.slow
async def test_run_serves_stops_gracefully_and_never_logs_the_token(
    tmp_path: Path, standin: ReadingStandIn
) -> None:
    alice = standin.add_user(1001, "Alice", language_code="en")
    proc = await spawn(tmp_path, standin, TOKEN)
    try:
        await standin.wait_until(lambda: standin.calls_of("getUpdates"), 30, "polling")
        await alice.send("/start")
        greeting = await standin.next_message(1001, timeout=10)
        assert greeting.text.startswith("Welcome to Duty Desk, Alice.")
    finally:
        proc.send_signal(signal.SIGTERM)
        code, log = await finish(proc, tmp_path)
    assert code == 0, log
    assert "Application started" in log  # DEBUG/INFO logging really was on
    secret = TOKEN.partition(":")[2]
    assert TOKEN not in log and secret not in log
    assert "<redacted>" in log or "bot" in log


@pytest.mark.slow
async def test_a_token_telegram_refuses_is_explained(
    tmp_path: Path, standin: ReadingStandIn
) -> None:
    proc = await spawn(tmp_path, standin, "123456789:WRONG-token-abcdefghijklmnopqrstuv")
    code, log = await finish(proc, tmp_path)
    assert code == 4
    assert "Telegram rejected DUTYDESK_BOT_TOKEN (401 Unauthorized)" in log
    assert "Traceback" not in log and "WRONG-token" not in log


@pytest.mark.slow
async def test_webhook_mode_when_the_url_is_set(tmp_path: Path, standin: ReadingStandIn) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    alice = standin.add_user(1001, "Alice", language_code="en")
    proc = await spawn(
        tmp_path,
        standin,
        TOKEN,
        DUTYDESK_WEBHOOK_URL=f"http://127.0.0.1:{port}",
        DUTYDESK_WEBHOOK_SECRET="s3cret-webhook",
        DUTYDESK_LISTEN=f"127.0.0.1:{port}",
    )
    try:
        await standin.wait_until(lambda: standin.webhook.get("url"), 30, "setWebhook")
        assert standin.webhook == {
            "url": f"http://127.0.0.1:{port}/telegram",
            "secret": "s3cret-webhook",
        }
        assert standin.calls_of("getUpdates") == []
        await alice.send("/start")
        greeting = await standin.next_message(1001, timeout=10)
        assert greeting.text.startswith("Welcome to Duty Desk, Alice.")
    finally:
        proc.send_signal(signal.SIGTERM)
        code, log = await finish(proc, tmp_path)
    assert code == 0, log
    assert "s3cret-webhook" not in log


@pytest.mark.slow
async def test_a_second_instance_on_the_same_sqlite_file_refuses_to_start(
    tmp_path: Path, standin: ReadingStandIn
) -> None:
    first = await spawn(tmp_path, standin, TOKEN)
    try:
        await standin.wait_until(lambda: standin.calls_of("getUpdates"), 30, "polling")
        second = await spawn(tmp_path, standin, TOKEN)
        code, log = await finish(second, tmp_path)
        assert code == 5
        assert "is already running on this SQLite database" in log
        assert first.returncode is None  # the first one is untouched
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.wait(), 30)
    assert first.returncode == 0


@pytest.mark.slow
async def test_webhook_keeps_each_update_before_telegram_hears_200(
    tmp_path: Path, standin: ReadingStandIn
) -> None:
    """An update Telegram delivered to the webhook (answered 200, so never sent again) while
    another was being handled survives a SIGKILL: handled once after the restart."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy = tmp_path / "open.toml"  # whoever presses Start is a member here (R4)
    policy.write_text('[people]\nadmission = "open"\n')
    env = {
        "DUTYDESK_WEBHOOK_URL": f"http://127.0.0.1:{port}",
        "DUTYDESK_LISTEN": f"127.0.0.1:{port}",
        "DUTYDESK_POLICY_FILE": str(policy),
    }
    alice = standin.add_user(1001, "Alice", language_code="en")
    bob = standin.add_user(1002, "Bob", language_code="en")
    proc = await spawn(tmp_path, standin, TOKEN, **env)
    try:
        await standin.wait_until(lambda: standin.webhook.get("url"), 30, "setWebhook")
        await alice.send("/start")
        assert (await standin.next_message(1001, timeout=10)).text.startswith("Welcome")
        held = standin.faults.hold("sendMessage", text="Your role")
        await alice.send("/help")  # its answer hangs: Bob's /start waits behind it
        await held.reached(timeout=10)
        await bob.send("/start")
        await standin.wait_until(lambda: standin.pending_updates() == 0, 10, "delivered (200)")
    finally:
        proc.kill()
        await proc.wait()
    held.drop()  # the bot died with the answer on its way: Telegram never got it
    standin.faults.clear()
    assert not standin.unread(1002), "Bob was answered before the kill: nothing was tested"

    proc = await spawn(tmp_path, standin, TOKEN, **env)
    try:
        welcome = await standin.next_message(1002, timeout=30)
        assert welcome.text.startswith("Welcome to Duty Desk, Bob.")
        await standin.wait_until(
            lambda: any(m.text.startswith("Your role") for m in standin.unread(1001)), 10, "/help"
        )
        await bob.send("/help")  # handled after the replay, and only once
        assert (await standin.next_message(1002, timeout=10)).text.startswith("Your role")
        assert not standin.unread(1002)
    finally:
        proc.send_signal(signal.SIGTERM)
        code, log = await finish(proc, tmp_path)
    assert code == 0, log


@pytest.mark.slow
async def test_start_up_at_info_is_duty_desks_own_lines(
    tmp_path: Path, standin: ReadingStandIn
) -> None:
    """No Alembic plugin or revision chatter, no PTB banner: what an operator reads is ours."""
    proc = await spawn(tmp_path, standin, TOKEN, DUTYDESK_LOG_LEVEL="INFO")
    try:
        await standin.wait_until(lambda: standin.calls_of("getUpdates"), 30, "polling")
    finally:
        proc.send_signal(signal.SIGTERM)
        code, log = await finish(proc, tmp_path)
    assert code == 0, log
    lines = log.splitlines()
    # Only Duty Desk's own loggers (in December also the holiday calendar's warning).
    assert all(
        line.split(" ", 4)[3].startswith(("bot.", "runtime.", "scheduler.")) for line in lines
    ), log
    assert lines[0].endswith(f"upgrading the database schema to {head_from_files()}")
    assert any(line.endswith("ready: @dutydesk_test_bot answers") for line in lines)
    assert lines[-1].endswith("bot.app: stopped") and len(lines) <= 6, log
