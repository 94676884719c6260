"""Load benchmark: the bot as deployed, played by many enterprises at once on the emulator.

``python -m bench`` hosts the Bot API emulator in this process, starts the bot (and bare echo
bots for comparison) as separate processes pointed at it, plays complete journeys and prints
one table. See docs/bench.md.
"""
