"""The jobs alone: a few fixed sweeps that call services (jobs.py); the Telegram runtime that
runs them is in runtime/."""
