"""How a person is named to themselves (allauth's ACCOUNT_USER_DISPLAY): in the greeting of
account emails and in messages such as "Signed in as …".

Never the username: allauth generates one at sign-up that the person never chose or saw.
"""

from submissions.models import CreatorProfile


def user_display(user) -> str:
    try:
        return user.creator_profile.display_name
    except CreatorProfile.DoesNotExist:
        return user.email or user.get_username()
