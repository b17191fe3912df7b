"""The Telegram runtime: requests over aiohttp (transport), our own flood control (pacing,
answers), updates kept in the inbox before Telegram's confirmation (updates), the outbox's
delivery and the kept files' fetcher (delivery, fetcher, worker), /healthz and /metrics.
Imports bot/ and render/, never handlers/."""
