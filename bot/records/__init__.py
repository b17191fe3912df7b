"""The whole record of an incident or an event request, for whoever may read it."""
