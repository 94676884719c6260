"""What the features register: commands, menu entries, flows, fallbacks, jobs, lines.

One :class:`Features` is filled by the composition root (:func:`bot.app.build_features`),
which calls each feature's ``setup(features)`` in a visible order, and is then held by the
:class:`~bot.core.runtime.Runtime`. Nothing is registered by importing a module, and two
runtimes in one process (tests, the sandbox's restarts) never share a table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.replies import Input, Reply

if TYPE_CHECKING:
    from datetime import date

    from bot.catalogue import Catalogue, Station
    from bot.core.context import Ctx
    from bot.core.engine import Flow
    from bot.core.runtime import Runtime
    from storage.companies.dto import CompanyDTO
    from storage.requests.repo import RequestDTO

# A command a person types in their private chat: ``/name args…``.
Command = Callable[["Ctx", list[str]], Awaitable[list[Reply]]]
# Asked in turn when a private message is neither a command nor a flow's answer (e.g. the
# requests feature takes a message meant for the officer); None passes it on.
Fallback = Callable[["Ctx", Input], Awaitable[list[Reply] | None]]
# Work the clock brings: called with the runtime on every tick of the job loop.
Job = Callable[["Runtime"], Awaitable[None]]
# Work a feature does once the staff group has moved to a new chat (a supergroup upgrade).
StaffGroupMoved = Callable[["Ctx"], Awaitable[None]]
# Lines a feature adds about a request on its card, its /history and the company's view
# (visits booked about it do), given the request and a language, as HTML.
RequestLines = Callable[["Ctx", "RequestDTO", str], Awaitable[list[str]]]
# What else an officer has on their plate today, shown by /mine after their requests (the
# follow-ups due, say): whole messages, each with its own buttons.
OfficerItems = Callable[["Ctx"], Awaitable[list[Reply]]]
# Lines a feature adds to a station's day roster (the 08:00 list), given the station, the
# day and a language, as HTML; any line makes the morning roster worth sending.
RosterLines = Callable[["Ctx", "Station", "date", str], Awaitable[list[str]]]
# Lines a feature adds to a company's own /profile, as HTML, in the reader's language.
ProfileLines = Callable[["Ctx", "CompanyDTO"], Awaitable[list[str]]]
# Told in the company's unit of work when a company rates a request 2 stars or fewer (差评),
# and again when it adds its comment to such a rating: the request as it now stands.
PoorRating = Callable[["Ctx", "RequestDTO"], Awaitable[None]]
# Asked before a valid catalogue edit is served: problems only the database can see (an
# event dropped from the file while companies are registered for it), one line each; any
# line refuses the edit, as a bad file is refused.
CatalogueCheck = Callable[["Ctx", "Catalogue"], Awaitable[list[str]]]


class DuplicateRegistration(Exception):
    """Two features asked for the same name: a wiring mistake, refused at start-up."""


@dataclass
class Features:
    commands: dict[str, Command] = field(default_factory=dict)
    # Main-menu labels (text keys) and the command each one stands for.
    menu: dict[str, str] = field(default_factory=dict)
    fallbacks: list[Fallback] = field(default_factory=list)
    # Asked after every other fallback, whatever order the features were set up in.
    last_fallbacks: list[Fallback] = field(default_factory=list)
    flows: dict[str, Flow] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)
    request_lines: list[RequestLines] = field(default_factory=list)
    officer_items: list[OfficerItems] = field(default_factory=list)
    roster_lines: list[RosterLines] = field(default_factory=list)
    profile_lines: list[ProfileLines] = field(default_factory=list)
    poor_ratings: list[PoorRating] = field(default_factory=list)
    staff_group_moved: list[StaffGroupMoved] = field(default_factory=list)
    catalogue_checks: list[CatalogueCheck] = field(default_factory=list)

    def add_command(self, name: str, fn: Command, *, menu_label: str | None = None) -> None:
        """``/name`` runs ``fn``; ``menu_label`` (a text key) is its main-menu button."""
        if name in self.commands:
            raise DuplicateRegistration(f"command /{name} registered twice")
        self.commands[name] = fn
        if menu_label is not None:
            self.menu[menu_label] = name

    def add_flow(self, flow: Flow) -> None:
        if flow.name in self.flows:
            raise DuplicateRegistration(f"flow {flow.name!r} registered twice")
        self.flows[flow.name] = flow

    def add_fallback(self, fn: Fallback, *, last: bool = False) -> None:
        (self.last_fallbacks if last else self.fallbacks).append(fn)

    def add_job(self, job: Job) -> None:
        if job in self.jobs:
            raise DuplicateRegistration(f"job {getattr(job, '__name__', job)} added twice")
        self.jobs.append(job)

    def add_request_lines(self, source: RequestLines) -> None:
        self.request_lines.append(source)

    def add_officer_items(self, source: OfficerItems) -> None:
        self.officer_items.append(source)

    def add_roster_lines(self, source: RosterLines) -> None:
        self.roster_lines.append(source)

    def add_profile_lines(self, source: ProfileLines) -> None:
        self.profile_lines.append(source)

    def on_poor_rating(self, fn: PoorRating) -> None:
        self.poor_ratings.append(fn)

    def on_staff_group_moved(self, fn: StaffGroupMoved) -> None:
        self.staff_group_moved.append(fn)

    def add_catalogue_check(self, fn: CatalogueCheck) -> None:
        self.catalogue_checks.append(fn)
