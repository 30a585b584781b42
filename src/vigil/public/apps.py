from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "vigil.public"
    verbose_name = "Public view"
