from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from catalogue.models import ApiToken

# A token's "last used" date is written at most this often, not on every request.
LAST_USED_PRECISION = timedelta(minutes=5)


class TokenAuthentication(authentication.TokenAuthentication):
    """A partner's API token, sent as `Authorization: Token <key>` (DRF's keyword, the one the
    docs first gave) or as `Authorization: Bearer <key>`, which clients generated from the
    OpenAPI schema send for its `http bearer` scheme. Keys are checked against the stored
    hashes (catalogue.ApiToken); an expired or revoked token is refused."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if parts and parts[0].lower() == b"bearer":
            # DRF builds its authenticators for each request, so this changes only this one's
            # answer (and its 401 challenge) and keeps DRF's parsing and messages.
            self.keyword = "Bearer"
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = ApiToken.objects.for_key(key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (token.user, token)
