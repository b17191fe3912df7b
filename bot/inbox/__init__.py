"""Every Telegram update, kept from its arrival until it was handled (exactly-once across kills)."""
