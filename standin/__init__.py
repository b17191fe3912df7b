"""The local stand-in for the Telegram Bot API (tests and `dutydesk sandbox`)."""
