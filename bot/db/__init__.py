"""Database access: the declarative base, the engine, transactions and migrations."""
