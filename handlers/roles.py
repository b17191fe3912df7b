"""/role and /members: admins grant and revoke roles from a card of buttons (R4)."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.errors import InvalidInput, NotAllowed, StaleButton
from bot.freetext import limit_of
from bot.i18n import N_
from bot.people import grants
from bot.people import service as people
from bot.people.roles import ROLE_CODES, ROLE_ORDER, ROLES_BY_CODE, Role
from handlers import callback_data as cd
from handlers.common import (
    button,
    command,
    deep_link,
    edit_or_send,
    is_private,
    private_only,
    reply,
    tg_user,
)
from render.renderer import Renderer, esc

FLOW_COMMITTEE = "role_committee"


@command
async def role_command(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/role as a reply to somebody's message, /role @username, or /role alone for help."""
    target_msg = message.reply_to_message
    if (
        target_msg is not None
        and target_msg.from_user is not None
        and not is_private(update.effective_chat)
    ):
        if target_msg.from_user.is_bot:
            raise InvalidInput(N_("Bots cannot hold roles."))
        person = await grants.register_target(
            ctx.deps, tg_user(user), tg_user(target_msg.from_user)
        )
        await reply(
            message,
            r("Open the private chat to set the roles of {name}.", name=person.name),
            [[(r.plain("Open private chat"), deep_link(ctx, f"role_{person.id}"))]],
        )
        return
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    if ctx.args and ctx.args[0].startswith("@"):
        person = await people.find_person(ctx.deps, username=ctx.args[0])
        await show_card(update, ctx, r, person.id)
        return
    await reply(
        message,
        r(
            "To change somebody's roles: reply to one of their messages in the group with "
            "/role, send /role @username here, or pick them from /members."
        ),
    )


async def show_card(update: Update, ctx: Ctx, r: Renderer, person_id: int) -> None:
    card = await grants.role_card(ctx.deps, tg_user(_user(update)), person_id)
    await edit_or_send(update, card_text(r, card), card_rows(r, card))


def _user(update: Update) -> User:
    if update.effective_user is None:
        raise NotAllowed(N_("Only an administrator can change roles."))
    return update.effective_user


def card_text(r: Renderer, card: grants.RoleCard) -> str:
    p = card.person
    lines = [
        f"<b>{esc(p.name)}</b>" + (f" @{esc(p.username)}" if p.username else ""),
        r("Roles: {roles}", roles=r.roles(p.roles, p.committees_headed)),
        r("Committee: {name}", name=p.committee or "—"),
    ]
    if not p.active:
        lines.append(r("Deactivated: holds no role, cannot act and cannot be picked."))
    elif not p.started:
        lines.append(r("Has not started the bot yet: messages wait until they press Start."))
    return "\n".join(lines)


def card_rows(r: Renderer, card: grants.RoleCard) -> list[list[tuple[str, str]]]:
    if not card.can_edit:
        return []
    pid = card.person.id
    if not card.person.active:  # a person who left holds nothing until brought back
        return [[(r.plain("Reactivate"), cd.encode("lv", "a", pid))]]
    rows: list[list[tuple[str, str]]] = []
    for role in ROLE_ORDER:
        if role == Role.COMMITTEE_HEAD:
            continue
        code = ROLE_CODES[role]
        if role in card.person.roles:
            rows.append(
                [(r.plain("Revoke: {role}", role=r.role(role)), cd.encode("ro", "r", pid, code))]
            )
        else:
            rows.append(
                [(r.plain("Grant: {role}", role=r.role(role)), cd.encode("ro", "g", pid, code))]
            )
    chd = ROLE_CODES[Role.COMMITTEE_HEAD]
    for cid, name in card.headed:
        label = r.plain("Revoke: {role}", role=r.role(Role.COMMITTEE_HEAD, name))
        rows.append([(label, cd.encode("ro", "r", pid, chd, cid))])
    rows.append([(r.plain("Make head of a committee…"), cd.encode("ro", "c", pid))])
    rows.append([(r.plain("Member of a committee…"), cd.encode("ro", "m", pid))])
    rows.append([(r.plain("Deactivate…"), cd.encode("lv", "d", pid))])
    return rows


@button
async def on_role_button(
    update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer
) -> str | None:
    """Role card buttons: v(iew), g(rant), r(evoke), c(hoose committee), n(ew committee)."""
    pid = data.int_arg(0)
    if pid is None:
        raise StaleButton()
    if data.action == "v":
        await show_card(update, ctx, r, pid)
        return None
    if data.action == "c":
        card = await grants.role_card(ctx.deps, tg_user(user), pid)
        if not card.can_edit:
            raise NotAllowed(N_("Only an administrator can change roles."))
        rows = [
            [(name, cd.encode("ro", "g", pid, ROLE_CODES[Role.COMMITTEE_HEAD], cid))]
            for cid, name in card.committees
            if (cid, name) not in card.headed
        ]
        rows.append([(r.plain("New committee…"), cd.encode("ro", "n", pid))])
        rows.append([(r.plain("Back"), cd.encode("ro", "v", pid))])
        await edit_or_send(
            update, r("Which committee will {name} head?", name=card.person.name), rows
        )
        return None
    if data.action == "m":
        card = await grants.role_card(ctx.deps, tg_user(user), pid)
        if not card.can_edit:
            raise NotAllowed(N_("Only an administrator can change roles."))
        rows = [[(name, cd.encode("ro", "mc", pid, cid))] for cid, name in card.committees]
        rows.append([(r.plain("No committee"), cd.encode("ro", "mc", pid, 0))])
        rows.append([(r.plain("Back"), cd.encode("ro", "v", pid))])
        await edit_or_send(
            update, r("Which committee is {name} a member of?", name=card.person.name), rows
        )
        return None
    if data.action == "mc":
        changed = await grants.set_committee(
            ctx.deps, tg_user(user), person_id=pid, committee_id=data.int_arg(1) or None
        )
        await show_card(update, ctx, r, pid)
        return r("Committee: {name}", name=changed.committee or "—")
    if data.action == "n":
        card = await grants.role_card(ctx.deps, tg_user(user), pid)
        if not card.can_edit:
            raise NotAllowed(N_("Only an administrator can change roles."))
        me = await people.identify(ctx.deps, tg_user(user), private=True)
        await drafts.save(
            ctx.deps, me.id, drafts.DraftState(FLOW_COMMITTEE, "name", {"person": pid})
        )
        await edit_or_send(
            update,
            r(
                "Send the name of the new committee (at most {max} characters), or /cancel.",
                max=limit_of("committee", ctx.deps.policy),
            ),
            None,
        )
        return None
    if data.action not in ("g", "r") or len(data.args) < 2 or data.args[1] not in ROLES_BY_CODE:
        raise StaleButton()
    role = ROLES_BY_CODE[data.args[1]]
    change = await grants.change_role(
        ctx.deps,
        tg_user(user),
        person_id=pid,
        role=role,
        grant=data.action == "g",
        committee_id=data.int_arg(2),
    )
    await show_card(update, ctx, r, pid)
    return _change_toast(r, change)


def _change_toast(r: Renderer, change: grants.RoleChange) -> str:
    role = r.role(change.role, change.committee)
    text = (
        r("{name} now holds the role {role}.", name=change.target.name, role=role)
        if change.granted
        else r("{name} no longer holds the role {role}.", name=change.target.name, role=role)
    )
    if not change.target_told:
        text += " " + r("They will be told when they start the bot.")
    return text


async def on_committee_name(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: drafts.DraftState
) -> None:
    """The admin typed the name of a new committee: create it and make the person its head."""
    cid, _name = await grants.create_committee(ctx.deps, tg_user(user), message.text or "")
    pid = int(state.data["person"])
    await drafts.clear(ctx.deps, user.id)
    change = await grants.change_role(
        ctx.deps,
        tg_user(user),
        person_id=pid,
        role=Role.COMMITTEE_HEAD,
        grant=True,
        committee_id=cid,
    )
    await reply(message, _change_toast(r, change))
    card = await grants.role_card(ctx.deps, tg_user(user), pid)
    await reply(message, card_text(r, card), card_rows(r, card))


@command
async def members(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/members: the people the bot knows, a page at a time, each opening their role card."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    await _show_members(update, ctx, r, user, 0)


@button
async def on_members_page(
    update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer
) -> str | None:
    """‹ and › on the member list."""
    await _show_members(update, ctx, r, user, data.int_arg(0) or 0)
    return None


def _standing(r: Renderer, p: people.PersonView) -> str:
    return r.roles(p.roles, p.committees_headed) if p.active else r.plain("deactivated")


async def _show_members(update: Update, ctx: Ctx, r: Renderer, user: User, page: int) -> None:
    result = await people.list_people(ctx.deps, tg_user(user), page)
    rows = [[(f"{p.name} · {_standing(r, p)}", cd.encode("ro", "v", p.id))] for p in result.people]
    nav = []
    if result.page > 0:
        nav.append(("‹", cd.encode("mb", "p", result.page - 1)))
    if result.page + 1 < result.pages:
        nav.append(("›", cd.encode("mb", "p", result.page + 1)))
    if nav:
        rows.append(nav)
    text = r.plural(
        "{n} person is known to the bot (page {page} of {pages}).",
        "{n} people are known to the bot (page {page} of {pages}).",
        result.total,
        page=result.page + 1,
        pages=result.pages,
    )
    await edit_or_send(update, text, rows)
