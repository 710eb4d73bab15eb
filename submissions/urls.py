from django.urls import path

from submissions import views

app_name = "submissions"
urlpatterns = [
    path("me/", views.start, name="start"),
    path("me/profile/", views.profile, name="profile"),
]
