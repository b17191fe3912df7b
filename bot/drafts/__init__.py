"""Conversation drafts kept in SQL, so a restart mid-conversation resumes
(rule 6 of docs/decisions/011-house-rules.md)."""
