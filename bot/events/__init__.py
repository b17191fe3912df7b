"""Event requests: approved in advance, filed upward, cleared before anyone speaks (R6, C7)."""
