"""Search strings as CKAN clients write them: `fq` filter queries and `sort` clauses for
package_search, and datastore_search's `sort`."""

import re

from django.utils.translation import gettext as _

from apps.opendata.ckan.errors import SearchQueryError, ValidationFailed
from apps.opendata.selectors import FACET_FIELDS

# CKAN sort clauses -> the selector's orders. "score" falls through to the next clause without a query.
SORT_ORDERS = {
    ("score", "desc"): "relevance",
    ("metadata_modified", "desc"): "newest",
    ("title_string", "asc"): "title",
    ("name", "asc"): "name",
    ("views_recent", "desc"): "downloads",
    ("views_total", "desc"): "downloads",
}
FQ_CLAUSE = re.compile(r'(?P<sign>[+-]?)(?P<field>[\w.]+):(?P<value>"(?:[^"\\]|\\.)*"|\([^)]*\)|[^\s"()]+)')
FQ_JOINERS = {"AND", "&&"}


def parse_fq(fq: str) -> dict[str, list[str]]:
    """CKAN filter queries as clients write them: `tags:"주차" +organization:big-data AND
    res_format:CSV`, `groups:(transport OR safety)`. Anything else is a Search Query Error."""
    filters: dict[str, list[str]] = {}
    position = 0
    for match in FQ_CLAUSE.finditer(fq):
        _check_between(fq[position : match.start()])
        position = match.end()
        field, value = match["field"], match["value"]
        if match["sign"] == "-":
            raise SearchQueryError(_("excluding with - is not supported: %(clause)s") % {"clause": match[0]})
        if field not in FACET_FIELDS:
            raise SearchQueryError(
                _("cannot filter by %(field)s; use %(fields)s") % {"field": field, "fields": ", ".join(FACET_FIELDS)}
            )
        if value.startswith("("):
            values = [_unquoted(part) for part in re.split(r"\s+OR\s+", value[1:-1].strip()) if part.strip()]
        else:
            values = [_unquoted(value)]
        filters.setdefault(field, []).extend(values)
    _check_between(fq[position:])
    return filters


def _check_between(text: str) -> None:
    leftover = [word for word in text.split() if word not in FQ_JOINERS]
    if leftover:
        raise SearchQueryError(_("cannot read %(text)s") % {"text": " ".join(leftover)})


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


def parse_sort(sort: str, *, has_query: bool) -> str:
    """The selector order for a CKAN sort string; unknown fields or directions are a Validation Error."""
    clauses = []
    for clause in filter(None, (part.strip() for part in sort.split(","))):
        words = clause.split()
        key = (words[0], words[1].lower() if len(words) > 1 else "asc")
        if len(words) > 2 or key not in SORT_ORDERS:
            supported = "; ".join(f"{field} {direction}" for field, direction in SORT_ORDERS)
            raise ValidationFailed(
                "sort",
                _("Cannot sort by %(clause)s. Use one of: %(supported)s") % {"clause": clause, "supported": supported},
            )
        clauses.append(SORT_ORDERS[key])
    useful = [order for order in clauses if order != "relevance" or has_query]
    return useful[0] if useful else "relevance"


def parse_datastore_sort(data: dict) -> list[tuple[str, bool]]:
    """datastore_search's sort ("column desc, other", or a list of clauses) as (column, descending)."""
    value = data.get("sort")
    if value in (None, ""):
        return []
    clauses = value if isinstance(value, list) else str(value).split(",")
    sort = []
    for clause in clauses:
        words = str(clause).strip().rsplit(None, 1)
        if not words:
            continue
        descending = len(words) == 2 and words[1].lower() == "desc"
        column = words[0] if len(words) == 2 and words[1].lower() in ("asc", "desc") else str(clause).strip()
        sort.append((_unquoted(column), descending))
    return sort
