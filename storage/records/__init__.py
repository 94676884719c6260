"""Companies' growth records: the timeline every feature writes to, officers' tags on a
company, and the follow-ups they schedule."""
