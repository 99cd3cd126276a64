"""Staff screens of the river area beyond the model listings: the walkway board (close a walkway,
reopen it after checking it is safe, open or close one entrance's gate; each logged with who, when
and why), and a new device's token, shown once."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import CreateView, WagtailAdminTemplateMixin

from apps.places.print_sheet import print_sheet_svg
from apps.places.selectors import place_permanent_url
from apps.rivers import selectors, services
from apps.rivers.models import GateChange, River, RiverDevice, RiverEntrance, WalkwayClosure, WaterLevelStation
from apps.rivers.pages import RiverPointPage

OPERATE = "rivers.operate_walkway"


class WalkwayCloseForm(forms.Form):
    river = forms.ModelChoiceField(River.objects.all(), widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Why (shown to residents)"), max_length=300)


class WalkwayReopenForm(forms.Form):
    river = forms.ModelChoiceField(River.objects.all(), widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("How you confirmed it is safe"), max_length=300)


class GateForm(forms.Form):
    entrance = forms.ModelChoiceField(RiverEntrance.objects.all(), widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=[("closed", gettext_lazy("Close")), ("open", gettext_lazy("Open"))])
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=300)


ACTIONS = {"close": WalkwayCloseForm, "reopen": WalkwayReopenForm, "gate": GateForm}


class WalkwayBoardView(WagtailAdminTemplateMixin, TemplateView):
    """Every river with its walkway, its stations' levels now and each entrance; the actions post
    back here and run through apps.rivers.services, which log them."""

    template_name = "rivers/admin/walkways.html"
    page_title = gettext_lazy("River walkways")

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm(OPERATE):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs) | {"states": selectors.river_states(River.objects.all())}

    def post(self, request: HttpRequest) -> HttpResponse:
        form_class = ACTIONS.get(request.POST.get("action", ""))
        form = form_class(request.POST) if form_class else None
        if form is None or not form.is_valid():
            messages.error(request, _("Fill in every field: staff actions on walkways are logged with the reason."))
            return HttpResponseRedirect(reverse("rivers_walkways"))
        values = form.cleaned_data
        try:
            if form_class is WalkwayCloseForm:
                closed = services.walkway_close(
                    values["river"], cause=WalkwayClosure.Cause.STAFF, reason_ko=values["reason"], user=request.user
                )
                if closed is None:
                    messages.warning(request, _("The walkway was closed already."))
                else:
                    messages.success(request, _("The walkway of %(river)s is closed.") % {"river": values["river"]})
            elif form_class is WalkwayReopenForm:
                services.walkway_reopen(values["river"], user=request.user, note=values["note"])
                messages.success(request, _("The walkway of %(river)s is open again.") % {"river": values["river"]})
            else:
                services.gate_state_set(
                    values["entrance"],
                    closed=values["state"] == "closed",
                    source=GateChange.Source.STAFF,
                    user=request.user,
                    reason=values["reason"],
                )
                messages.success(request, _("The gate of %(entrance)s is set.") % {"entrance": values["entrance"]})
        except services.Refused as refusal:
            messages.error(request, str(refusal))
        return HttpResponseRedirect(reverse("rivers_walkways"))


class RiverDeviceForm(forms.ModelForm):
    station = forms.ModelChoiceField(WaterLevelStation.objects.all(), label=gettext_lazy("Station"), required=False)
    entrance = forms.ModelChoiceField(RiverEntrance.objects.all(), label=gettext_lazy("Entrance"), required=False)

    class Meta:
        model = RiverDevice
        fields = ["name", "station", "entrance"]

    def clean(self) -> dict:
        values = super().clean()
        if bool(values.get("station")) == bool(values.get("entrance")):
            raise forms.ValidationError(
                _("Choose a station (for a level sensor) or an entrance (for a gate system), not both.")
            )
        return values


class RiverDeviceCreateView(CreateView):
    """Makes the device through the service and shows its token on the answer page, the only time
    it is ever shown (only its hash is stored)."""

    def form_valid(self, form) -> HttpResponse:
        device, token = services.river_device_create(
            name=form.cleaned_data["name"], station=form.cleaned_data["station"], entrance=form.cleaned_data["entrance"]
        )
        return TemplateResponse(
            self.request,
            "rivers/admin/device_token.html",
            {"device": device, "token": token, "index_url": self.get_success_url()},
        )


def guide_print_sheet(request: HttpRequest, page_id: int) -> HttpResponse:
    """The QR labels of every live guide point of the river this point is on, north to south."""
    point = RiverPointPage.objects.filter(pk=page_id).select_related("river").first()
    if point is None:
        raise Http404
    if not point.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    points = (
        RiverPointPage.objects.live()
        .filter(river=point.river, locale__language_code="ko", place__isnull=False)
        .select_related("place")
        .order_by("-latitude")
    )
    english = dict(
        RiverPointPage.objects.filter(translation_key__in=[page.translation_key for page in points])
        .filter(locale__language_code="en")
        .values_list("translation_key", "title")
    )
    labels = [
        {
            "number": number,
            "name_ko": page.title,
            "name_en": english.get(page.translation_key, ""),
            "code": page.place.code,
            "url": place_permanent_url(page.place),
        }
        for number, page in enumerate(points, start=1)
    ]
    title = _("QR codes of the guide points of %(river)s") % {"river": point.river.name}
    svg = print_sheet_svg(title=title, group=point.river.name_ko, labels=labels)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{point.river.slug}-guide-qr-codes.svg"'
    return response
