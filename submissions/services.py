from django.db import transaction
from django.utils import timezone

from awards.services import audit_record
from submissions.models import CreatorProfile


@transaction.atomic
def profile_save(*, user, data: dict) -> CreatorProfile:
    """Create or update the creator's profile; the first save records consent to the rules."""
    profile = CreatorProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = CreatorProfile(user=user, rules_accepted_at=timezone.now())
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    audit_record(actor=user, action="profile.create" if created else "profile.update", obj=profile)
    return profile
