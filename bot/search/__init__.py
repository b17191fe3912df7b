"""/find: words, references, people, kinds, statuses and periods over incidents and events."""
