"""Conversations as plain Python: each step takes an input and says the next step and reply."""
