"""Every page runs under a strict Content-Security-Policy: no inline script, style or event handler.

The walk covers every URL the site has (staff, public, reports, login and error pages), so a new page
is checked without being added here.
"""

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vigil.places.models import Facility
from vigil.reports.services import case_form_create

#: Non-executable data blocks that CSP allows.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineFinder(HTMLParser):
    """Collects every inline script, <style> element, style attribute, on* handler and javascript: URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        if tag == "script" and not attrs_d.get("src") and attrs_d.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_finder_finds_each_kind_of_inline_code():
    """The check itself: every kind of inline code is found, and external scripts and JSON data are not."""
    html = ('<script>alert(1)</script><script src="/static/x.js"></script><script type="application/json">{}</script>'
            '<div style="color:red"></div><a href="javascript:void(0)" onclick="x()">x</a><button hx-on:click="x"></button>'
            "<svg><style>rect{}</style></svg>")
    assert len(inline_code(html)) == 6


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def example_path(route: str, ids: dict[str, int]) -> str:
    """The route with its parameters filled in: a known record's id where there is one, else a value that 404s."""
    path = route
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        converter, _, name = path[start + 1:end].rpartition(":")
        value = ids.get(path[:start].rstrip("/").rsplit("/", 1)[-1], 999999) if converter == "int" else {"fmt": "html"}.get(name, "x")
        path = path[:start] + str(value) + path[end + 1:]
    return "/" + path


@pytest.fixture
def ids(recorded, admin_user):
    return {
        "persons": recorded[0].pk,
        "facilities": Facility.objects.values_list("pk", flat=True).first() or 999999,
        "wgeid": case_form_create(actor=admin_user, person=recorded[0]).pk,
    }


@pytest.mark.django_db
def test_every_page_has_the_policy_and_no_inline_code(admin_client, client, ids):
    """Every page, for an administrator and for an anonymous visitor (login, public site, error pages),
    carries the policy header and contains no inline script, style or handler."""
    checked = 0
    for route, _ in walk(get_resolver().url_patterns):
        path = example_path(route, ids)
        for who, c in (("administrator", admin_client), ("anonymous", client)):
            response = c.get(path, follow=True)
            policy = response.headers.get("Content-Security-Policy", "")
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (who, path)
            if response.headers.get("Content-Type", "").startswith("text/html") and "attachment" not in response.headers.get("Content-Disposition", ""):
                assert inline_code(response.content.decode()) == [], (who, path)
                checked += 1
    assert checked > 40


@pytest.mark.django_db
def test_the_policy_is_strict(client):
    """The policy: only vigil's own scripts, styles and images (and data: images); no plugins, framing,
    base URL or form target elsewhere."""
    policy = {d.split()[0]: d.split()[1:] for d in client.get(reverse("login"))["Content-Security-Policy"].split("; ")}
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
