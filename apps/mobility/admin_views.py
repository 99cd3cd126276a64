"""Staff screens of the parking area beyond the model listings: importing a standard file with its
result (rows loaded, each refused row with its line and reason), and a new sensor device's token,
shown once."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import CreateView, WagtailAdminTemplateMixin

from apps.mobility.models import CarPark, SensorDevice
from apps.mobility.services import car_parks_import, sensor_device_create
from apps.municipalities.models import Municipality

# The national file for the whole country is about 20 MB; a city's is far smaller.
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    municipality = forms.ModelChoiceField(Municipality.objects.all(), label=_("Municipality"))
    file = forms.FileField(
        label=_("전국주차장정보표준데이터 file (CSV, CP949 or UTF-8)"),
        help_text=_("Rows are matched by 주차장관리번호: importing the same file again changes nothing."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class CarParkImportView(WagtailAdminTemplateMixin, FormView):
    """Runs the import at once (a city's file is read in seconds) and shows what it did."""

    form_class = ImportForm
    template_name = "mobility/admin/import.html"
    page_title = _("Import car parks")

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm("mobility.add_carpark"):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {"municipality": Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()}

    def form_valid(self, form: ImportForm) -> HttpResponse:
        report = car_parks_import(form.cleaned_data["municipality"], form.cleaned_data["file"].read())
        return self.render_to_response(self.get_context_data(form=form, report=report))


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
    car_park = forms.ModelChoiceField(CarPark.objects.select_related("place"), label=_("Car park"))

    class Meta:
        model = SensorDevice
        fields = ["car_park", "name"]
