"""The service catalogue as screens: categories → services → one service's card.

Buttons: ``c:`` (all categories), ``c:<category>``, ``s:<service>``, ``st:<station>``, and
``sg:<service>`` (a service offered for a typed question).
"""

from __future__ import annotations

from bot.catalogue import Catalogue, Service
from bot.core.display import station_contact
from bot.core.payloads import BOOKING, CATEGORY, REQUEST, SERVICE, SUGGESTION
from bot.core.replies import Button, Reply, notice
from bot.texts import Raw, esc, t

# Callback prefixes that other modules attach to a service card.
NEED_THIS = REQUEST + "new:"
BOOK_VISIT = BOOKING + "svc:"


def categories(cat: Catalogue, lang: str, *, edit: bool = False) -> Reply:
    rows = tuple((Button(c.name.get(lang), f"{CATEGORY}{c.id}"),) for c in cat.categories)
    return Reply(t(lang, "categories_title"), buttons=rows, edit=edit)


def category(cat: Catalogue, lang: str, category_id: str, *, edit: bool = True) -> Reply | None:
    found = cat.category(category_id)
    if found is None:
        return None
    services = cat.services_in(category_id)
    back = (Button(t(lang, "btn_back"), CATEGORY),)
    if not services:
        return Reply(t(lang, "category_empty", name=found.name.get(lang)),
                     buttons=(back,), edit=edit)
    rows = tuple((Button(s.name.get(lang), f"{SERVICE}{s.id}"),) for s in services)
    description = found.description.get(lang) if found.description else ""
    return Reply(
        t(lang, "category_title", name=found.name.get(lang), description=description),
        buttons=(*rows, back), edit=edit,
    )


def service_text(cat: Catalogue, lang: str, service: Service) -> str:
    bring = "\n".join(f"• {esc(item.get(lang))}" for item in service.bring) or esc(
        t(lang, "bring_none"))
    stations = "、".join(
        st.name.get(lang) for sid in service.stations if (st := cat.station(sid))
    ) if lang == "zh" else ", ".join(
        st.name.get(lang) for sid in service.stations if (st := cat.station(sid))
    )
    hours = service.response_hours
    return t(
        lang, "service_card", name=service.name.get(lang),
        description=service.description.get(lang), bring=Raw(bring),
        delivery=t(lang, f"delivery_{service.delivery}"),
        response=int(hours) if float(hours).is_integer() else hours, stations=stations,
    )


def service(cat: Catalogue, lang: str, service_id: str, *, edit: bool = True) -> Reply | None:
    found = cat.service(service_id)
    if found is None:
        return None
    actions: list[Button] = []
    if found.delivery in ("request", "both"):
        actions.append(Button(t(lang, "btn_need_this"), NEED_THIS + found.id))
    if found.delivery in ("visit", "both"):
        actions.append(Button(t(lang, "btn_book_visit"), BOOK_VISIT + found.id))
    rows: list[tuple[Button, ...]] = [tuple(actions)] if actions else []
    rows.append((Button(t(lang, "btn_back"), f"{CATEGORY}{found.category}"),))
    return Reply(service_text(cat, lang, found), buttons=tuple(rows), edit=edit)


def station(cat: Catalogue, lang: str, station_id: str) -> Reply | None:
    found = cat.station(station_id)
    if found is None:
        return None
    served = {s.category for s in cat.services_at(station_id)}
    rows = tuple(
        (Button(c.name.get(lang), f"{CATEGORY}{c.id}"),) for c in cat.categories if c.id in served
    )
    return Reply(
        t(lang, "station_card", name=found.name.get(lang),
          contact=station_contact(found, lang, hours=True)),
        buttons=rows,
    )


def press(cat: Catalogue, lang: str, data: str) -> Reply:
    """Answer a ``c:``/``s:`` button; a payload naming nothing gets the category list."""
    kind, _, ident = data.partition(":")
    screen: Reply | None
    if kind == "c" and not ident:
        screen = categories(cat, lang, edit=True)
    elif kind == "c":
        screen = category(cat, lang, ident)
    elif kind == "s":
        screen = service(cat, lang, ident)
    else:
        screen = None
    if screen is None:
        listing = categories(cat, lang, edit=True)
        return Reply(t(lang, "service_gone") + "\n\n" + listing.text, buttons=listing.buttons,
                     edit=True, notice=t(lang, "stale_button"))
    return screen


def suggested(cat: Catalogue, lang: str, data: str) -> Reply:
    """Answer an ``sg:`` button: the service's card as a new message, so the other services
    offered for the question stay on screen; a service that is gone changes nothing."""
    screen = service(cat, lang, data.removeprefix(SUGGESTION), edit=False)
    return screen if screen is not None else notice(t(lang, "service_gone"), alert=True)
