"""Admission (R4): the office's card for a person who pressed Start, and invitation links."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update, User

from bot.buttons.people import (
    AdmissionAction,
    AdmissionButton,
    AdmitIntoAction,
    AdmitIntoButton,
    InvitationAction,
    InvitationButton,
)
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.people import admission, directory, inspectors, invitations
from bot.people import service as people
from bot.people.roles import Role
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

FLOW_REFUSE = "pa_refuse"
USAGE = N_(
    "Send /invite for a link that admits one person within 7 days. Options: uses=5 (how many "
    "people), days=30 (how long it is valid), committee=NAME (they join that committee), "
    "role=office (administrators only). /invitations lists the links and withdraws them."
)


def _decided(r: Renderer, decision: admission.Decision) -> str:
    if not decision.admitted:
        return r("{name} was refused admission and is told so.", name=decision.name)
    if decision.committee:
        return r(
            "{name} is admitted into {committee} and is told so.",
            name=decision.name,
            committee=decision.committee,
        )
    return r("{name} is admitted and is told so.", name=decision.name)


# One callback per button of the admission card (bot/buttons/people.py), each registered by
# its pattern in handlers/__init__.register; anything that does not unpack is stale.
on_card = typed_button(AdmissionButton.unpack)


@on_card
async def on_admit(update: Update, ctx: Ctx, b: AdmissionButton, user: User, r: Renderer) -> None:
    """1pa:ok: admit the person (R4); they are told."""
    decision = await admission.decide(ctx.deps, tg_user(user), b.person_id, admit_=True)
    await edit_or_send(update, _decided(r, decision), None)


@typed_button(AdmitIntoButton.unpack)
async def on_admit_into(
    update: Update, ctx: Ctx, b: AdmitIntoButton, user: User, r: Renderer
) -> None:
    """1pa:ck: admit the person into the committee chosen (R4, R5)."""
    decision = await admission.decide(
        ctx.deps, tg_user(user), b.person_id, admit_=True, committee_id=b.committee_id
    )
    await edit_or_send(update, _decided(r, decision), None)


@on_card
async def on_choose_committee(
    update: Update, ctx: Ctx, b: AdmissionButton, user: User, r: Renderer
) -> None:
    """1pa:cm: into which committee (R5); the person must still be waiting (authority first)."""
    name, committees = await admission.check_pending(ctx.deps, tg_user(user), b.person_id)
    if not committees:
        raise InvalidInput(N_("There are no committees yet. Create one from /members."))
    into = AdmitIntoAction.ADMIT_INTO
    rows = [[(c, AdmitIntoButton(into, b.person_id, cid).pack())] for cid, c in committees]
    await edit_or_send(update, r("Into which committee is {name} admitted?", name=name), rows)


@on_card
async def on_refuse(update: Update, ctx: Ctx, b: AdmissionButton, user: User, r: Renderer) -> None:
    """1pa:no: ask why the admission is refused (the person reads it), or refuse without."""
    me = tg_user(user)
    await admission.check_pending(ctx.deps, me, b.person_id)  # authority first
    me_id = (await people.identify(ctx.deps, me, private=True)).id
    await drafts.save(ctx.deps, me_id, DraftState(FLOW_REFUSE, "reason", {"id": b.person_id}))
    without = AdmissionButton(AdmissionAction.REFUSE_WITHOUT_REASON, b.person_id).pack()
    if update.effective_message is not None:
        question = r(
            "Why is the admission refused? Send the reason (the person reads it), "
            "or refuse without one."
        )
        await reply(
            update.effective_message,
            question,
            [[(r.plain("Refuse without a reason"), without)]],
        )


@on_card
async def on_refuse_without_reason(
    update: Update, ctx: Ctx, b: AdmissionButton, user: User, r: Renderer
) -> None:
    """1pa:nr: refuse without a reason (R4); the person is told."""
    await drafts.clear(ctx.deps, user.id)  # the reason's question is answered, whoever decided
    decision = await admission.decide(ctx.deps, tg_user(user), b.person_id, admit_=False)
    await edit_or_send(update, _decided(r, decision), None)


async def on_reason(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """The refusal's reason, typed. The question is answered either way: a refusal somebody
    else's decision overtook leaves no step waiting for more text."""
    await drafts.clear(ctx.deps, user.id)
    decision = await admission.decide(
        ctx.deps, tg_user(user), int(state.data["id"]), admit_=False, reason=message.text or ""
    )
    await reply(message, _decided(r, decision))


def _options(args: list[str]) -> dict[str, Any]:
    """uses=N days=N committee=NAME role=ROLE; anything else is a mistake worth a usage note."""
    found: dict[str, Any] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep or not value or key in found:
            raise InvalidInput(USAGE)
        if key in ("uses", "days"):
            if not value.isdigit() or len(value) > 4:
                raise InvalidInput(USAGE)
            found[key] = int(value)
        elif key == "committee" or (key == "role" and value in set(Role)):
            found[key] = value
        else:
            raise InvalidInput(USAGE)
    return found


def _line(r: Renderer, invite: invitations.Invite) -> str:
    parts = [
        r(
            "Invitation {number}: {used} of {uses} used, valid until {until}",
            number=invite.id,
            used=invite.uses,
            uses=invite.max_uses,
            until=r.t.datetime(invite.expires_at, r.zone),
        )
    ]
    if invite.role:
        parts.append(r("role: {role}", role=r.role(Role(invite.role), invite.committee)))
    elif invite.committee:
        parts.append(r("committee: {name}", name=invite.committee))
    return " · ".join(parts)


@command
async def invite(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/invite [uses=N] [days=N] [committee=NAME] [role=ROLE]: a link that admits (R4)."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    made = await invitations.create(ctx.deps, tg_user(user), **_options(list(ctx.args or [])))
    link = deep_link(ctx, invitations.PAYLOAD + (made.code or ""))
    await reply(
        message,
        "\n\n".join(
            [
                r(
                    "Here is the invitation link. Whoever opens it and presses Start is "
                    "admitted at once, so send it only to the people it is meant for."
                ),
                f"<code>{esc(link)}</code>",
                _line(r, made),
            ]
        ),
    )


@command
async def invitations_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/invitations: the links that still admit, each with Withdraw."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    listed = await invitations.active(ctx.deps, tg_user(user))
    if not listed:
        await reply(message, r("No invitation link is valid now. Send /invite to make one."))
        return
    rows = [
        [(r.plain("Withdraw invitation {number}", number=i.id), _withdraw(i.id))] for i in listed
    ]
    await reply(
        message,
        "\n".join([r("<b>Valid invitation links</b>")] + [_line(r, i) for i in listed]),
        rows,
    )


@typed_button(InvitationButton.unpack)
async def on_withdraw_invitation(
    update: Update, ctx: Ctx, b: InvitationButton, user: User, r: Renderer
) -> str:
    """1iv:rv: withdraw the invitation: its link admits nobody from now on (R4)."""
    withdrawn = await invitations.revoke(ctx.deps, tg_user(user), b.invitation_id)
    return r.plain(
        "Invitation {number} is withdrawn: its link admits nobody now.", number=withdrawn.id
    )


def _withdraw(invitation_id: int) -> str:
    return InvitationButton(InvitationAction.WITHDRAW, invitation_id).pack()


@command
async def inspector(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/inspector @username FIRST LAST [FROM TO]: the ledger, read-only, for those days (R7)."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    args = list(ctx.args or [])
    if len(args) not in (3, 5) or not args[0].startswith("@"):
        await reply(message, r(INSPECTOR_USAGE))
        return
    person = await directory.find_person(ctx.deps, username=args[0])
    made = await inspectors.grant(
        ctx.deps,
        tg_user(user),
        person_id=person.id,
        first_day=args[1],
        last_day=args[2],
        period_first=args[3] if len(args) == 5 else None,
        period_last=args[4] if len(args) == 5 else None,
    )
    await reply(message, _inspecting(r, made))


def _inspecting(r: Renderer, made: inspectors.Inspection) -> str:
    said = r(
        "{name} may read the ledger from {first} to {last}, and nothing else; every "
        "reading is recorded.",
        name=made.name,
        first=made.first_day,
        last=made.last_day,
    )
    if made.period_first:
        said += "\n" + r(
            "Records they may read: {first} to {last}.",
            first=made.period_first,
            last=made.period_last,
        )
    return said


INSPECTOR_USAGE = N_(
    "Send /inspector @username 2026-12-01 2026-12-31 to let a member of an inspection group "
    "read the ledger on those days, and nothing else. Add two more dates, such as 2026-01-01 "
    "2026-09-30, to limit the records they may read to that period."
)
