import pytest
from django.urls import reverse

from submissions.models import CreatorProfile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["organizer", "superuser"])
def test_creator_profiles_are_read_only_in_the_admin(client, people, django_user_model, who):
    admin_user = (
        people.organizer
        if who == "organizer"
        else django_user_model.objects.create_superuser("root", "root@example.org", "x")
    )
    profile = people.creator.creator_profile
    name = profile.display_name
    client.force_login(admin_user)
    change_url = reverse("admin:submissions_creatorprofile_change", args=[profile.pk])

    listing = client.get(reverse("admin:submissions_creatorprofile_changelist"))
    page = client.get(change_url)
    edit = client.post(change_url, {"display_name": "Renamed", "city": "Huế"})
    add = client.get(reverse("admin:submissions_creatorprofile_add"))
    delete = client.post(
        reverse("admin:submissions_creatorprofile_delete", args=[profile.pk]), {"post": "yes"}
    )

    assert (listing.status_code, page.status_code) == (200, 200)
    assert profile.display_name in listing.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert (edit.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    assert CreatorProfile.objects.filter(pk=profile.pk, display_name=name).exists()
