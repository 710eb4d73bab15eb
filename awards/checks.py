"""System checks for production settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Rate limits (failed logins, sign-ups, resets) count in the default cache: every process
    must see the same counts, or each gunicorn worker and node allows the full number again."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is local to each process, so "
            "login and sign-up rate limits do not hold across workers and nodes.",
            hint="Leave CACHE_URL unset (the database cache) or set it to redis://….",
            id="hcda.E001",
        )
    ]
