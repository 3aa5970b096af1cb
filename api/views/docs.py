"""The API's front door: Swagger UI inside the site's own page (header, footer, language)."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from this site's static files, its start-up script a separate file (the
    strict CSP allows no inline script), in templates/api/docs.html, which extends base.html."""

    template_name = "api/docs.html"
    url_name = "api:schema"
