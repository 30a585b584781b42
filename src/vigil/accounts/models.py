from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    """One failed password or code entry, for rate limiting (vigil.accounts.limits).

    ``key`` is a keyed hash of the username and the client's address: a copied database shows
    neither who tried nor from where (the audit log keeps who, when the account exists).
    """

    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"login failure at {self.at:%Y-%m-%d %H:%M}"
