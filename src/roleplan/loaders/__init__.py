"""The only file I/O: job descriptions, calendars, plans. Everything returned is plain data or models."""
