"""`python -m bot` is the same as the `dutydesk` command."""

from bot.cli import main

raise SystemExit(main())
