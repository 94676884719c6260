"""Talking to Telegram: the HTTP transport PTB uses, and the outbox dispatcher that sends what
the features queued. With the composition root, the only part of ``bot`` that imports Telegram.
"""
