"""Staff screens of the parking area beyond the model listings: uploading a standard file and
watching its import run in the worker (rows done of the total, then each refused row with its line
and reason), and a new sensor device's token, shown once."""

from functools import cached_property

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import CreateView, WagtailAdminTemplateMixin

from apps.mobility.models import CarPark, CarParkImport, SensorDevice
from apps.mobility.services import (
    ImportRefused,
    car_park_import_rerun,
    car_park_import_upload,
    sensor_device_create,
)
from apps.municipalities.models import Municipality

IMPORT_PERMISSION = "mobility.add_carpark"
RECENT_IMPORTS = 10
Status = CarParkImport.Status


def import_progress(job: CarParkImport) -> dict:
    """Where an import is, in words for staff, with rows done of the total once they are known."""
    percent = None
    if job.status == Status.QUEUED:
        message = _("Waiting for the importer to start…")
    elif job.status == Status.PROCESSING and not job.rows_total:
        message = _("Reading the file…")
    elif job.status == Status.PROCESSING:
        percent = min(99, 100 * job.rows_done // job.rows_total)
        message = _("Importing: %(done)s of %(total)s rows.") % {
            "done": f"{job.rows_done:,}",
            "total": f"{job.rows_total:,}",
        }
    elif job.status == Status.DONE:
        percent = 100
        message = _("%(created)s added, %(updated)s updated, %(unchanged)s unchanged, %(refused)s rows refused.") % {
            "created": job.added,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "refused": job.problem_count,
        }
    else:
        message = job.error
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "percent": percent,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "message": message,
        "done": job.status in (Status.DONE, Status.FAILED),
    }


class ImportPermissionMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def job(self) -> CarParkImport:
        job = CarParkImport.objects.select_related("municipality", "uploaded_by").filter(pk=self.kwargs["pk"]).first()
        if job is None:
            raise Http404
        return job


class ImportForm(forms.Form):
    municipality = forms.ModelChoiceField(Municipality.objects.all(), label=gettext_lazy("Municipality"))
    file = forms.FileField(
        label=gettext_lazy("전국주차장정보표준데이터 file (CSV, CP949 or UTF-8)"),
        help_text=gettext_lazy("Rows are matched by 주차장관리번호: importing the same file again changes nothing."),
    )


class CarParkImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """The upload form and the latest imports. The file is checked and stored here; the worker
    imports it, and the import's own page shows how far it is."""

    form_class = ImportForm
    template_name = "mobility/admin/import.html"
    page_title = gettext_lazy("Import car parks")

    def get_initial(self) -> dict:
        return {"municipality": Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            imports=CarParkImport.objects.select_related("uploaded_by")[:RECENT_IMPORTS], **kwargs
        )

    def form_valid(self, form: ImportForm) -> HttpResponse:
        try:
            job = car_park_import_upload(
                form.cleaned_data["municipality"], form.cleaned_data["file"], uploaded_by=self.request.user
            )
        except ImportRefused as refusal:
            form.add_error("file", str(refusal))
            return self.form_invalid(form)
        return redirect("mobility_import_detail", pk=job.pk)

    def form_invalid(self, form: ImportForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CarParkImportDetailView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """One import: its progress while it waits or runs, then its result, and a button to run it again."""

    template_name = "mobility/admin/import_detail.html"

    def get_page_title(self) -> str:
        return _("Import of %(name)s") % {"name": self.job.original_name}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("mobility_import"), "label": _("Import car parks")},
            {"url": "", "label": self.job.original_name},
        ]

    def get_context_data(self, **kwargs):
        language = "ko" if translation.get_language() == "ko" else "en"
        return super().get_context_data(
            job=self.job,
            running=self.job.status in (Status.QUEUED, Status.PROCESSING),
            progress=import_progress(self.job),
            status_url=reverse("mobility_import_status", args=[self.job.pk]),
            problems=[{"line": problem["line"], "reason": problem[language]} for problem in self.job.problems],
            **kwargs,
        )


class CarParkImportStatusView(ImportPermissionMixin, View):
    """What the import's page polls while it runs."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        return JsonResponse(import_progress(self.job), headers={"Cache-Control": "no-store"})


class CarParkImportRerunView(ImportPermissionMixin, View):
    """Runs a finished or failed import again from its stored file."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        car_park_import_rerun(self.job)
        return redirect("mobility_import_detail", pk=self.job.pk)


class SensorDeviceCreateView(CreateView):
    """Makes the device through the service and shows its token on the answer page, the only time
    it is ever shown (only its hash is stored)."""

    def save_instance(self) -> SensorDevice:
        device, self.token = sensor_device_create(
            self.form.cleaned_data["car_park"], name=self.form.cleaned_data["name"]
        )
        return device

    def form_valid(self, form) -> HttpResponse:
        self.form = form
        device = self.save_instance()
        return TemplateResponse(
            self.request,
            "mobility/admin/device_token.html",
            {"device": device, "token": self.token, "index_url": self.get_success_url()},
        )


class SensorDeviceForm(forms.ModelForm):
    car_park = forms.ModelChoiceField(CarPark.objects.select_related("place"), label=gettext_lazy("Car park"))

    class Meta:
        model = SensorDevice
        fields = ["car_park", "name"]
