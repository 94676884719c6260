"""Personal data's end: the audit log of who asked what about people's data, and the queries
that forget a person or purge what is past its retention."""
