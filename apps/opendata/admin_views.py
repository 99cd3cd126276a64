"""The editors' side of open data in the Wagtail admin: a resource's page (upload a new version,
watch it load, read its history) and the status the page polls.

Thin: every view starts from selectors.dataset_list_for_editor, so a dataset of another department is absent
(404) on every route, and every change goes through a service.
"""

from functools import cached_property

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from apps.opendata import selectors, services
from apps.opendata.admin_forms import VersionUploadForm
from apps.opendata.ingest import ENCODING_LABELS
from apps.opendata.models import Resource, ResourceVersion

CHANGE_PERMISSION = "opendata.change_dataset"
# Room for the note and the schema next to the file in the same request.
FORM_FIELDS_BYTES = 128 * 1024
Status = ResourceVersion.Status


def version_progress(version: ResourceVersion) -> dict:
    """Where a version's load is, in words for the editor and a percentage when one is known."""
    percent = None
    if version.status == Status.QUEUED:
        phase, message = "waiting", _("Waiting for the loader to start…")
    elif version.status == Status.PROCESSING and not version.utf8_csv:
        phase = "checking"
        if version.bytes_read and version.size:
            percent = min(99, 100 * version.bytes_read // version.size)
        message = _("Checking the file: %(read)s of %(size)s read.") % {
            "read": filesizeformat(version.bytes_read),
            "size": filesizeformat(version.size),
        }
    elif version.status == Status.PROCESSING:
        phase = "loading"
        try:
            copy_size = version.utf8_csv.size
        except OSError:  # removed by a restart in between
            copy_size = 0
        if copy_size:
            percent = min(99, 100 * version.bytes_read // copy_size)
        message = _("Loading rows: %(rows)s loaded.") % {"rows": f"{version.row_count:,}"}
    elif version.status == Status.READY:
        phase, percent = "done", 100
        message = _("Published: %(rows)s rows.") % {"rows": f"{version.row_count:,}"}
    else:
        phase, message = "failed", version.error
    return {
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "phase": phase,
        "percent": percent,
        "bytes_read": version.bytes_read,
        "size": version.size,
        "row_count": version.row_count,
        "message": message,
        "done": version.status in (Status.READY, Status.FAILED),
    }


class EditorPermissionMixin:
    """Editors with the change permission on datasets, and only for their departments' resources."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def resource(self) -> Resource:
        resource = selectors.resource_get_for_editor(user=self.request.user, resource_id=self.kwargs["resource_id"])
        if resource is None:
            raise Http404
        return resource


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size: see there
class ResourceView(EditorPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "opendata/admin/resource.html"
    header_icon = "table"

    def get_page_title(self):
        return self.resource.name

    def get_page_subtitle(self):
        return self.resource.dataset.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("opendata_datasets:index"), "label": _("Datasets")},
            {
                "url": reverse("opendata_datasets:edit", args=[self.resource.dataset_id]),
                "label": self.resource.dataset.title,
            },
            {"url": "", "label": self.resource.name},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Edit the dataset"),
                url=reverse("opendata_datasets:edit", args=[self.resource.dataset_id]),
                icon_name="edit",
            )
        ]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The size is checked before the body is read: the CSRF check reads it, so it runs after.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > services.upload_limit_bytes() + FORM_FIELDS_BYTES:
            refused = services.upload_too_large_message(length)
            return self.render_to_response(self.get_context_data(refused=refused), status=413)
        return csrf_protect(self.upload)(request)

    def upload(self, request: HttpRequest) -> HttpResponse:
        form = VersionUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.resource_version_upload(
                    resource=self.resource,
                    upload=form.cleaned_data["file"],
                    uploaded_by=request.user,
                    note=form.cleaned_data["note"],
                    schema=form.cleaned_data["schema"],
                )
            except services.OpenDataError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Version %(number)s was uploaded and is being loaded.") % {"number": version.number}
                )
                return redirect("opendata_admin:resource", resource_id=self.resource.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(self.resource.versions.select_related("uploaded_by").order_by("-number"))
        for version in versions:
            version.encoding_label = ENCODING_LABELS.get(version.encoding, version.encoding)
            version.download_url = reverse(
                "opendata-file-version", kwargs={"resource_id": self.resource.pk, "number": version.number}
            )
        latest = versions[0] if versions else None
        loading = latest if latest and latest.status in (Status.QUEUED, Status.PROCESSING) else None
        context.update(
            resource=self.resource,
            dataset=self.resource.dataset,
            takes_files=self.resource.kind == Resource.Kind.FILE and self.resource.format in services.EXTENSIONS,
            extensions=", ".join(services.EXTENSIONS.get(self.resource.format, ())),
            limit=filesizeformat(services.upload_limit_bytes(self.resource)),
            limit_bytes=services.upload_limit_bytes(self.resource),
            form=kwargs.get("form") or VersionUploadForm(),
            refused=kwargs.get("refused", ""),
            versions=versions,
            loading=loading,
            progress=version_progress(loading) if loading else None,
            status_url=reverse(
                "opendata_admin:version-status", kwargs={"resource_id": self.resource.pk, "number": loading.number}
            )
            if loading
            else "",
        )
        return context


class VersionStatusView(EditorPermissionMixin, View):
    """What the resource page polls while a version loads."""

    def get(self, request: HttpRequest, resource_id, number: int) -> JsonResponse:
        version = self.resource.versions.filter(number=number).first()
        if version is None:
            raise Http404
        return JsonResponse(version_progress(version), headers={"Cache-Control": "no-store"})
