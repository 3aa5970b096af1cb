import time

from django.core.cache import caches
from rest_framework import throttling
from rest_framework.settings import api_settings

from casebook.client_address import client_ip


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """The API's rate limit: requests per client in a fixed window, counted in the shared cache.

    A client is its account when it sends an API token (scope "token", a rate of its own), and
    otherwise its address (scope "anon"), read by casebook.client_address.client_ip: a forged
    X-Forwarded-For changes nothing. The count is one atomic increment in CACHES["shared"]
    (Redis, or the database), so every worker adds to the same number.
    """

    scope = "anon"  # until allow_request knows the client

    def get_rate(self):
        # Read per request, not copied at import as DRF does, so a changed setting is honoured.
        # Rates that name no "token" rate (an older configuration) give token clients the
        # anonymous rate, still counted by account, rather than a KeyError.
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope, rates["anon"])

    def allow_request(self, request, view):
        self.scope = "token" if request.auth is not None else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        ident = f"user-{request.user.pk}" if self.scope == "token" else client_ip(request)
        window, into = divmod(time.time(), self.duration)
        self.wait_seconds = self.duration - into
        count = self.count(f"throttle:{self.scope}:{ident}:{int(window)}")
        # None: the cache is unreachable (Redis with IGNORE_EXCEPTIONS); let the request in.
        return count is None or count <= self.num_requests

    def count(self, key):
        cache = caches["shared"]
        try:
            return cache.incr(key)
        except ValueError:  # the first request of this window
            if cache.add(key, 1, timeout=self.duration + 1):
                return 1
            return cache.incr(key)  # another worker added it first

    def wait(self):
        return self.wait_seconds
