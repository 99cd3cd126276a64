import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.municipalities.models import Department, Municipality


class Category(models.Model):
    """A kind of complaint, published as an Open311 service. The department is where new cases
    are routed by default; staff may still route a single case elsewhere."""

    class Kind(models.TextChoices):
        # The three legal kinds of 민원 under the Civil Petitions Act.
        GRIEVANCE = "grievance", _("Grievance (고충)")
        SUGGESTION = "suggestion", _("Suggestion (건의)")
        INQUIRY = "inquiry", _("Inquiry (질의)")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="categories"
    )
    code = models.SlugField(_("code"), max_length=60)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    # For visitors reading the site in Japanese or Chinese (tourists filing a report); blank: English.
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("routed to"), on_delete=models.PROTECT, related_name="categories"
    )
    kind = models.CharField(_("legal kind"), max_length=20, choices=Kind.choices)
    processing_days = models.PositiveSmallIntegerField(_("processing period (working days)"))
    needs_location = models.BooleanField(_("needs a location"))
    public_by_default = models.BooleanField(_("public by default"))
    example_ko = models.CharField(_("example report (Korean)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["municipality", "name_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="category_code_unique_per_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en, ja=self.name_ja, zh_hans=self.name_zh_hans)


class ComplaintSequence(models.Model):
    """The last case number given out in a city in a year; cases are numbered 2026-000001 on."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="one_sequence_per_city_year")]

    def __str__(self) -> str:
        return f"{self.year}-{self.last:06d}"


class Complaint(models.Model):
    """One 민원: what a resident reported, where it is routed, and where it stands."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED_UNFIXED = "closed_unfixed", _("Closed without a fix")
        TRANSFERRED = "transferred", _("Transferred")
        # 이송 to an outside agency (한국전력공사, 경기도청...): finished here, the agency answers.
        TRANSFERRED_OUT = "transferred_out", _("Transferred to another agency")
        DUPLICATE = "duplicate", _("Duplicate")
        REOPENED = "reopened", _("Reopened")

    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        CHAT = "chat", _("Chatbot")
        API = "api", _("Open311 API")

    # No index of their own for the city, category and department: each leads one of Meta.indexes or
    # the number's constraint, and every index is one more write per filing.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, db_index=False
    )
    number = models.CharField(_("case number"), max_length=20)
    tracking_token_hash = models.CharField(max_length=64, editable=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, db_index=False)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="complaints", db_index=False
    )
    description = models.TextField(_("description"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    # The 행정동, from the reporter's choice or a place name in the address; blank when unknown.
    dong = models.CharField(_("administrative dong"), max_length=40, blank=True)
    attributes = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10, default="ko")
    # Contact details exist only with consent; the purpose shown at consent is kept with it.
    contact_name = models.CharField(_("name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    contact_consent_purpose = models.CharField(_("purpose shown at consent"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("received at"))
    due_date = models.DateField(_("answer due"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transferred_to_agency = models.CharField(_("transferred to agency"), max_length=150, blank=True)
    # The reporter's rating of the latest answer.
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        permissions = [
            ("view_all_complaints", _("Can see the cases of every department")),
            ("view_complaint_contact", _("Can see reporters' contact details")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="complaint_number_unique_per_city")
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            models.Index(fields=["category", "status", "received_at"]),
            # A city's newest cases first: Open311 and the public case list.
            models.Index(fields=["municipality", "-received_at"]),
            # The staff inbox's order, so its first page reads 50 index entries instead of sorting
            # every case the city-wide role may see.
            models.Index(fields=["-received_at", "-id"], name="complaint_inbox_newest_first"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


# The statuses in which the city still owes the reporter an answer: staff act on these cases, their
# deadlines run, Open311 calls them "open". The one definition; services.TRANSITIONS agrees with it.
OPEN_STATUSES = frozenset(
    {
        Complaint.Status.RECEIVED,
        Complaint.Status.ACCEPTED,
        Complaint.Status.TRANSFERRED,
        Complaint.Status.REOPENED,
    }
)


class ComplaintEvent(models.Model):
    """One line of a case's history: who did what, when, and what the reporter may see of it."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        NOTE = "note", _("Internal note")
        DEADLINE = "deadline", _("Deadline extended")
        RATING = "rating", _("Rated by the reporter")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Complaint.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Complaint.Status.choices, blank=True)
    message = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)
    # No user means the reporter (a reopening) or the system (a submission).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_kind_display()} {self.to_status}".strip()


class CategoryQuestion(models.Model):
    """An extra question a category asks (an Open311 attribute), e.g. the licence plate of a parked car."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One choice")
        MULTI = "multivaluelist", _("Several choices")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=60)
    datatype = models.CharField(_("answer type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    description_ko = models.CharField(_("question (Korean)"), max_length=200)
    description_en = models.CharField(_("question (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    # [{"key": "...", "name_ko": "...", "name_en": "..."}] for the list types.
    values = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["category", "order"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="question_code_unique_per_category")]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.code}"

    @property
    def description(self) -> str:
        return pick_language(self.description_ko, self.description_en)


class ApiClient(models.Model):
    """A system allowed to file cases through the APIs (an Open311 app, the chatbot). Only a hash
    of its key is stored; the key itself is shown once, when it is made."""

    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Set only for clients that ask residents for consent themselves; their contact fields are kept
    # with this purpose. Other clients' contact fields are dropped.
    consent_purpose = models.CharField(_("purpose residents consent to"), max_length=300, blank=True)
    # A privilege of this client, never of its name: `manage.py prepare` gives it to the chatbot's.
    can_look_up_by_phone = models.BooleanField(_("may look up cases by the reporter's phone digits"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="complaints_apiclient_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message owed to a reporter about one public event of their case.

    Written in the same transaction as the event, so it survives a broker that is down; sent by
    Celery after commit, or by the periodic sweep; claimed before sending, so two workers never
    send it at once. A claim is a lease: one held longer than NOTIFICATION_SEND_LEASE_SECONDS (its
    worker died mid-send) is taken back by the sweep, since a reporter told twice is better than one
    never told.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS / 알림톡")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(ComplaintEvent, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="one_notification_per_event_channel")]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event.complaint} {self.channel} {self.state}"


def _private_storage():
    return storages["private"]


def _photo_path(instance: "Photo", filename: str) -> str:
    return f"complaints/{instance.uploaded_at:%Y/%m}/{instance.uuid}.jpg"


class Photo(models.Model):
    """A picture of the problem, re-encoded without its metadata (EXIF, GPS) when it arrived.

    Kept out of the public media folder: it is served only to whoever may see its case. Uploaded
    before the case exists (by the chatbot) it waits, unattached, until the case is filed with it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        storage=_private_storage, upload_to=_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size = models.PositiveIntegerField(_("bytes"), editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey("ApiClient", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return str(self.uuid)


class ContactAccess(models.Model):
    """A record that a staff member saw a reporter's contact details (개인정보 보호법 access log)."""

    class Route(models.TextChoices):
        CASE_PAGE = "case_page", _("Case page")
        EXPORT = "export", _("CSV export")
        API = "api", _("Staff API")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contact_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=20, choices=Route.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact details access")
        verbose_name_plural = _("contact details accesses")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.complaint} {self.accessed_at:%Y-%m-%d %H:%M}"


class ReplyTemplate(models.Model):
    """A reply staff start from; a department's own, or the whole city's when it has none."""

    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    body_ko = models.TextField(_("reply (Korean)"))
    body_en = models.TextField(_("reply (English)"), blank=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class DeadlineReminder(models.Model):
    """A reminder sent to a department that a case has used half or all of its time; one per stage
    and deadline, so an extended case is reminded again against its new date."""

    class Stage(models.TextChoices):
        HALF = "half", _("Half of the time used")
        DUE = "due", _("Due today")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage", "due_date"], name="one_reminder_per_stage_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.stage} {self.due_date}"
