"""Background work: a few fixed tasks that call services (outbox delivery now; reminders later)."""
