"""People, their roles and committees (PRODUCT.md "People and roles"; R4, R5, L1–L3)."""
