"""/role and the role card: admins grant and revoke roles and set committees from a person's
card of buttons (R4, R5), one callback per button (bot/buttons/people.py)."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.buttons.people import (
    GrantAction,
    GrantButton,
    LeavingAction,
    LeavingButton,
    MembershipAction,
    MembershipButton,
    RoleCardAction,
    RoleCardButton,
)
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.errors import InvalidInput, NotAllowed, StaleButton
from bot.freetext import limit_of
from bot.i18n import N_
from bot.people import card, committees, directory, grants
from bot.people import service as people
from bot.people.authority import ADMINS_ONLY
from bot.people.roles import ROLE_CODES, ROLE_ORDER, ROLES_BY_CODE, Role
from handlers.common import (
    command,
    deep_link,
    edit_or_send,
    is_private,
    private_only,
    reply,
    tg_user,
    typed_button,
)
from render.renderer import Renderer, esc

FLOW_COMMITTEE = "role_committee"


@command
async def role_command(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/role as a reply to somebody's message, /role @username, or /role alone for help."""
    target = message.reply_to_message
    if (
        target is not None
        and target.from_user is not None
        and not is_private(update.effective_chat)
    ):
        await _role_by_reply(ctx, message, user, r, target.from_user)
        return
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    if ctx.args and ctx.args[0].startswith("@"):
        person = await directory.find_person(ctx.deps, username=ctx.args[0])
        await show_card(update, ctx, r, person.id)
        return
    await reply(
        message,
        r(
            "To change somebody's roles: reply to one of their messages in the group with "
            "/role, send /role @username here, or pick them from /members."
        ),
    )


async def _role_by_reply(ctx: Ctx, message: Message, user: User, r: Renderer, of: User) -> None:
    """/role in reply to a group message: the card opens in the private chat (a deep link)."""
    if of.is_bot:
        raise InvalidInput(N_("Bots cannot hold roles."))
    person = await grants.register_target(ctx.deps, tg_user(user), tg_user(of))
    await reply(
        message,
        r("Open the private chat to set the roles of {name}.", name=person.name),
        [[(r.plain("Open private chat"), deep_link(ctx, f"role_{person.id}"))]],
    )


async def show_card(update: Update, ctx: Ctx, r: Renderer, person_id: int) -> None:
    """The role card of `person_id`, in place of the pressed message or as a new one."""
    shown = await card.role_card(ctx.deps, tg_user(_user(update)), person_id)
    await edit_or_send(update, card_text(r, shown), card_rows(r, shown))


def _user(update: Update) -> User:
    if update.effective_user is None:
        raise NotAllowed(ADMINS_ONLY)
    return update.effective_user


def card_text(r: Renderer, shown: card.RoleCard) -> str:
    """The card's text: the person's name, roles, committee and standing (R4, R5)."""
    p = shown.person
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


def card_rows(r: Renderer, shown: card.RoleCard) -> list[list[tuple[str, str]]]:
    """The card's buttons, for an administrator: grant or revoke each role, the committees,
    deactivate; Reactivate alone for a person who left. None for the leadership."""
    if not shown.can_edit:
        return []
    pid = shown.person.id
    if not shown.person.active:  # a person who left holds nothing until brought back
        return [[(r.plain("Reactivate"), LeavingButton(LeavingAction.REACTIVATE, pid).pack())]]
    rows: list[list[tuple[str, str]]] = []
    for role in ROLE_ORDER:
        if role == Role.COMMITTEE_HEAD:
            continue
        if role in shown.person.roles:
            label, action = r.plain("Revoke: {role}", role=r.role(role)), GrantAction.REVOKE
        else:
            label, action = r.plain("Grant: {role}", role=r.role(role)), GrantAction.GRANT
        rows.append([(label, _role(action, pid, role))])
    for cid, name in shown.headed:
        label = r.plain("Revoke: {role}", role=r.role(Role.COMMITTEE_HEAD, name))
        rows.append([(label, _role(GrantAction.REVOKE, pid, Role.COMMITTEE_HEAD, cid))])
    rows.append([(r.plain("Make head of a committee…"), _card(RoleCardAction.CHOOSE_HEADED, pid))])
    rows.append([(r.plain("Member of a committee…"), _card(RoleCardAction.CHOOSE_MEMBERSHIP, pid))])
    rows.append([(r.plain("Deactivate…"), LeavingButton(LeavingAction.ASK, pid).pack())])
    return rows


def _card(action: RoleCardAction, person_id: int) -> str:
    return RoleCardButton(action, person_id).pack()


def _role(action: GrantAction, person_id: int, role: Role, committee_id: int = 0) -> str:
    return GrantButton(action, person_id, ROLE_CODES[role], committee_id).pack()


def back_row(r: Renderer, person_id: int) -> list[tuple[str, str]]:
    """Back to the person's role card."""
    return [(r.plain("Back"), _card(RoleCardAction.VIEW, person_id))]


async def _editable(ctx: Ctx, user: User, person_id: int) -> card.RoleCard:
    """The card, for an administrator only: its choices change roles (R4)."""
    shown = await card.role_card(ctx.deps, tg_user(user), person_id)
    if not shown.can_edit:
        raise NotAllowed(ADMINS_ONLY)
    return shown


# One callback per button of the role card (bot/buttons/people.py), each registered by its
# pattern in handlers/__init__.register; anything that does not unpack is stale.
on_card = typed_button(RoleCardButton.unpack)


@on_card
async def on_view(update: Update, ctx: Ctx, b: RoleCardButton, user: User, r: Renderer) -> None:
    """1ro:v: the person's role card (from /members, or Back)."""
    await show_card(update, ctx, r, b.person_id)


@on_card
async def on_choose_headed(
    update: Update, ctx: Ctx, b: RoleCardButton, user: User, r: Renderer
) -> None:
    """1ro:c: which committee the person will head (R5): one they do not head yet, or a new one."""
    shown, pid = await _editable(ctx, user, b.person_id), b.person_id
    rows = [
        [(name, _role(GrantAction.GRANT, pid, Role.COMMITTEE_HEAD, cid))]
        for cid, name in shown.committees
        if (cid, name) not in shown.headed
    ]
    rows.append([(r.plain("New committee…"), _card(RoleCardAction.NEW_COMMITTEE, pid))])
    rows.append(back_row(r, pid))
    text = r("Which committee will {name} head?", name=shown.person.name)
    await edit_or_send(update, text, rows)


@on_card
async def on_choose_membership(
    update: Update, ctx: Ctx, b: RoleCardButton, user: User, r: Renderer
) -> None:
    """1ro:m: which committee the person is a member of (R5), or none."""
    shown, pid = await _editable(ctx, user, b.person_id), b.person_id
    rows = [
        [(name, MembershipButton(MembershipAction.SET, pid, cid).pack())]
        for cid, name in shown.committees
    ]
    rows.append([(r.plain("No committee"), MembershipButton(MembershipAction.SET, pid, 0).pack())])
    rows.append(back_row(r, pid))
    text = r("Which committee is {name} a member of?", name=shown.person.name)
    await edit_or_send(update, text, rows)


@typed_button(MembershipButton.unpack)
async def on_set_committee(
    update: Update, ctx: Ctx, b: MembershipButton, user: User, r: Renderer
) -> str:
    """1ro:mc: make the person a member of the committee (0: of none), R5."""
    changed = await committees.set_committee(
        ctx.deps, tg_user(user), person_id=b.person_id, committee_id=b.committee_id or None
    )
    await show_card(update, ctx, r, b.person_id)
    return r("Committee: {name}", name=changed.committee or "—")


@on_card
async def on_new_committee(
    update: Update, ctx: Ctx, b: RoleCardButton, user: User, r: Renderer
) -> None:
    """1ro:n: ask for the name of a new committee the person will head (R5)."""
    await _editable(ctx, user, b.person_id)
    me = await people.identify(ctx.deps, tg_user(user), private=True)
    state = drafts.DraftState(FLOW_COMMITTEE, "name", {"person": b.person_id})
    await drafts.save(ctx.deps, me.id, state)
    text = r(
        "Send the name of the new committee (at most {max} characters), or /cancel.",
        max=limit_of("committee", ctx.deps.policy),
    )
    await edit_or_send(update, text, None)


on_grant_button = typed_button(GrantButton.unpack)


@on_grant_button
async def on_grant(update: Update, ctx: Ctx, b: GrantButton, user: User, r: Renderer) -> str:
    """1ro:g: grant the role (R4); the card shows it, the person is told."""
    return await _change(update, ctx, b, user, r)


@on_grant_button
async def on_revoke(update: Update, ctx: Ctx, b: GrantButton, user: User, r: Renderer) -> str:
    """1ro:r: revoke the role (R4); its open work moves on, the person is told."""
    return await _change(update, ctx, b, user, r)


async def _change(update: Update, ctx: Ctx, b: GrantButton, user: User, r: Renderer) -> str:
    role = ROLES_BY_CODE.get(b.role_code)
    if role is None:
        raise StaleButton()
    change = await grants.change_role(
        ctx.deps,
        tg_user(user),
        person_id=b.person_id,
        role=role,
        grant=b.action is GrantAction.GRANT,
        committee_id=b.committee_id or None,
    )
    await show_card(update, ctx, r, b.person_id)
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
    cid, _name = await committees.create_committee(ctx.deps, tg_user(user), message.text or "")
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
    shown = await card.role_card(ctx.deps, tg_user(user), pid)
    await reply(message, card_text(r, shown), card_rows(r, shown))
