"""The accountability register (C1–C12): restricted to the secretary and the deputy, audited."""
