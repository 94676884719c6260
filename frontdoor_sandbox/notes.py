"""The line under each name in the people list: where a person stands now, read from the bot.

An enterprise user who belongs to a company is shown with it; until then the list shows their
hint (how to register or join). The company comes from the bot's database, so the line follows
registering, joining, leaving and being removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from frontdoor_sandbox.seeding import Person

REGISTERED = "已登记：{company}"
UNREGISTERED = "未登记：发送 /start 登记"


def note(person: Person, company: str | None) -> str:
    """What the list says under ``person``: ``company`` is their company's name, "" for none,
    None while the bot's database cannot be asked (the bot waits for a valid catalogue)."""
    if person.role != "enterprise" or company is None:
        return person.note
    if company:
        return REGISTERED.format(company=company)
    return person.note or UNREGISTERED


async def companies(db: Any, people: Iterable[Person]) -> dict[int, str]:
    """Each enterprise user's company name in the bot's database ("" for none)."""
    from storage.companies.repo import Companies
    from storage.core.repos import Users

    found: dict[int, str] = {}
    async with db.reader() as session:
        users, firms = Users(session), Companies(session)
        for person in people:
            if person.role != "enterprise":
                continue
            user = await users.get(person.id)
            company = await firms.get(user.company_id) if user and user.company_id else None
            found[person.id] = company.name if company else ""
    return found


__all__ = ["REGISTERED", "UNREGISTERED", "companies", "note"]
