"""Partner accounts: sign-up, email confirmation, profile and API tokens. Sign-in, sign-out
and password reset are Django's own views (see casebook/urls.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, UpdateView

from catalogue.models import PartnerProfile

from . import services
from .forms import ApiTokenForm, PartnerProfileForm, QueuedPasswordResetForm, SignUpForm
from .limits import RateLimited, check_client


def too_many_requests(request, error):
    response = render(
        request,
        "accounts/too_many_requests.html",
        {"minutes": max(1, round(error.retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


class SignUpView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignUpForm
    success_url = reverse_lazy("accounts:signup-done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            check_client(self.request, "signup", settings.SIGNUPS_PER_IP_PER_HOUR)
        except RateLimited as error:
            return too_many_requests(self.request, error)
        services.register_partner(form, self.request)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the queued, limited mail and a limit per client address."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        try:
            check_client(self.request, "password-reset", settings.PASSWORD_RESETS_PER_IP_PER_HOUR)
        except RateLimited as error:
            return too_many_requests(self.request, error)
        return super().form_valid(form)


class SignUpDoneView(TemplateView):
    template_name = "accounts/signup_done.html"


class ConfirmEmailView(TemplateView):
    """The emailed link opens a page with a button: following a link (as mail scanners do)
    changes nothing; the POST activates the account and signs the partner in."""

    template_name = "accounts/confirm_email.html"

    def get_context_data(self, **kwargs):
        user = services.user_to_confirm(kwargs["uidb64"], kwargs["token"])
        return super().get_context_data(valid=user is not None, **kwargs)

    def post(self, request, uidb64, token):
        user = services.user_to_confirm(uidb64, token)
        if user is None:
            return self.render_to_response(self.get_context_data(uidb64=uidb64, token=token), status=400)
        services.activate(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your email address is confirmed. Welcome to Casebook."))
        return redirect("submissions:list")


class ProfileView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile.html"
    form_class = PartnerProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        # An account made with createsuperuser has no profile until it saves this form.
        try:
            return self.request.user.partner_profile
        except PartnerProfile.DoesNotExist:
            return PartnerProfile(user=self.request.user)

    def form_valid(self, form):
        messages.success(self.request, _("Your profile is saved."))
        return super().form_valid(form)


class ApiTokenView(LoginRequiredMixin, FormView):
    """A partner's API tokens: make one (its key is shown on the answer to that request, and
    never again: only its hash is stored), see when each was last used, revoke one."""

    template_name = "accounts/api_token.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(tokens=self.request.user.api_tokens.all(), **kwargs)

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            if services.revoke_api_token(request.user, request.POST["revoke"]):
                messages.success(request, _("The token is revoked; requests using it are refused."))
            return redirect("accounts:api-token")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        token, key = services.create_api_token(
            self.request.user, form.cleaned_data["name"], form.expires_at()
        )
        # Answered here rather than after a redirect, so the key is never stored to be shown;
        # and kept out of every cache.
        response = self.render_to_response(
            self.get_context_data(form=self.get_form_class()(), new_token=token, key=key)
        )
        add_never_cache_headers(response)
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in (the site's or the admin's) while the account or the
    address is locked out (AXES_LOCKOUT_CALLABLE): a page saying so and for how long, 429."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "registration/locked_out.html", {"minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
