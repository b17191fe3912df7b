"""Duty Desk's performance bench (python -m bench): see README, "Performance"."""
