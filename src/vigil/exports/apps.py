from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "vigil.exports"
    verbose_name = "Exports and person imports: tables in and out"
