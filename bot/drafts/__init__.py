"""Conversation drafts kept in SQL, so a restart mid-conversation resumes (rule 6)."""
