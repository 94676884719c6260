"""The shared core every feature stands on: settings, clock, runtime, the unit of work (Ctx),
the flow engine, replies, display helpers, command routing, the job loop, callback payloads.

Nothing here imports a feature package or Telegram.
"""
