"""Incident and information reports (L4, L5, P1, P2, P3, A1, R2, C2, C8)."""
