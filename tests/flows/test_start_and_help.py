"""/start, the language choice, /help and /language, through the real Application."""

from __future__ import annotations

from sqlalchemy import select

from bot.people.models import Person
from tests.support.bot import ADMIN_ID, Harness
from tests.support.standin_reading import ReadingStandIn


async def test_first_contact_asks_language_then_greets_in_it(harness: Harness) -> None:
    s = harness.standin
    alice = s.add_user(1001, "Alice", language_code="zh-hans", username="alice")
    await alice.send("/start")
    ask = await s.next_message(1001)
    assert "欢迎" in ask.text and "Alice" in ask.text
    assert ask.button_texts() == ["中文", "English"]

    await alice.press(ask, "English")
    await s.wait_until(lambda: s.answers, what="the press to be answered")
    assert ask.text.startswith("Welcome, Alice.")
    assert "/help — What you can do here" in ask.text
    assert "/role" not in ask.text  # a member is not offered admin commands
    assert ask.buttons == []
    assert s.answers[-1][1:] == ("Language saved.", False)

    async with harness.deps.db.read() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == 1001))
    assert person is not None and person.locale == "en" and person.started_at is not None

    await alice.send("/start")  # a returning person is not asked again
    again = await s.next_message(1001)
    assert again.text.startswith("Welcome, Alice.") and again.buttons == []


async def test_help_depends_on_the_role(harness: Harness) -> None:
    s = harness.standin
    admin = s.add_user(ADMIN_ID, "Ada", language_code="en")
    member = s.add_user(1002, "Bo", language_code="en")
    for user in (admin, member):
        await user.send("/language")
        await user.press(await s.next_message(user.id), "English")
        await user.send("/help")
    await s.quiet()
    admin_help = s.bot_messages(ADMIN_ID)[-1].text
    member_help = s.bot_messages(1002)[-1].text
    # Administering the bot is no standing under the regulation: the admin is a member too.
    assert "Your roles: member, Administrator" in admin_help and "/role — " in admin_help
    assert "/setup — " in admin_help and "/members — " in admin_help
    assert "Your role: member" in member_help
    assert "/role" not in member_help and "/members" not in member_help


async def test_language_switch_changes_every_later_answer(harness: Harness) -> None:
    s = harness.standin
    bo = s.add_user(1002, "Bo", language_code="en")
    await bo.send("/start")
    await bo.press(await s.next_message(1002), "English")
    await bo.send("/language")
    choose = await s.next_message(1002)
    assert choose.text == "Choose your language."
    await bo.press(choose, "中文")
    await s.wait_until(lambda: choose.edits)
    assert choose.text.startswith("Bo，您好。")
    await bo.send("/nonsense")
    assert (await s.next_message(1002)).text == "无此命令。发送 /help 可查看可用功能。"


async def test_command_menu_is_set_in_both_languages(harness: Harness) -> None:
    commands = harness.standin.commands
    zh = dict(commands[("default", "zh")])
    en = dict(commands[("default", "en")])
    assert zh["help"] == "查看可用功能" and en["help"] == "What you can do here"
    assert dict(commands[("default", "")]) == zh  # people without a language: the default
    assert "role" not in en  # admin-only commands stay out of everyone's menu


async def test_group_commands_that_need_privacy_open_the_private_chat(
    harness: Harness, standin: ReadingStandIn
) -> None:
    bo = standin.add_user(1002, "Bo", language_code="en")
    group = standin.add_group(-5001, "Office group", members=[bo])
    await bo.send("/help", chat=group)
    answer = await standin.next_message(-5001)
    assert answer.text == "Let's continue in our private chat, where this stays between us."
    [[(label, url)]] = answer.buttons
    assert label == "Open private chat"
    assert url == "https://t.me/dutydesk_test_bot?start=help"


async def test_unknown_commands(harness: Harness, standin: ReadingStandIn) -> None:
    bo = standin.add_user(1002, "Bo", language_code="en")
    group = standin.add_group(-5001, "Office group", members=[bo])
    await bo.send("/frobnicate")
    assert (await standin.next_message(1002)).text.startswith("I do not know that command.")
    await bo.send("/frobnicate", chat=group)  # maybe another bot's: not ours to answer
    await bo.send("plain chatter", chat=group)
    await standin.quiet()
    assert standin.bot_messages(-5001) == []
    await bo.send("/frobnicate@dutydesk_test_bot", chat=group)
    assert (await standin.next_message(-5001)).text.startswith("I do not know that command.")


async def test_edited_message_does_not_trigger_again(
    harness: Harness, standin: ReadingStandIn
) -> None:
    bo = standin.add_user(1002, "Bo", language_code="en")
    sent = await bo.send("/help")
    await standin.next_message(1002)
    await bo.edit(sent, "/members")
    await bo.edit(sent, "/help")
    await standin.quiet()
    assert len(standin.bot_messages(1002)) == 1


async def test_stickers_and_text_without_a_conversation(harness: Harness) -> None:
    s = harness.standin
    bo = s.add_user(1002, "Bo", language_code="en")
    await bo.send("hello?")
    assert (await s.next_message(1002)).text.startswith("I did not understand that.")
    await bo.send_photo(b"\x89PNG")
    assert (await s.next_message(1002)).text.startswith("I did not understand that.")
    await bo.send("/cancel")
    assert (await s.next_message(1002)).text == "There is nothing to cancel."


async def test_forged_and_garbage_buttons_are_answered_as_stale(harness: Harness) -> None:
    s = harness.standin
    bo = s.add_user(1002, "Bo", language_code="en")
    await bo.send("/language")
    msg = await s.next_message(1002)
    for data in ["garbage", "1zz:x:1", "1lg:set:fr", "1ro:g:1:adm", "\x00" * 10]:
        await bo.press(msg, callback_data=data)
    await s.quiet()
    texts = [a[1] for a in s.answers]
    assert texts[:2] == ["This button is no longer valid."] * 2
    assert texts[2] == "This language is not available."
    assert texts[3] == "Only an administrator can change roles."
    assert [a[2] for a in s.answers] == [True] * 5, s.calls_of("answerCallbackQuery")


async def test_the_bots_descriptions_are_set_in_both_languages(harness: Harness) -> None:
    """What a person reads in the empty chat before pressing Start, and on the bot's profile."""
    said = harness.standin.descriptions
    assert said[("description", "zh")].startswith("意识形态工作责任制值班助手用于报告突发事件")
    assert said[("description", "en")].startswith("Duty Desk carries out the responsibility")
    assert said[("short_description", "zh")] == (
        "意识形态工作责任制值班助手：突发事件、活动审批、会议及办理时限，全程留痕。"
    )
    assert said[("short_description", "en")].startswith("Incidents, event approvals")
    for field in ("description", "short_description"):  # people without a language: Chinese
        assert said[(field, "")] == said[(field, "zh")]


async def test_the_command_menu_lists_only_what_everybody_may_use(harness: Harness) -> None:
    """Telegram shows one menu to everybody: a member is never offered /members, /policy or
    /meeting there; a role's commands are in that person's /help."""
    import json

    menus = [
        json.loads(str(c.params["commands"]))
        for c in harness.standin.calls
        if c.method == "setmycommands"
    ]
    assert len(menus) == 3  # Chinese, English, everyone else
    for menu in menus:
        names = {c["command"] for c in menu}
        assert {"report", "event", "my", "help", "find", "record", "ledger"} <= names
        assert not names & {"members", "policy", "meeting", "role", "setup", "register"}
