"""Every answer under /api/ is JSON, errors included, in one shape: `{"detail": "…"}`, or for
a 400 about the input, each bad field or parameter → a list of messages (DRF's own shapes).

DRF's views already answer their errors so; what is left is what never reaches them: a path
that matches no endpoint, a path without its trailing slash, and the errors Django handles
itself (a crash, a bad Host header). Pages outside /api/ keep Django's HTML answers.
"""

from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions


def is_api_request(request):
    return request.path_info.startswith("/api/")


def error(detail, status):
    return JsonResponse({"detail": str(detail)}, status=status)


@csrf_exempt  # it never acts on the request; a POST must reach it to be redirected, not refused
def unknown_path(request):
    """The end of the API's URL list: a known endpoint asked for without its trailing slash
    gets a 308, any other path a JSON 404.

    Django's APPEND_SLASH would answer the first with a 301, which clients (`requests`, curl,
    browsers) follow with a GET, so a POSTed submission would silently become a read of the
    list (and with DEBUG on Django raises instead). A 308 makes the client repeat the same
    method with the same body at the right address.
    """
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/", getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown_path:
            location = escape_leading_slashes(request.get_full_path(force_append_slash=True))
            response = error(
                _("This address ends with a slash: send the request to %(location)s.")
                % {"location": location},
                status=308,
            )
            response["Location"] = location
            return response
    return error(exceptions.NotFound.default_detail, status=404)


# Django's error handlers (see casebook/urls.py): JSON under /api/, the site's pages elsewhere.


def bad_request(request, exception):
    if is_api_request(request):
        return error(exceptions.ParseError.default_detail, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return error(exceptions.PermissionDenied.default_detail, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return error(exceptions.NotFound.default_detail, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return error(exceptions.APIException.default_detail, status=500)
    return defaults.server_error(request)
