"""Facet links for a search page that works without JavaScript: every value of a facet is a link
that adds it to the query or takes it out, with its count, and every filter in force has a link
that removes it. The data catalogue and the archive search build their facets with these."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

Filters = dict[str, list[str]]  # facet name -> the values asked for

FACET_VALUES_SHOWN = 12
FACET_VALUES_ACCEPTED = 20  # per facet in one query: more is not a person choosing
FACET_VALUE_MAX_LENGTH = 100


@dataclass(frozen=True)
class FacetOption:
    name: str  # the facet's name, which is also the query parameter
    value: str
    label: str
    count: int
    selected: bool
    url: str  # this page with the value added to the filters, or taken out


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    options: list[FacetOption]


def toggled(query: QueryDict, name: str, value: str) -> str:
    """The query string with one facet value added or removed, back on the first page."""
    changed = query.copy()
    changed.pop("page", None)
    values = changed.getlist(name)
    changed.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return "?" + changed.urlencode() if changed else "?"


def clear_filters_url(search_url: str, q: str) -> str:
    """The search without any filter, keeping its words."""
    return f"{search_url}?{urlencode({'q': q})}" if q else search_url


def filters_from_query(query: QueryDict, names: tuple[str, ...]) -> Filters:
    """The facet values asked for, each cut to a sane length and number."""
    return {
        name: [value[:FACET_VALUE_MAX_LENGTH] for value in query.getlist(name) if value][:FACET_VALUES_ACCEPTED]
        for name in names
        if any(query.getlist(name))
    }


def facet_list(
    query: QueryDict,
    counted: dict[str, list[tuple[str, int]]],
    filters: Filters,
    titles: dict[str, str],
    labels: dict[str, dict],
) -> list[Facet]:
    """The facets in the order of `titles`, each with its most frequent values (and the chosen ones
    however rare), labelled for the reader; a facet with no value is left out."""
    facets = []
    for name, title in titles.items():
        values = counted.get(name, [])
        chosen = filters.get(name, [])
        shown = values[:FACET_VALUES_SHOWN] + [item for item in values[FACET_VALUES_SHOWN:] if item[0] in chosen]
        options = [
            FacetOption(
                name=name,
                value=value,
                label=str(labels.get(name, {}).get(value, value)),
                count=count,
                selected=value in chosen,
                url=toggled(query, name, value),
            )
            for value, count in shown
        ]
        if options:
            facets.append(Facet(name=name, title=title, options=options))
    return facets


def chosen_filters(query: QueryDict, filters: Filters, titles: dict[str, str], labels: dict[str, dict]) -> list:
    """Every filter in force, each with the link that removes it (also those that match nothing)."""
    return [
        FacetOption(
            name=name,
            value=value,
            label=f"{titles[name]}: {labels.get(name, {}).get(value, value)}",
            count=0,
            selected=True,
            url=toggled(query, name, value),
        )
        for name, values in filters.items()
        for value in values
    ]
