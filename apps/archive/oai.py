"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html): the six verbs over a
city's public items, Dublin Core (oai_dc) as the one metadata format, collections as sets.

Lists come a page at a time; the resumption token carries where the page ended (its last datestamp
and id: keyset paging, so a harvest costs the same at record 100 and at record 100,000) and the
moment the harvest began, signed so that a changed token is a badResumptionToken rather than a
query. Every document is built as an lxml tree (text, never concatenated markup), with characters
XML forbids removed from stored text and echoed arguments."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.db.models import Q, QuerySet
from lxml import etree

from apps.archive import selectors
from apps.archive.licences import LICENCES
from apps.archive.manifests import in_both_languages
from apps.archive.models import Collection, Item
from apps.common.text import xml_safe
from apps.municipalities.models import Municipality

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PAGE_SIZE = 100
TOKEN_MAX_AGE = timedelta(days=1)
RESUMPTION_SALT = "archive.oai.resumption"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_FORMATS = {"oai_dc": (f"{OAI_DC[:-1]}.xsd", OAI_DC)}
# DCMI Type Vocabulary terms for each item type (dc:type), beside the archive's own word.
DCMI_TYPES = {
    Item.Type.PHOTOGRAPH: "StillImage",
    Item.Type.DOCUMENT: "Text",
    Item.Type.AUDIO: "Sound",
    Item.Type.VIDEO: "MovingImage",
    Item.Type.ORAL_HISTORY: "Sound",
    Item.Type.OBJECT: "PhysicalObject",
}
LIST_VERBS = ("ListIdentifiers", "ListRecords")
# verb -> (required arguments, optional arguments); resumptionToken is exclusive where allowed.
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Repository:
    municipality: Municipality
    base_url: str
    identifier_prefix: str  # oai:<repository identifier>:archive/
    admin_email: str
    manifest_url: str  # with {id}


@dataclass(frozen=True)
class Harvest:
    """One selective harvest (ListIdentifiers/ListRecords): what it asks for and where it stands."""

    verb: str
    set_spec: str | None
    start: datetime | None
    end: datetime  # exclusive
    after: tuple[datetime, int] | None = None
    cursor: int = 0
    total: int | None = None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {key: xml_safe(value) for key, value in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _oai(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    return _element(parent, f"{{{OAI}}}{name}", text, **attributes)


# --- Arguments --------------------------------------------------------------------------------


def _arguments(query: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, each checked against the verb's list."""
    verbs = query.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "verb is missing, repeated or not an OAI-PMH verb")
    verb = verbs[0]
    required, optional = ARGUMENTS[verb]
    arguments = {}
    for name, values in query.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OaiError("badArgument", f"{verb} takes no argument {xml_safe(name)[:50]!r}")
        if len(values) != 1:
            raise OaiError("badArgument", f"{name} is repeated")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
    elif missing := sorted(required - set(arguments)):
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
    return verb, arguments


def _utc_argument(name: str, value: str) -> tuple[datetime, str]:
    """A from/until value in either granularity this repository supports, and which it was."""
    for pattern, granularity in (("%Y-%m-%dT%H:%M:%SZ", "seconds"), ("%Y-%m-%d", "day")):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC), granularity
        except ValueError:
            continue
    raise OaiError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")


def _metadata_prefix(arguments: dict[str, str]) -> None:
    if arguments["metadataPrefix"] not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat", "this repository offers oai_dc only")


def _item_for(repository: Repository, identifier: str) -> Item:
    local = identifier.removeprefix(repository.identifier_prefix)
    item = None
    if local != identifier and local.isascii() and local.isdigit() and len(local) < 12:
        item = selectors.harvestable_items(municipality=repository.municipality).filter(pk=int(local)).first()
    if item is None:
        raise OaiError("idDoesNotExist", "no record has this identifier")
    return item


def _harvest_new(verb: str, arguments: dict[str, str], now: datetime) -> Harvest:
    _metadata_prefix(arguments)
    start = end = None
    granularities = set()
    if "from" in arguments:
        start, granularity = _utc_argument("from", arguments["from"])
        granularities.add(granularity)
    if "until" in arguments:
        until, granularity = _utc_argument("until", arguments["until"])
        granularities.add(granularity)
        # until is inclusive, at its own granularity.
        end = until + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity")
    if start and end and start >= end:
        raise OaiError("badArgument", "from is later than until")
    # A harvest without until ends at its start: what changes meanwhile comes next time.
    end = min(end, now) if end else now
    return Harvest(verb=verb, set_spec=arguments.get("set"), start=start, end=end)


def _harvest_resumed(verb: str, token: str) -> Harvest:
    try:
        state = signing.loads(token, salt=RESUMPTION_SALT, max_age=TOKEN_MAX_AGE)
        harvest = Harvest(
            verb=state["verb"],
            set_spec=state["set"],
            start=datetime.fromisoformat(state["start"]) if state["start"] else None,
            end=datetime.fromisoformat(state["end"]),
            after=(datetime.fromisoformat(state["after"][0]), int(state["after"][1])),
            cursor=int(state["cursor"]),
            total=int(state["total"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise OaiError("badResumptionToken", "the resumption token is invalid or has expired") from None
    if harvest.verb != verb:
        raise OaiError("badResumptionToken", "the resumption token belongs to another verb")
    return harvest


def _token(harvest: Harvest, last: Item, cursor: int, total: int) -> str:
    state = {
        "verb": harvest.verb,
        "set": harvest.set_spec,
        "start": harvest.start.isoformat() if harvest.start else None,
        "end": harvest.end.isoformat(),
        "after": [last.updated_at.isoformat(), last.pk],
        "cursor": cursor,
        "total": total,
    }
    return signing.dumps(state, salt=RESUMPTION_SALT, compress=True)


def _harvested(repository: Repository, harvest: Harvest) -> QuerySet[Item]:
    items = selectors.harvestable_items(municipality=repository.municipality).filter(updated_at__lt=harvest.end)
    if harvest.start:
        items = items.filter(updated_at__gte=harvest.start)
    if harvest.set_spec is not None:
        items = items.filter(collections__slug=harvest.set_spec)
    return items.order_by("updated_at", "pk")


# --- Documents --------------------------------------------------------------------------------


def _header(parent: etree._Element, repository: Repository, item: Item) -> None:
    header = _oai(parent, "header")
    _oai(header, "identifier", f"{repository.identifier_prefix}{item.pk}")
    _oai(header, "datestamp", _timestamp(item.updated_at))
    for collection in item.collections.all():
        _oai(header, "setSpec", collection.slug)


def _both(parent: etree._Element, name: str, korean: str, english: str) -> None:
    if korean:
        _element(parent, f"{{{DC}}}{name}", korean, **{XML_LANG: "ko"})
    if english:
        _element(parent, f"{{{DC}}}{name}", english, **{XML_LANG: "en"})


def _split(subjects: str) -> list[str]:
    return [subject.strip() for subject in subjects.split(",") if subject.strip()]


def _dublin_core(parent: etree._Element, repository: Repository, item: Item) -> None:
    dc = etree.SubElement(
        parent,
        f"{{{OAI_DC}}}dc",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {METADATA_FORMATS['oai_dc'][0]}"},
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    licence = LICENCES[item.licence]
    _both(dc, "title", item.title_ko, item.title_en)
    _both(dc, "creator", item.creator_ko, item.creator_en)
    for subject in _split(item.subjects_ko):
        _both(dc, "subject", subject, "")
    for subject in _split(item.subjects_en):
        _both(dc, "subject", "", subject)
    _both(dc, "description", item.description_ko, item.description_en)
    _both(dc, "publisher", repository.municipality.name_ko, repository.municipality.name_en)
    if item.date_text:
        _element(dc, f"{{{DC}}}date", item.date_text)
    if item.date_earliest is not None and item.date_latest is not None:
        # The years read from the text, as an ISO 8601 interval machines can sort by.
        years = (
            f"{item.date_earliest:04d}/{item.date_latest:04d}"
            if item.date_earliest != item.date_latest
            else f"{item.date_earliest:04d}"
        )
        _element(dc, f"{{{DC}}}date", years)
    _element(dc, f"{{{DC}}}type", DCMI_TYPES[item.item_type])
    _both(dc, "type", *in_both_languages(Item.Type(item.item_type).label))
    _element(dc, f"{{{DC}}}identifier", item.identifier)
    if selectors.item_has_manifest(item):
        _element(dc, f"{{{DC}}}identifier", repository.manifest_url.format(id=item.pk))
    _both(dc, "source", item.source_ko, item.source_en)
    if item.place_id:
        _both(dc, "coverage", item.place.name_ko, item.place.name_en)
        _element(dc, f"{{{DC}}}coverage", f"{item.place.latitude:.6f}, {item.place.longitude:.6f}")
    for collection in item.collections.all():
        _both(dc, "relation", collection.title_ko, collection.title_en)
    _element(dc, f"{{{DC}}}rights", licence.uri)
    _both(
        dc,
        "rights",
        f"{item.rights_holder_ko} · {licence.name_ko}",
        f"{item.rights_holder_en or item.rights_holder_ko} · {licence.name_en}",
    )
    if item.is_illustration:
        _both(dc, "description", "데모용으로 그린 삽화입니다.", "An illustration drawn for the demo.")


def _record(parent: etree._Element, repository: Repository, item: Item) -> None:
    record = _oai(parent, "record")
    _header(record, repository, item)
    _dublin_core(_oai(record, "metadata"), repository, item)


def _identify(body: etree._Element, repository: Repository, now: datetime) -> None:
    earliest = selectors.harvestable_items(municipality=repository.municipality).order_by("updated_at").first()
    city = repository.municipality
    _oai(body, "repositoryName", f"{city.name_ko} 역사문화 아카이브 ({city.name_en} history and culture archive)")
    _oai(body, "baseURL", repository.base_url)
    _oai(body, "protocolVersion", "2.0")
    _oai(body, "adminEmail", repository.admin_email)
    _oai(body, "earliestDatestamp", _timestamp(earliest.updated_at if earliest else now))
    # Unpublished items leave the repository without a trace kept.
    _oai(body, "deletedRecord", "no")
    _oai(body, "granularity", GRANULARITY)


def _list_sets(body: etree._Element, repository: Repository) -> None:
    collections = list(Collection.objects.filter(municipality=repository.municipality).order_by("slug"))
    if not collections:
        raise OaiError("noSetHierarchy", "this repository has no sets")
    for collection in collections:
        one = _oai(body, "set")
        _oai(one, "setSpec", collection.slug)
        _oai(one, "setName", collection.title_ko + (f" ({collection.title_en})" if collection.title_en else ""))


def _list(body: etree._Element, repository: Repository, harvest: Harvest) -> None:
    items = _harvested(repository, harvest)
    total = harvest.total if harvest.total is not None else items.count()
    if harvest.after:
        moment, pk = harvest.after
        items = items.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    page = list(items.select_related("place").prefetch_related("collections", "media")[: PAGE_SIZE + 1])
    if not page:
        # Also when the records left for a resumed list were unpublished meanwhile: a list is never empty.
        raise OaiError("noRecordsMatch", "no record matches these arguments")
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    for item in page:
        if harvest.verb == "ListRecords":
            _record(body, repository, item)
        else:
            _header(body, repository, item)
    if harvest.after is not None or more:
        # The last page carries an empty token: the harvester knows the list is complete.
        cursor = harvest.cursor
        token = _token(harvest, page[-1], cursor + len(page), total) if more else ""
        _oai(body, "resumptionToken", token, completeListSize=str(total), cursor=str(cursor))


def oai_response(query: dict[str, list[str]], repository: Repository, *, now: datetime) -> bytes:
    """The OAI-PMH document answering these query arguments (each name with all its values)."""
    root = etree.Element(
        f"{{{OAI}}}OAI-PMH",
        {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
        nsmap={None: OAI, "xsi": XSI},
    )
    _oai(root, "responseDate", _timestamp(now))
    request = _oai(root, "request", repository.base_url)
    try:
        verb, arguments = _arguments(query)
        # Echoed only once known good: a badVerb or badArgument answer names the base URL alone.
        for name, value in [("verb", verb), *arguments.items()]:
            request.set(name, xml_safe(value))
        body = etree.Element(f"{{{OAI}}}{verb}")
        if verb == "Identify":
            _identify(body, repository, now)
        elif verb == "ListMetadataFormats":
            if "identifier" in arguments:
                _item_for(repository, arguments["identifier"])
            for prefix, (schema, namespace) in METADATA_FORMATS.items():
                one = _oai(body, "metadataFormat")
                _oai(one, "metadataPrefix", prefix)
                _oai(one, "schema", schema)
                _oai(one, "metadataNamespace", namespace)
        elif verb == "ListSets":
            if "resumptionToken" in arguments:
                raise OaiError("badResumptionToken", "sets come in one list, without resumption tokens")
            _list_sets(body, repository)
        elif verb == "GetRecord":
            _metadata_prefix(arguments)
            _record(body, repository, _item_for(repository, arguments["identifier"]))
        else:
            if "resumptionToken" in arguments:
                harvest = _harvest_resumed(verb, arguments["resumptionToken"])
            else:
                harvest = _harvest_new(verb, arguments, now)
            _list(body, repository, harvest)
        root.append(body)
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            request.attrib.clear()
        _oai(root, "error", error.message, code=error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
