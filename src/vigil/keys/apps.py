from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "vigil.keys"
    label = "keys"
    verbose_name = "field encryption keys"
