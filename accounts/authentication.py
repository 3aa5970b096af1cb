from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """A partner's API token, sent as `Authorization: Token <key>` (DRF's keyword, the one the
    docs first gave) or as `Authorization: Bearer <key>`, which clients generated from the
    OpenAPI schema send for its `http bearer` scheme."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if parts and parts[0].lower() == b"bearer":
            # DRF builds its authenticators for each request, so this changes only this one's
            # answer (and its 401 challenge) and keeps DRF's parsing and messages.
            self.keyword = "Bearer"
        return super().authenticate(request)
