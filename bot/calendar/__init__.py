"""The compliance calendar: obligations, reminders, meetings (R2, R3, A1, A2, A3, P4)."""
