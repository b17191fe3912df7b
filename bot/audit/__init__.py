"""The audit trail: every state change writes one entry in its own transaction
(rule 4 of docs/decisions/011-house-rules.md)."""
