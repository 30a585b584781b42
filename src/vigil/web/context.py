"""What the page frame may offer the viewer: a link is shown only when its page would let them in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vigil.access import RULES, allowed


class _May:
    """``{{ may.testimony_record }}`` in a template: whether the viewer may do ``testimony.record``."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> bool:
        # "api_token_manage" is "api_token.manage": the one underscore that, as a dot, names a rule.
        for i, ch in enumerate(name):
            if ch == "_" and (action := f"{name[:i]}.{name[i + 1:]}") in RULES:
                return allowed(getattr(self._request, "user", None), action)
        raise AttributeError(name)


def access(request: HttpRequest) -> dict[str, Any]:
    return {"may": _May(request)}
