"""The policy: the regulation's numbers and routing as validated data (PRODUCT.md "Policy")."""
