"""Duty Desk: a Telegram bot that runs an organisation's responsibility regulation."""
