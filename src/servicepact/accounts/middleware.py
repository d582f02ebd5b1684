"""Each person sees times in their own time zone and pages in their own language."""

import zoneinfo

from django.utils import timezone, translation


class PersonalPreferencesMiddleware:
    """Activates the person's zone and language for their request only.

    Both live in the thread; restoring them afterwards keeps one person's settings from leaking into
    whatever the same thread does next (the next request, a task, a test).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        language = user.language or translation.get_language()
        with timezone.override(zoneinfo.ZoneInfo(user.timezone)), translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
