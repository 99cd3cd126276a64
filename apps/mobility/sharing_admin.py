"""Staff screens of resident-priority sharing: registering a space (its holder's management link is
shown once, only its hash is kept), and a space's page with its offered times and bookings, drivers
masked, and the buttons to approve, refuse or cancel, each one call of sharing_services. Showing a
driver's full contact is one POST whose answer is never stored, and is logged."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import CreateView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from apps.common.client import client_address
from apps.mobility import sharing_selectors, sharing_services
from apps.mobility.models import ResidentSpace, SharingBooking
from apps.mobility.sharing_services import SharingRefused
from apps.places.models import Place

DECIDE_PERMISSION = "mobility.change_sharingbooking"
# Wagtail's audit log (Reports > Site history) records who saw a driver's contact, when and from where.
CONTACT_SHOWN_ACTION = "mobility.sharing_contact_shown"


class ResidentSpaceForm(forms.ModelForm):
    place = forms.ModelChoiceField(
        Place.objects.filter(retired_at__isnull=True).order_by("name_ko"),
        label=_("Place"),
        help_text=_("Where the space is; add a place first if it has none."),
    )

    class Meta:
        model = ResidentSpace
        fields = ["municipality", "place", "zone_name", "holder_name", "holder_phone", "hourly_fee"]


class ResidentSpaceCreateView(CreateView):
    """Registers the space through the service and shows the holder's management link on the answer
    page, the only time it is ever shown (only its hash is stored)."""

    def form_valid(self, form) -> HttpResponse:
        try:
            space, token = sharing_services.resident_space_register(**form.cleaned_data)
        except SharingRefused as refusal:
            form.add_error("place", refusal.message)
            return self.form_invalid(form)
        link = self.request.build_absolute_uri(reverse("mobility:sharing-holder", kwargs={"token": token}))
        return TemplateResponse(
            self.request,
            "mobility/admin/resident_space_link.html",
            {"space": space, "link": link, "index_url": self.get_success_url()},
        )


class ResidentSpaceInspectView(InspectView):
    """A shared space with its offered times and bookings, drivers masked, and the buttons to
    approve, refuse or cancel; a driver's full contact only after "show", which is logged."""

    template_name = "mobility/admin/resident_space.html"
    inspect_url_name = None
    fields = ["zone_name", "place", "municipality", "hourly_fee", "created_at"]
    contact: SharingBooking | None = None

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs) | {
            "slots": sharing_selectors.space_slots(self.object),
            "bookings": sharing_selectors.space_bookings_masked(self.object),
            "contact": self.contact,
            "can_decide": self.request.user.has_perm(DECIDE_PERMISSION),
        }

    def booking_or_404(self) -> SharingBooking:
        """The booking the address names, if it is this space's."""
        booking = self.object.bookings.filter(pk=self.kwargs["booking"]).first()
        if booking is None:
            raise Http404
        return booking


class BookingActionView(ResidentSpaceInspectView):
    """approve, refuse or cancel one booking (POST). Done, back to its space's page; refused, that
    page with the service's reason and 409 when the booking has moved on (400 otherwise), never a
    redirect that would read as a success."""

    http_method_names = ["post"]
    actions = {
        "approve": (sharing_services.booking_approve, _("Booking approved.")),
        "refuse": (sharing_services.booking_refuse, _("Booking refused.")),
        "cancel": (sharing_services.booking_cancel, _("Booking cancelled.")),
    }

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(DECIDE_PERMISSION):
            return permission_denied(request)
        booking = self.booking_or_404()
        if kwargs["action"] not in self.actions:
            raise Http404
        service, done = self.actions[kwargs["action"]]
        try:
            service(booking)
        except SharingRefused as refusal:
            messages.error(request, refusal.message)
            return self.render_to_response(self.get_context_data(), status=409 if refusal.code == "status" else 400)
        messages.success(request, done)
        return redirect(self.inspect_url_name, self.object.pk)


class BookingContactView(ResidentSpaceInspectView):
    """Shows one driver's contact for this one response, and logs that it was seen (as a
    complaint's contact is: who, when, from which address)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(DECIDE_PERMISSION):
            return permission_denied(request)
        self.contact = self.booking_or_404()
        log(
            self.contact,
            CONTACT_SHOWN_ACTION,
            user=request.user,
            data={"route": "space_page", "ip_address": client_address(request) or None},
        )
        response = self.render_to_response(self.get_context_data())
        response["Cache-Control"] = "private, no-store"
        return response


class RegisterAndViewPolicy(ModelPermissionPolicy):
    """Spaces are registered and seen in the admin, not edited or deleted there: every change of a
    space's times and bookings goes through sharing_services, and a deletion would take bookings'
    records with it."""

    def user_has_permission(self, user, action):
        return action in ("add", "view") and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action in ("add", "view")])


# Registered before any viewset asks for the model's policy.
register_permission_policy(ResidentSpace, RegisterAndViewPolicy(ResidentSpace))


class ResidentSpaceViewSet(ModelViewSet):
    model = ResidentSpace
    icon = "key"
    menu_label = _("Resident-priority sharing")
    add_to_admin_menu = False
    add_view_class = ResidentSpaceCreateView
    inspect_view_class = ResidentSpaceInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["zone_name", "place", "hourly_fee", "created_at"]
    search_fields = ["zone_name"]
    search_backend_name = None
    form_fields = ["municipality", "place", "zone_name", "holder_name", "holder_phone", "hourly_fee"]

    def get_form_class(self, for_update=False):
        return ResidentSpaceForm

    def get_inspect_view_kwargs(self, **kwargs) -> dict:
        return super().get_inspect_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_urlpatterns(self) -> list:
        booking = "inspect/<int:pk>/bookings/<int:booking>"
        contact_view = self.construct_view(BookingContactView, **self.get_inspect_view_kwargs())
        action_view = self.construct_view(BookingActionView, **self.get_inspect_view_kwargs())
        return super().get_urlpatterns() + [
            path(f"{booking}/contact/", contact_view, name="booking_contact"),
            path(f"{booking}/<slug:action>/", action_view, name="booking_action"),
        ]
