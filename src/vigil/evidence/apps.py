from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "vigil.evidence"
    verbose_name = "Documents and evidence files"
