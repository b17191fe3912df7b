"""The only package that speaks Telegram's update model. `register` is THE list of handlers."""

from __future__ import annotations

from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.buttons import EventAction, EventButton
from bot.buttons.calendar import CalendarAction, CalendarButton
from bot.buttons.incidents import (
    IncidentAction,
    IncidentButton,
    PullInAction,
    PullInButton,
    SeverityAction,
    SeverityButton,
)
from bot.buttons.office import (
    DraftGuardAction,
    DraftGuardButton,
    LanguageAction,
    LanguageButton,
    LedgerAction,
    LedgerButton,
    LedgerEvidenceAction,
    LedgerEvidenceButton,
    LedgerLapsesAction,
    LedgerLapsesButton,
    LedgerPickAction,
    LedgerPickButton,
    LedgerRangeAction,
    LedgerRangeButton,
    PolicyAction,
    PolicyButton,
    SetupAction,
    SetupButton,
)
from bot.buttons.people import (
    ActingAction,
    ActingButton,
    AdmissionAction,
    AdmissionButton,
    AdmitIntoAction,
    AdmitIntoButton,
    GrantAction,
    GrantButton,
    InvitationAction,
    InvitationButton,
    LeavingAction,
    LeavingButton,
    MembersAction,
    MembersButton,
    MembershipAction,
    MembershipButton,
    RoleCardAction,
    RoleCardButton,
)
from bot.buttons.records import DETAILS, FindAction, FindButton, RecordAction, RecordButton
from bot.buttons.register import RegisterButton
from bot.context import AnyApp
from handlers import (
    accountability,
    acting,
    admission,
    calendar,
    conversations,
    draft_guard,
    errors,
    event_cards,
    find,
    groups,
    growth,
    incidents,
    leaving,
    ledger,
    ledger_buttons,
    meeting,
    members,
    my,
    policy,
    pull_in,
    record,
    roles,
    start,
    text,
)
from handlers.common import stale_button


def register(app: AnyApp) -> None:
    """Register every handler, in order. The first matching handler of group 0 wins."""
    # Only new messages: an edited "/role" must not grant a role twice
    # (docs/decisions/001-telegram-limits.md).
    new = filters.UpdateType.MESSAGE

    # 1. Service messages first: a group upgraded to a supergroup carries no command; the bot
    # removed from a group or added back.
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.on_migrate))
    app.add_handler(ChatMemberHandler(groups.on_bot_status, ChatMemberHandler.MY_CHAT_MEMBER))

    _commands(app, new)
    _card_buttons(app)
    _record_buttons(app)
    _messages(app, new)
    app.add_error_handler(errors.on_error)


def _commands(app: AnyApp, new: filters.BaseFilter) -> None:
    # 2. Commands.
    app.add_handler(CommandHandler("start", start.start, filters=new))
    app.add_handler(CommandHandler("help", start.help_command, filters=new))
    app.add_handler(CommandHandler("language", start.language, filters=new))
    app.add_handler(CommandHandler("cancel", text.cancel, filters=new))
    app.add_handler(CommandHandler("role", roles.role_command, filters=new))
    app.add_handler(CommandHandler("members", members.members, filters=new))
    app.add_handler(CommandHandler("invite", admission.invite, filters=new))
    app.add_handler(CommandHandler("invitations", admission.invitations_command, filters=new))
    app.add_handler(CommandHandler("inspector", admission.inspector, filters=new))
    app.add_handler(CommandHandler("setup", groups.setup, filters=new))
    app.add_handler(CommandHandler("report", draft_guard.report_command, filters=new))
    app.add_handler(CommandHandler("my", my.my, filters=new))
    app.add_handler(CommandHandler("find", find.find, filters=new))
    app.add_handler(CommandHandler("pending", incidents.pending, filters=new))
    app.add_handler(CommandHandler("record", record.record_command, filters=new))
    app.add_handler(CommandHandler("event", draft_guard.event_command, filters=new))
    app.add_handler(CommandHandler("acting", acting.acting_command, filters=new))
    app.add_handler(CommandHandler("meeting", meeting.meeting, filters=new))
    app.add_handler(CommandHandler("calendar", calendar.calendar, filters=new))
    app.add_handler(CommandHandler("policy", policy.policy, filters=new))
    app.add_handler(CommandHandler("ledger", ledger.ledger_command, filters=new))
    # C: in a group, and to anyone but its keepers, it answers as an unknown command does.
    app.add_handler(CommandHandler("register", accountability.register_command, filters=new))


def _card_buttons(app: AnyApp) -> None:
    # 3. Buttons, by the domain in their data; anything else is answered as stale.
    app.add_handler(
        CallbackQueryHandler(
            start.choose_language, pattern=LanguageButton.pattern(LanguageAction.SET)
        )
    )
    for on_role, pattern in (  # the role card, /members and deactivation (bot/buttons/people)
        (roles.on_view, RoleCardButton.pattern(RoleCardAction.VIEW)),
        (roles.on_choose_headed, RoleCardButton.pattern(RoleCardAction.CHOOSE_HEADED)),
        (roles.on_choose_membership, RoleCardButton.pattern(RoleCardAction.CHOOSE_MEMBERSHIP)),
        (roles.on_new_committee, RoleCardButton.pattern(RoleCardAction.NEW_COMMITTEE)),
        (roles.on_set_committee, MembershipButton.pattern(MembershipAction.SET)),
        (roles.on_grant, GrantButton.pattern(GrantAction.GRANT)),
        (roles.on_revoke, GrantButton.pattern(GrantAction.REVOKE)),
        (members.on_members_page, MembersButton.pattern(MembersAction.PAGE)),
        (leaving.on_ask, LeavingButton.pattern(LeavingAction.ASK)),
        (leaving.on_deactivate, LeavingButton.pattern(LeavingAction.DEACTIVATE)),
        (leaving.on_reactivate, LeavingButton.pattern(LeavingAction.REACTIVATE)),
    ):
        app.add_handler(CallbackQueryHandler(on_role, pattern=pattern))
    app.add_handler(CallbackQueryHandler(find.on_page, pattern=FindButton.pattern(FindAction.PAGE)))
    for on_admission, pattern in (  # the admission card and the invitations (R4)
        (admission.on_admit, AdmissionButton.pattern(AdmissionAction.ADMIT)),
        (admission.on_choose_committee, AdmissionButton.pattern(AdmissionAction.CHOOSE_COMMITTEE)),
        (admission.on_admit_into, AdmitIntoButton.pattern(AdmitIntoAction.ADMIT_INTO)),
        (admission.on_refuse, AdmissionButton.pattern(AdmissionAction.REFUSE)),
        (
            admission.on_refuse_without_reason,
            AdmissionButton.pattern(AdmissionAction.REFUSE_WITHOUT_REASON),
        ),
        (admission.on_withdraw_invitation, InvitationButton.pattern(InvitationAction.WITHDRAW)),
    ):
        app.add_handler(CallbackQueryHandler(on_admission, pattern=pattern))
    for purpose in SetupAction:  # one callback: each action names the purpose it gives
        app.add_handler(CallbackQueryHandler(groups.on_setup, pattern=SetupButton.pattern(purpose)))
    for guard_action, on_guard in (
        (DraftGuardAction.CONTINUE, draft_guard.on_continue),
        (DraftGuardAction.ANEW, draft_guard.on_anew),
    ):
        app.add_handler(CallbackQueryHandler(on_guard, DraftGuardButton.pattern(guard_action)))
    # A page of Pull in's list (1in:pl:<id>:<page>) before the card's Pull in, whose pattern
    # (1in:pl:<id>, and a mark after it under the card) would take the page for its mark.
    app.add_handler(
        CallbackQueryHandler(pull_in.on_page, pattern=PullInButton.pattern(PullInAction.PAGE))
    )
    for incident_action, on_incident in (  # one callback per action of an incident's card
        (IncidentAction.ACKNOWLEDGE, incidents.on_acknowledge),
        (IncidentAction.ADD_UPDATE, incidents.on_add_update),
        (IncidentAction.REPORT_UPWARD, incidents.on_report_upward),
        (IncidentAction.CONTAIN, incidents.on_contain),
        (IncidentAction.CLOSE, incidents.on_close),
        (IncidentAction.TIMELINE, incidents.on_timeline),
        (IncidentAction.ATTACHMENTS, incidents.on_attachments),
        (IncidentAction.OPEN, incidents.on_open),
        (IncidentAction.PULL_IN, pull_in.on_pull_in),
        (IncidentAction.ADD, growth.on_add),
        (IncidentAction.ADD_DONE, growth.on_add_done),
        (IncidentAction.ADD_CANCEL, growth.on_add_cancel),
        (IncidentAction.CHANGE_SEVERITY, growth.on_change_severity),
        (IncidentAction.REOPEN, growth.on_reopen),
    ):
        app.add_handler(
            CallbackQueryHandler(on_incident, pattern=IncidentButton.pattern(incident_action))
        )
    app.add_handler(
        CallbackQueryHandler(pull_in.on_person, pattern=PullInButton.pattern(PullInAction.PERSON))
    )
    app.add_handler(
        CallbackQueryHandler(
            growth.on_severity_chosen, pattern=SeverityButton.pattern(SeverityAction.CHOOSE)
        )
    )
    for action, on_event in (  # one callback per action of an event's card (bot/buttons/)
        (EventAction.APPROVE, event_cards.on_approve),
        (EventAction.REJECT, event_cards.on_reject),
        (EventAction.REQUEST_CHANGES, event_cards.on_request_changes),
        (EventAction.FORWARD, event_cards.on_forward),
        (EventAction.SEND_BACK, event_cards.on_send_back),
        (EventAction.ORGANISER_ACCEPTS, event_cards.on_organiser_accepts),
        (EventAction.ORGANISER_DECLINES, event_cards.on_organiser_declines),
        (EventAction.WITHDRAW, event_cards.on_withdraw),
        (EventAction.RESUBMIT, event_cards.on_resubmit),
        (EventAction.FILE, event_cards.on_file),
        (EventAction.CANCEL, event_cards.on_cancel),
        (EventAction.HELD, event_cards.on_held),
        (EventAction.NOT_HELD, event_cards.on_not_held),
        (EventAction.HELD_WITH_INCIDENT, event_cards.on_held_with_incident),
    ):
        app.add_handler(CallbackQueryHandler(on_event, pattern=EventButton.pattern(action)))
    app.add_handler(
        CallbackQueryHandler(acting.on_revoke, pattern=ActingButton.pattern(ActingAction.REVOKE))
    )


def _record_buttons(app: AnyApp) -> None:
    # 3 (continued). The calendar, the records, the policy, the ledger, the register, the
    # guided conversations; anything else is answered as stale.
    app.add_handler(
        CallbackQueryHandler(
            calendar.on_snooze, pattern=CalendarButton.pattern(CalendarAction.SNOOZE)
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            calendar.on_document, pattern=CalendarButton.pattern(CalendarAction.DOCUMENT)
        )
    )
    for record_action in DETAILS:  # the whole record, of each kind (R7)
        app.add_handler(
            CallbackQueryHandler(record.on_details, pattern=RecordButton.pattern(record_action))
        )
    for record_action in (RecordAction.ATTACHMENTS, RecordAction.MEETING_FILES):
        app.add_handler(
            CallbackQueryHandler(record.on_attachments, pattern=RecordButton.pattern(record_action))
        )
    app.add_handler(
        CallbackQueryHandler(policy.on_confirm, PolicyButton.pattern(PolicyAction.CONFIRM))
    )
    app.add_handler(
        CallbackQueryHandler(policy.on_cancel, PolicyButton.pattern(PolicyAction.CANCEL))
    )
    for ledger_pattern, on_ledger in (  # one callback per action (bot/buttons/office.py)
        (LedgerPickButton.pattern(LedgerPickAction.MENU), ledger_buttons.on_menu),
        (LedgerPickButton.pattern(LedgerPickAction.DATES), ledger_buttons.on_chosen_dates),
        (LedgerRangeButton.pattern(LedgerRangeAction.RANGE), ledger_buttons.on_range),
        (LedgerButton.pattern(LedgerAction.SUMMARY), ledger_buttons.on_summary),
        (LedgerButton.pattern(LedgerAction.CLAUSES), ledger_buttons.on_clauses),
        (LedgerButton.pattern(LedgerAction.PACKAGE), ledger_buttons.on_package),
        (LedgerButton.pattern(LedgerAction.CHART), ledger_buttons.on_chart),
        (LedgerLapsesButton.pattern(LedgerLapsesAction.LAPSES), ledger_buttons.on_lapses),
        (LedgerEvidenceButton.pattern(LedgerEvidenceAction.EVIDENCE), ledger_buttons.on_evidence),
    ):
        app.add_handler(CallbackQueryHandler(on_ledger, pattern=ledger_pattern))
    # Any other 1ld: data is stale, after the ledger's reading gate (an inspector reads it).
    app.add_handler(
        CallbackQueryHandler(ledger_buttons.on_other, pattern=LedgerButton.domain_pattern())
    )
    for page_action, on_register in accountability.ACTIONS.items():  # the register's pages (C)
        app.add_handler(
            CallbackQueryHandler(on_register, pattern=RegisterButton.pattern(page_action))
        )
    for flow in conversations.FLOWS:  # one callback per guided conversation (handlers/flow.py)
        app.add_handler(flow.handler())
    app.add_handler(CallbackQueryHandler(stale_button))  # last: no family took it


def _messages(app: AnyApp, new: filters.BaseFilter) -> None:
    # 4. After every known command: unknown ones (in groups only when addressed to us).
    app.add_handler(MessageHandler(new & filters.COMMAND, text.unknown_command))

    # 5. Free text in private: the current draft's step.
    private = filters.ChatType.PRIVATE & new
    app.add_handler(MessageHandler(private & filters.TEXT, text.on_text))
    app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, text.not_text))
