"""Messages caused by state changes, written in the same transaction and delivered afterwards."""
