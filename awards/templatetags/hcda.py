from django import template
from django.urls import translate_url
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, ngettext

from awards.models import AwardCycle

register = template.Library()


@register.simple_tag(takes_context=True)
def language_urls(context):
    """(code, name, url, active) for each language: the same page in the other language."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    active = get_language()
    return [
        (code, name, translate_url(path, code), code == active)
        for code, name in (("vi", "Tiếng Việt"), ("en", "English"))
    ]


@register.filter
def moment(value, fmt="DATETIME_FORMAT"):
    """A date and time in Hanoi time, with the zone said, inside a machine-readable <time>."""
    if not value:
        return ""
    local = timezone.localtime(value)
    text = formats.date_format(local, fmt)
    return format_html(
        '<time datetime="{}">{} <span class="tz">({})</span></time>',
        local.isoformat(),
        text,
        zone_label(),
    )


@register.filter
def plainmoment(value):
    """The same as `moment`, as plain text (emails)."""
    if not value:
        return ""
    return f"{formats.date_format(timezone.localtime(value), 'DATETIME_FORMAT')} ({zone_label()})"


@register.filter
def isotime(value):
    """ISO 8601 to the second, with the Hanoi offset: what every browser's Date.parse reads."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""


@register.filter
def day(value):
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>', local.date().isoformat(), formats.date_format(local)
    )


@register.simple_tag
def zone_label():
    # TIME_ZONE is Asia/Ho_Chi_Minh, which keeps UTC+7 all year (no daylight saving).
    return gettext("Hanoi time, GMT+7")


@register.filter
def time_left(deadline):
    """ "3 days", "5 h 20 min", "12 minutes": coarse far away, precise near the deadline."""
    if not deadline:
        return ""
    seconds = max(0, int((deadline - timezone.now()).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days >= 2:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if seconds >= 3600:
        return gettext("%(h)d h %(m)d min") % {"h": days * 24 + hours, "m": minutes}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@register.filter
def phase_label(phase) -> str:
    """An edition's phase in the public's words. "Results published" follows from a published
    results snapshot (AwardCycle.phase), never from the date alone."""
    return AwardCycle.Phase(phase).label


@register.filter
def is_past(moment) -> bool:
    return bool(moment) and moment <= timezone.now()
