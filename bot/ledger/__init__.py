"""The ledger: what an inspector asks for, computed from the records, per clause."""
