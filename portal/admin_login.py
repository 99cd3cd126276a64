"""Wagtail's admin sign-in, with a limit on failed tries per client and per username.

A small subclass rather than django-axes: axes brings its own tables, middleware, authentication
backend and its own way of reading client addresses, where the portal already has one
(apps.common.client) and atomic counters (apps.common.ratelimit).
"""

import hashlib
import math

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import ngettext
from wagtail.admin.views.account import LoginView

from apps.common.ratelimit import Limit, client_id, subject_limit_forget, subject_limit_hit

LOGIN_CLIENT_SCOPE = "admin-login-client"
LOGIN_USERNAME_SCOPE = "admin-login-username"
# Ten wrong passwords in a quarter of an hour, from one address or against one account.
LOGIN_LIMITS = (Limit(count=10, seconds=15 * 60),)


def _username_subject(request: HttpRequest) -> str:
    username = request.POST.get(get_user_model().USERNAME_FIELD, "").strip().casefold()
    return hashlib.sha256(username.encode()).hexdigest()[:32]


class RateLimitedLoginView(LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Each try is counted before the password is checked, so simultaneous tries cannot all pass;
        # a successful sign-in takes its count back.
        checks = ((LOGIN_CLIENT_SCOPE, client_id(request)), (LOGIN_USERNAME_SCOPE, _username_subject(request)))
        counted = []
        for scope, subject in checks:
            if wait := subject_limit_hit(scope=scope, subject=subject, limits=LOGIN_LIMITS):
                for counted_scope, counted_subject in counted:
                    subject_limit_forget(scope=counted_scope, subject=counted_subject, limits=LOGIN_LIMITS)
                return self._refused(wait)
            counted.append((scope, subject))
        response = super().post(request, *args, **kwargs)
        if isinstance(response, HttpResponseRedirect):  # signed in (a wrong password renders the form)
            for scope, subject in checks:
                subject_limit_forget(scope=scope, subject=subject, limits=LOGIN_LIMITS)
        return response

    def _refused(self, wait: int) -> HttpResponse:
        minutes = math.ceil(wait / 60)
        text = ngettext(
            "Too many failed sign-in attempts. Please try again in %(minutes)s minute.",
            "Too many failed sign-in attempts. Please try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        messages.error(self.request, text)
        # An empty form: nothing posted is checked, not even the password.
        response = self.render_to_response(self.get_context_data(form=self.get_form_class()()), status=429)
        response["Retry-After"] = str(wait)
        return response
