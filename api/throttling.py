from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's throttle for anonymous clients (by IP address), reading its rate per request.

    DRF copies DEFAULT_THROTTLE_RATES into a class attribute at import, so a changed setting
    (a test's `settings` fixture, for one) would be ignored; reading it here honours it.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
