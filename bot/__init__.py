"""Duty Desk: a Telegram bot that runs an organisation's responsibility regulation."""

__version__ = "0.1.0"
