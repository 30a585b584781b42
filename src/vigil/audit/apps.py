from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vigil.audit"
    verbose_name = "Audit log"
