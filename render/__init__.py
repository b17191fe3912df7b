"""Every sentence a person reads, and the escaping of every value in it (rule 9): shared by
handlers/ (answers) and runtime/ (notices rendered at delivery), importing neither."""
