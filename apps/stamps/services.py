"""The stamp tour's rules: a stamp only for a fresh scan proof of a stamp point, a certificate only
for a passport that shows every stamp of the course, verified once by staff, every staff look logged."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.municipalities.models import Municipality
from apps.places.codes import ALPHABET
from apps.places.scan import scan_proof_read
from apps.places.selectors import place_by_code
from apps.stamps import selectors
from apps.stamps.models import Certificate, CertificateCheck
from apps.stamps.tokens import Stamp, passport_id_of, passport_new, stamp_read, stamp_sign
from apps.trails.models import TrailPage

# A scan made offline is confirmed with the time it was made, if that is no older than this.
OFFLINE_SCAN_KEPT = timedelta(days=7)
# More tokens than any course has stamp points (a course has a few dozen markers at most).
MAX_TOKENS = 100
CODE_ATTEMPTS = 8


class StampError(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class IssuedStamp:
    passport: str  # the phone's passport, new if it had none
    token: str
    stamp: Stamp
    course_points: int  # stamp points on the course


def stamp_issue(*, proof: object, passport: object = None, scanned_at: datetime | None = None) -> IssuedStamp:
    """A signed stamp for the passport (a new passport when the phone has none) from a proof that
    the marker's QR address was opened; `scanned_at`, for a scan made offline, is kept when it lies
    between a week ago and the proof."""
    scan = scan_proof_read(proof)
    if scan is None:
        raise StampError(_("This stamp could not be confirmed. Scan the QR code on the marker again."), code="proof")
    place = place_by_code(scan.code)
    marker = selectors.stamp_point_of(place) if place is not None else None
    if marker is None:
        raise StampError(_("This marker is not a stamp point."), code="not_a_stamp_point")
    if passport in (None, ""):
        passport = passport_new()
    passport_id = passport_id_of(passport)
    if passport_id is None:
        raise StampError(_("This phone's stamp passport is not valid."), code="passport")
    at = scan.at
    if scanned_at is not None and scan.at - OFFLINE_SCAN_KEPT <= scanned_at <= scan.at:
        at = scanned_at
    stamp = Stamp(passport_id=passport_id, code=place.code, trail_id=marker.page_id, at=at)
    return IssuedStamp(
        passport=passport,
        token=stamp_sign(stamp),
        stamp=stamp,
        course_points=len(selectors.course_stamp_codes(marker.page)),
    )


def _municipality_of(trail: TrailPage) -> Municipality:
    site = trail.get_site()
    city = Municipality.objects.filter(site=site).first() if site else None
    return city or Municipality.objects.get(code=settings.DEFAULT_MUNICIPALITY)


def _certificate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(selectors.CERTIFICATE_CODE_LENGTH))


def certificate_request(*, passport: object, trail_id: object, tokens: object) -> Certificate:
    """The course's certificate for this passport, issued once every stamp point's token is shown:
    the same certificate when asked again. Every token must be this server's, for this passport and
    this course, or nothing is issued."""
    passport_id = passport_id_of(passport)
    if passport_id is None:
        raise StampError(_("This phone's stamp passport is not valid."), code="passport")
    trail = selectors.stamp_course(trail_id)
    if trail is None:
        raise StampError(_("This course has no stamp tour."), code="course")
    if not isinstance(tokens, list) or not 0 < len(tokens) <= MAX_TOKENS:
        raise StampError(_("Show the stamps of this course."), code="stamps")
    stamps = [stamp_read(token) for token in tokens]
    if any(stamp is None or stamp.passport_id != passport_id or stamp.trail_id != trail.pk for stamp in stamps):
        raise StampError(_("A stamp on this phone is not valid for this passport and course."), code="stamp_invalid")
    required = selectors.course_stamp_codes(trail)
    if not required:
        raise StampError(_("This course has no stamp tour."), code="course")
    if missing := required - {stamp.code for stamp in stamps}:
        raise StampError(
            _("%(count)s stamps of this course are still missing.") % {"count": len(missing)}, code="incomplete"
        )
    existing = Certificate.objects.filter(passport_id=passport_id, course=trail).first()
    if existing is not None:
        return existing
    completed_at = max(stamp.at for stamp in stamps if stamp.code in required)
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    municipality=_municipality_of(trail),
                    code=_certificate_code(),
                    course=trail,
                    course_title=trail.title,
                    passport_id=passport_id,
                    stamps=len(required),
                    completed_at=completed_at,
                )
        except IntegrityError:
            # The same passport asking twice at once, or a code already given: the first wins.
            existing = Certificate.objects.filter(passport_id=passport_id, course=trail).first()
            if existing is not None:
                return existing
    raise IntegrityError("no free certificate code after several attempts")


def certificate_check_record(
    *, code_typed: str, certificate: Certificate | None, user: AbstractBaseUser, action: str, ip_address: str | None
) -> CertificateCheck:
    """Log that a staff member looked a certificate code up or verified it."""
    return CertificateCheck.objects.create(
        certificate=certificate, code_typed=code_typed[:20], user=user, action=action, ip_address=ip_address or None
    )


def certificate_verify(certificate: Certificate, *, user: AbstractBaseUser, ip_address: str | None) -> Certificate:
    """The tourist office has seen the certificate: verified once (the first verification stands), logged."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.verified_at is None:
            locked.verified_at, locked.verified_by = timezone.now(), user
            locked.save(update_fields=["verified_at", "verified_by"])
        certificate_check_record(
            code_typed=locked.code,
            certificate=locked,
            user=user,
            action=CertificateCheck.Action.VERIFY,
            ip_address=ip_address,
        )
    return locked
