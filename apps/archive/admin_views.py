"""The moderators' queue of contributions: the waiting ones first, each with its photo, story and
the contributor's choices; a decision (approve, ask for changes, refuse with a note the contributor
reads) goes through apps/archive/contributions.py. Seeing the contributor's contact is logged.
And an item's files: its images, PDF, film and recording."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from apps.archive import contributions, services
from apps.archive.contribution_forms import DecisionForm
from apps.archive.files import ArchiveFileError
from apps.archive.models import Contribution, Item
from apps.archive.selectors import iiif_image_url

MODERATE = "archive.change_contribution"
EDIT_ITEMS = "archive.change_item"
MAX_IMAGES_AT_ONCE = 50


class MultipleImagesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImagesField(forms.FileField):
    """Several files from one input (Django's documented way), at most MAX_IMAGES_AT_ONCE."""

    widget = MultipleImagesInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/tiff"})

    def clean(self, data, initial=None):
        uploads = (
            [upload for upload in (data or []) if upload] if isinstance(data, list | tuple) else [data] if data else []
        )
        if len(uploads) > MAX_IMAGES_AT_ONCE:
            raise forms.ValidationError(_("At most %(limit)s images at once.") % {"limit": MAX_IMAGES_AT_ONCE})
        return [super(MultipleImagesField, self).clean(upload, initial) for upload in uploads]


CONTACT_SHOWN_ACTION = "archive.contribution_contact_shown"
QUEUE_SHOWN = 100


class ModeratorMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm(MODERATE):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ContributionQueueView(ModeratorMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "archive/admin/contributions.html"
    page_title = gettext_lazy("Archive contributions")

    def get_context_data(self, **kwargs) -> dict:
        waiting = Contribution.objects.filter(status=Contribution.Status.WAITING).order_by("created_at")
        decided = Contribution.objects.exclude(status=Contribution.Status.WAITING).order_by("-updated_at")
        return super().get_context_data(**kwargs) | {
            "waiting": waiting[:QUEUE_SHOWN],
            "decided": decided[:QUEUE_SHOWN],
        }


class ContributionModerateView(ModeratorMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "archive/admin/contribution.html"
    page_title = gettext_lazy("Contribution")

    @cached_property
    def contribution(self) -> Contribution:
        found = Contribution.objects.select_related("item", "decided_by").filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("archive_contributions"), "label": _("Archive contributions")},
            {"url": "", "label": self.contribution.title},
        ]

    def get_context_data(self, **kwargs) -> dict:
        contribution = self.contribution
        if contribution.contact_name or contribution.contact_email:
            log(contribution, CONTACT_SHOWN_ACTION, user=self.request.user)
        return super().get_context_data(**kwargs) | {
            "contribution": contribution,
            "form": kwargs.get("form") or DecisionForm(),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "approve":
                item = contributions.contribution_approve(self.contribution, user=request.user)
                messages.success(
                    request, _("Published as archive item %(identifier)s.") % {"identifier": item.identifier}
                )
            elif decision == "changes":
                contributions.contribution_ask_changes(self.contribution, user=request.user, note=note)
                messages.success(request, _("The contributor is asked for changes."))
            else:
                contributions.contribution_refuse(self.contribution, user=request.user, reason=note)
                messages.success(request, _("The contribution is refused; the contributor sees your reason."))
        except contributions.ContributionError as error:
            form.add_error(None, error.messages)
            status = 409 if error.code == "decided" else 400
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return HttpResponseRedirect(reverse("archive_contributions"))


def contribution_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A contribution's photo, for moderators only (it is not public before approval)."""
    if not request.user.has_perm(MODERATE):
        return permission_denied(request)
    found = Contribution.objects.filter(pk=pk).exclude(photo="").first()
    if found is None:
        raise Http404
    response = FileResponse(found.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ItemFilesForm(forms.Form):
    """One of the item's files at a time: images to add, or its PDF, film or recording."""

    images = MultipleImagesField(
        label=gettext_lazy("Add images (JPEG, PNG, WebP or TIFF scans; camera data is removed)"), required=False
    )
    pdf = forms.FileField(label=gettext_lazy("PDF document (its pages become the item's images)"), required=False)
    video = forms.FileField(label=gettext_lazy("Film (MP4, H.264)"), required=False)
    recording = forms.FileField(label=gettext_lazy("Recording (WAV or M4A)"), required=False)

    def clean(self):
        data = super().clean()
        given = [name for name in ("images", "pdf", "video", "recording") if data.get(name)]
        if len(given) != 1:
            raise forms.ValidationError(_("Choose the images or one file to upload."))
        return data


class ItemFilesView(WagtailAdminTemplateMixin, TemplateView):
    """An item's images in order (move, remove), and its PDF, film and recording: each upload is
    checked by apps/archive/files.py through the services, and refused with the reason."""

    template_name = "archive/admin/item_files.html"
    page_title = gettext_lazy("Item files")

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm(EDIT_ITEMS):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def item(self) -> Item:
        found = Item.objects.filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("wagtailsnippets_archive_item:list"), "label": _("Items")},
            {"url": reverse("wagtailsnippets_archive_item:edit", args=[self.item.pk]), "label": str(self.item)},
            {"url": "", "label": _("Files")},
        ]

    def get_context_data(self, **kwargs) -> dict:
        media = list(self.item.media.order_by("position"))
        return super().get_context_data(**kwargs) | {
            "item": self.item,
            "images": [(one, iiif_image_url(one, 160)) for one in media],
            "form": kwargs.get("form") or ItemFilesForm(),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if action := request.POST.get("image_action"):
            return self._image_action(request, action)
        form = ItemFilesForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            if data["images"]:
                for upload in data["images"]:
                    services.item_image_add(self.item, upload)
                messages.success(request, _("%(count)s images added.") % {"count": len(data["images"])})
            elif data["pdf"]:
                services.item_pdf_set(self.item, data["pdf"])
                messages.success(request, _("The PDF is kept; its pages become the item's images in a few minutes."))
            elif data["video"]:
                services.item_video_set(self.item, data["video"])
                messages.success(request, _("The film is added."))
            else:
                services.item_recording_set(self.item, data["recording"])
                messages.success(request, _("The recording is added."))
        except ArchiveFileError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return HttpResponseRedirect(request.path)

    def _image_action(self, request: HttpRequest, action: str) -> HttpResponse:
        chosen = request.POST.get("image", "")
        media = self.item.media.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 12 else None
        if media is None or action not in ("earlier", "later", "remove"):
            return HttpResponse(status=400)
        if action == "remove":
            services.item_media_remove(media)
        else:
            services.item_media_move(media, earlier=action == "earlier")
        return HttpResponseRedirect(request.path)
