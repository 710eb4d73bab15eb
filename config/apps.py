from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project itself: it may import every app (landing page, demo data orchestration)."""

    name = "config"
    label = "config"
    verbose_name = "Hanoi Creative Design Award"
