from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vigil.web"
    verbose_name = "Web interface"
