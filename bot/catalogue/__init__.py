"""The service catalogue: stations, weekly windows, calendar, categories, services, forms.

Plain values only: ``load_catalogue`` reads catalogue.yaml into frozen models, or raises
``CatalogueError`` listing every problem with its file, line and field.
"""

from bot.catalogue.diff import (
    CatalogueDiff,
    Renamed,
    both_languages,
    diff_catalogues,
    summary,
)
from bot.catalogue.errors import CatalogueError, CatalogueIssue
from bot.catalogue.loader import (
    SUPPORTED_VERSION,
    load_catalogue,
    parse_catalogue,
    read_catalogue_text,
)
from bot.catalogue.model import (
    DEFAULT_HOURS,
    DEFAULT_TIMEZONE,
    Calendar,
    Catalogue,
    Category,
    Choice,
    Closure,
    Defaults,
    Delivery,
    OfficeHours,
    Question,
    QuestionType,
    Service,
    Snippet,
    Span,
    Station,
    Text,
    Tier,
    Window,
    Workday,
    is_placeholder,
)

__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_TIMEZONE",
    "SUPPORTED_VERSION",
    "Calendar",
    "Catalogue",
    "CatalogueDiff",
    "CatalogueError",
    "CatalogueIssue",
    "Category",
    "Choice",
    "Closure",
    "Defaults",
    "Delivery",
    "OfficeHours",
    "Question",
    "QuestionType",
    "Renamed",
    "Service",
    "Snippet",
    "Span",
    "Station",
    "Text",
    "Tier",
    "Window",
    "Workday",
    "both_languages",
    "diff_catalogues",
    "is_placeholder",
    "load_catalogue",
    "parse_catalogue",
    "read_catalogue_text",
    "summary",
]
