"""The ledger (issue 7): what an inspector asks for, computed from the records, per clause."""
