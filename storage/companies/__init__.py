"""Companies and the requests to join one: tables, repositories, what they hand out."""
