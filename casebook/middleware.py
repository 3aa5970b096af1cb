from django.conf import settings


def permissions_policy(get_response):
    """A `Permissions-Policy` header on every response, denying the browser features that
    Django's SecurityMiddleware has no setting for (camera, microphone, geolocation, …)."""
    header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
