"""Who the sandbox starts with: the seed people, their world in the emulator, their company.

A first run gets two contacts of one registered company, a newcomer, three officers and an
admin; every person is a user of the emulator, and officers and the admin are in the staff
group's forum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.catalogue import Catalogue
from bot.companies.credit_code import make_credit_code
from frontdoor_emulator import BotApiEmulator, Chat, User

FIRST_PERSON_ID = 7_000_000_001
SEED_COMPANY = "上海示例机器人有限公司"
SEED_CODE = make_credit_code("91310113MA1G00001")

Role = Literal["enterprise", "officer", "admin"]
ROLES: tuple[Role, ...] = ("enterprise", "officer", "admin")


@dataclass
class Person:
    """Someone the page can act as."""

    id: int
    name: str
    role: Role
    language: str = "zh"
    phone: str = ""
    note: str = ""  # for an enterprise user: shown while they are in no company (notes.py)


def seed_people() -> list[Person]:
    """Two contacts of one company, a newcomer, three officers and an admin."""
    same = (f"与王经理同一企业：发送 /start，依次输入企业名称和信用代码 {SEED_CODE}，"
            "申请加入，王经理同意即可")
    rows: list[tuple[str, Role, str, str]] = [
        ("王经理", "enterprise", "zh", ""),
        ("刘助理", "enterprise", "zh", same),
        ("陈总", "enterprise", "zh", "新企业：发送 /start 登记"),
        ("李科员", "officer", "zh", ""),
        ("张科员", "officer", "zh", ""),
        ("陈科长", "officer", "zh", ""),
        ("Admin", "admin", "en", "FRONTDOOR_ADMIN_IDS"),
    ]
    return [
        Person(FIRST_PERSON_ID + i, name, role, lang, f"1380013{8000 + i:04d}", note)
        for i, (name, role, lang, note) in enumerate(rows)
    ]


def add_user(emu: BotApiEmulator, person: Person, *, started: bool) -> User:
    """``person`` as a user of the emulator, with the id the page knows them by."""
    return emu.add_user(
        person.name, language_code="en" if person.language == "en" else "zh-hans",
        phone_number=person.phone, started=started, user_id=person.id,
    )


def build_world(emu: BotApiEmulator, people: list[Person]) -> Chat:
    """Every person as a user who has started the bot; returns the staff group they work in."""
    for person in people:
        add_user(emu, person, started=True)
    staff = [emu.world.users[p.id] for p in people if p.role in ("officer", "admin")]
    group = emu.add_group("服务直通站工作群 · Frontdoor staff", members=staff, forum=True)
    for person in people:
        if person.role == "admin":
            group.members[person.id] = "administrator"
    return group


async def seed_company(db: Any, cat: Catalogue, people: list[Person], now: datetime) -> None:
    """The company two of the seeded people belong to, registered by the first."""
    from storage.companies.repo import Companies
    from storage.core.repos import Users

    station = cat.station("robot-park") or cat.stations[0]
    owner = next(p for p in people if p.role == "enterprise")
    async with db.session() as session:
        users = Users(session)
        for person in people:
            await users.touch(person.id, person.name, None, person.language, now)
        company, _ = await Companies(session).create_or_get({
            "credit_code": SEED_CODE, "name": SEED_COMPANY, "contact_name": owner.name,
            "phone": owner.phone, "station_id": station.id,
        }, now)
        await users.set_company(owner.id, company.id)


__all__ = ["FIRST_PERSON_ID", "ROLES", "SEED_CODE", "SEED_COMPANY", "Person", "Role",
           "add_user", "build_world", "seed_company", "seed_people"]
