from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "vigil.reports"
    verbose_name = "Reports"
