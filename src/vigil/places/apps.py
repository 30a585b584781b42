from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "vigil.places"
    verbose_name = "Places and facilities"
