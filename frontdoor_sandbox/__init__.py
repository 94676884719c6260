"""``frontdoor sandbox``: the product on a laptop, with no token and no internet.

The Bot API emulator, the real bot polling it, and a web page that looks like a reduced
Telegram client, where one can be any of a few enterprise users, officers or the admin.
"""

from frontdoor_sandbox.server import Person, Sandbox, SandboxError

__all__ = ["Person", "Sandbox", "SandboxError"]
