"""What every web form that files a case shares, whichever app shows it (the report form here, the
open-data request and error forms): the per-client limits on filing, the receipt page that shows
the number and tracking link once, and the browser's right to see the photos of cases it filed."""

import math
import time
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.common.ratelimit import Limit, rate_limit_forget, rate_limit_hit
from apps.complaints.models import Complaint
from apps.complaints.services import Submission

REPORT_RATE_SCOPE = "complaint-report"
REPORT_LIMITS = (Limit(count=5, seconds=10 * 60), Limit(count=20, seconds=24 * 60 * 60))
RECEIPT_SESSION_KEY = "complaints_receipt"
# Long enough to survive a reload of the receipt; short enough not to linger on a shared computer.
RECEIPT_LIFETIME_SECONDS = 10 * 60
TRACKED_CASES_SESSION_KEY = "complaints_tracked"


def reporter_remember(request: HttpRequest, complaint: Complaint) -> None:
    """This browser proved it holds the case's tracking token (or just filed it): let it see the
    case's photos without repeating the token in every image address."""
    tracked = set(request.session.get(TRACKED_CASES_SESSION_KEY, []))
    if complaint.pk not in tracked:
        request.session[TRACKED_CASES_SESSION_KEY] = sorted(tracked | {complaint.pk})


def counted_as_filing(file: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the part of a view that files a case: the try is counted against the client's limits
    before anything else, in one step with the check, so tries sent at the same moment cannot all
    pass (the 429 page when the limit is reached). A try that filed nothing (a form error, a
    refused case) is taken back: only a receipt (the redirect) counts. Every form that files a
    case shares these limits."""

    @wraps(file)
    def counted(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if wait := rate_limit_hit(request, scope=REPORT_RATE_SCOPE, limits=REPORT_LIMITS):
            response = render(request, "complaints/rate_limited.html", {"minutes": math.ceil(wait / 60)}, status=429)
            response["Retry-After"] = str(wait)
            return response
        filed = False
        try:
            response = file(request, *args, **kwargs)
            filed = response.status_code == 302
            return response
        finally:
            if not filed:
                rate_limit_forget(request, scope=REPORT_RATE_SCOPE, limits=REPORT_LIMITS)

    return counted


def receipt_redirect(request: HttpRequest, submission: Submission) -> HttpResponse:
    """After a form filed a case: show the number and tracking link once on the receipt page."""
    reporter_remember(request, submission.complaint)
    request.session[RECEIPT_SESSION_KEY] = {
        "number": submission.complaint.number,
        "token": submission.tracking_token,
        "until": time.time() + RECEIPT_LIFETIME_SECONDS,
    }
    return redirect("complaints:received")
