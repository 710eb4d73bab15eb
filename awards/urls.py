from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    path("", views.home, name="home"),
    path("awards/", views.archive, name="archive"),
    path("awards/<int:year>/", views.edition, name="edition"),
    path("awards/<int:year>/rules/", views.rules, name="rules"),
]
