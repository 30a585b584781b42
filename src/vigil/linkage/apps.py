from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "vigil.linkage"
    verbose_name = "Linkage: matches and merges"
