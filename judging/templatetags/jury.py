"""The jury on other apps' pages (the organizers' start page), without those apps importing
`judging`."""

from django import template
from django.db.models import Count, Q

from judging.models import Juror, Round

register = template.Library()


@register.simple_tag
def organizer_rounds(cycle) -> dict:
    """An edition's rounds with their progress, and its jury's size: two queries."""
    rounds = list(Round.objects.filter(cycle=cycle).with_counts().order_by("number"))
    jurors = Juror.objects.filter(cycle=cycle).aggregate(
        accepted=Count("pk", filter=Q(state=Juror.State.ACCEPTED)),
        invited=Count("pk", filter=Q(state=Juror.State.INVITED)),
    )
    return {"rounds": rounds, **jurors}
