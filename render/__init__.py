"""Every sentence a person reads, and the escaping of every value in it (rule 9 of
docs/decisions/011-house-rules.md): shared by handlers/ (answers) and runtime/ (notices rendered
at delivery), importing neither."""
