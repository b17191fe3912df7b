"""The office's own copies of every file sent into a record."""
