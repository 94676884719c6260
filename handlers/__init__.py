"""Telegram in, Telegram out: one package per feature, each with a ``setup(app)`` that the
composition root (``bot.app``) calls in order. Importing a module here registers nothing."""
