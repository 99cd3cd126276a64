"""The portal's HTTP API as the actions use it: short timeouts, one kind of error, nothing else.

The bot never imports Django; everything it knows about categories, cases, alerts and departments
comes from here. Reference data (categories, questions, departments) is cached for a minute, so an
edit in the admin reaches the bot quickly without a request to the portal on every turn. Requests
run in a thread: the action server serves every conversation from one event loop, which a slow
portal must not hold.
"""

import asyncio
import os
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

DEFAULT_PORTAL_URL = "http://127.0.0.1:8000"
# A portal that is down refuses the connection at once; a slow one may take a few seconds to file.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 15.0
REFERENCE_TTL_SECONDS = 60
CASE_NUMBER = re.compile(r"\d{4}-\d{6}")


class PortalError(Exception):
    """The portal could not be reached, or refused the request (status set)."""

    def __init__(self, message: str, status: int | None = None, detail: Any = None):
        super().__init__(message)
        self.status = status
        self.detail = detail

    @property
    def unreachable(self) -> bool:
        return self.status is None


@dataclass(frozen=True)
class PortalConfig:
    url: str  # where the action server reaches the portal
    api_key: str
    public_url: str  # where residents reach it: links in replies
    cache_seconds: float = REFERENCE_TTL_SECONDS


def config_from_environment() -> PortalConfig:
    """PORTAL_URL and CHATBOT_API_KEY (scripts/actions.sh); links use PORTAL_PUBLIC_URL, else the
    portal's own SITE_URL, else PORTAL_URL; PORTAL_CACHE_SECONDS for the reference data."""
    url = os.environ.get("PORTAL_URL", "").strip() or DEFAULT_PORTAL_URL
    public_url = os.environ.get("PORTAL_PUBLIC_URL", "").strip() or os.environ.get("SITE_URL", "").strip() or url
    try:
        cache_seconds = float(os.environ.get("PORTAL_CACHE_SECONDS", REFERENCE_TTL_SECONDS))
    except ValueError:
        cache_seconds = REFERENCE_TTL_SECONDS
    return PortalConfig(
        url=url.rstrip("/"),
        api_key=os.environ.get("CHATBOT_API_KEY", "").strip(),
        public_url=public_url.rstrip("/"),
        cache_seconds=cache_seconds,
    )


_cache: dict[tuple, tuple[float, Any]] = {}


async def _cached(key: tuple, seconds: float, load):
    now = time.monotonic()
    hit = _cache.get(key)
    if hit and now - hit[0] < seconds:
        return hit[1]
    value = await load()
    _cache[key] = (now, value)
    return value


def error_detail_text(detail: Any) -> str:
    """The portal's refusal as one line for the resident (DRF errors are dicts of lists)."""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        return " ".join(error_detail_text(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(error_detail_text(value) for key, value in detail.items() if key != "code")
    return ""


class Portal:
    def __init__(self, config: PortalConfig | None = None):
        self.config = config or config_from_environment()

    def public_link(self, path: str) -> str:
        return f"{self.config.public_url}{path}"

    async def _request(self, method: str, path: str, *, language: str = "ko", authenticated: bool = False, **kwargs):
        headers = {"Accept": "application/json", "Accept-Language": language}
        if authenticated:
            if not self.config.api_key:
                raise PortalError("CHATBOT_API_KEY is not set")
            headers["Authorization"] = f"Token {self.config.api_key}"
        try:
            response = await asyncio.to_thread(
                requests.request,
                method,
                f"{self.config.url}{path}",
                headers=headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                **kwargs,
            )
        except requests.RequestException as error:
            raise PortalError(f"{method} {path}: {error}") from error
        if response.status_code >= 400:
            try:
                detail = response.json()
            except ValueError:
                detail = response.text[:300]
            raise PortalError(f"{method} {path}: HTTP {response.status_code}", response.status_code, detail)
        try:
            return response.json()
        except ValueError as error:
            raise PortalError(f"{method} {path}: not JSON") from error

    # --- reference data ---------------------------------------------------------------------

    async def categories(self) -> dict[str, dict]:
        """Active categories by code: names, department code, needs_location, public_by_default."""

        async def load() -> dict[str, dict]:
            return {row["code"]: row for row in await self._request("GET", "/api/v1/complaints/categories/")}

        return await _cached(("categories", self.config.url), self.config.cache_seconds, load)

    async def category_questions(self, code: str, language: str) -> list[dict]:
        """The category's Open311 attributes, in order, worded in the language."""
        locale = "en" if language == "en" else "ko"
        definition = await _cached(
            ("questions", self.config.url, code, locale),
            self.config.cache_seconds,
            lambda: self._request("GET", f"/open311/v2/services/{quote(code)}.json", params={"locale": locale}),
        )
        return sorted(definition.get("attributes", []), key=lambda attribute: attribute.get("order", 0))

    async def departments(self) -> list[dict]:
        return await _cached(
            ("departments", self.config.url),
            self.config.cache_seconds,
            lambda: self._request("GET", "/api/v1/departments/"),
        )

    # --- live data ---------------------------------------------------------------------------

    async def rivers(self, language: str) -> list[dict]:
        """The city's rivers (GET /api/v1/rivers/): each walkway open or closed and why, its stations'
        levels now and each entrance open or closed, worded in the language. Not cached: a walkway
        closes the minute the water reaches its level."""
        return await self._request("GET", "/api/v1/rivers/", language=language)

    async def trails(self, language: str, **filters) -> list[dict]:
        """The city's published trails (GET /api/v1/trails/) with their figures, closures in force and
        markers, in the language; filters as the API takes them (max_minutes, open, ...). Not cached:
        closures begin and end at any time."""
        params = {"lang": language, "limit": 100, **filters}
        return (await self._request("GET", "/api/v1/trails/", params=params, language=language))["results"]

    async def car_parks(self, language: str) -> list[dict]:
        """The city's car parks (GET /api/v1/mobility/car-parks/) with free spaces now, live or
        unknown as the portal judges them. Not cached: the counts change by the minute."""
        return await self._request("GET", "/api/v1/mobility/car-parks/", language=language)

    async def stops_named(self, words: str, language: str) -> list[dict]:
        """Bus stops and stations whose name has the words (GET /api/v1/mobility/stops/?q=)."""
        return await self._request("GET", "/api/v1/mobility/stops/", params={"q": words[:50]}, language=language)

    async def stop_arrivals(self, stop_id: str, language: str) -> dict:
        """A stop's arrivals, live or scheduled, with the day's last departures. Not cached here:
        the portal keeps them for the provider's sake."""
        return await self._request(
            "GET", f"/api/v1/mobility/stops/{quote(stop_id, safe='')}/arrivals", language=language
        )

    async def dataset_records(self, name: str, limit: int = 1000) -> list[dict]:
        """The rows of an open dataset's first table, through the portal's CKAN API (package_show,
        then datastore_search); cached like the reference data. A dataset the city does not publish,
        or one without a table, is a PortalError with status 404."""

        async def load() -> list[dict]:
            package = await self._request("GET", "/api/3/action/package_show", params={"id": name})
            resources = package.get("result", {}).get("resources", [])
            table = next((resource for resource in resources if resource.get("datastore_active")), None)
            if table is None:
                raise PortalError(f"dataset {name}: no table", status=404)
            found = await self._request(
                "GET", "/api/3/action/datastore_search", params={"resource_id": table["id"], "limit": limit}
            )
            return found.get("result", {}).get("records", [])

        return await _cached(("dataset", self.config.url, name), self.config.cache_seconds, load)

    async def similar_open_cases(
        self, category: str, *, latitude: float | None = None, longitude: float | None = None, address: str = ""
    ) -> list[dict]:
        params: dict[str, Any] = {"category": category}
        if latitude is not None and longitude is not None:
            params.update(latitude=latitude, longitude=longitude)
        else:
            params["address"] = address
        # With its key the bot is limited as one client of its own, not with every anonymous caller
        # of the same address (the action server asks for all the residents it talks to).
        return await self._request(
            "GET", "/api/v1/complaints/nearby/", params=params, authenticated=bool(self.config.api_key)
        )

    # --- cases -------------------------------------------------------------------------------

    async def complaint_file(self, body: dict, language: str) -> dict:
        return await self._request("POST", "/api/v1/complaints/", json=body, language=language, authenticated=True)

    async def case_status_by_token(self, number: str, token: str, language: str) -> dict:
        self._check_number(number)
        return await self._request("GET", f"/api/v1/complaints/{number}/", params={"token": token}, language=language)

    async def case_status_by_phone(self, number: str, last_digits: str, language: str) -> dict:
        self._check_number(number)
        return await self._request(
            "POST",
            f"/api/v1/complaints/{number}/status-by-phone/",
            json={"phone_last_digits": last_digits},
            language=language,
            authenticated=True,
        )

    @staticmethod
    def _check_number(number: str) -> None:
        # Only a well-formed number goes into a URL path.
        if not CASE_NUMBER.fullmatch(number or ""):
            raise PortalError(f"not a case number: {number!r}", status=404)
