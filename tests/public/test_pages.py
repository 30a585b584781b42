"""The public pages as a visitor meets them: pagination, redirects, caching, languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vigil.linkage.services import person_merge
from vigil.public import selectors


@pytest.mark.django_db
def test_person_lists_are_paginated(world, client, monkeypatch):
    """With two persons a page, the four public persons fill two pages, in public-id order."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    first = selectors.public_persons(actor=None, page=1)
    second = selectors.public_persons(actor=None, page=2)
    assert (first.total, first.pages) == (4, 2)
    ids = [p.id for p in first.items + second.items]
    assert ids == sorted(ids) and len(set(ids)) == 4
    html = client.get(reverse("public:persons"), {"page": 2}).content.decode()
    assert 'rel="prev"' in html and "page=1" in html


@pytest.mark.django_db
def test_a_merged_public_record_redirects_to_its_person(world, client, publisher):
    """When two public records are merged, the larger id redirects to the person's public id."""
    anon, uncleared = world.persons["anon"], world.persons["full_uncleared"]
    person_merge(actor=publisher, survivor=uncleared, merged=anon)
    response = client.get(reverse("public:person", args=[uncleared.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("public:person", args=[anon.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Ерлан Анонимұлы" in html and "Dilnur Fullunclearedqyzy" in html


@pytest.mark.django_db
def test_pages_are_cacheable_and_answer_304(world, client):
    """A public page has an ETag; asking again with it answers 304 Not Modified."""
    url = reverse("public:person", args=[world.persons["full"].pk])
    first = client.get(url)
    assert "max-age=" in first["Cache-Control"] and first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "kk", "ug", "ru", "zh-hans"])
def test_pages_render_in_every_language(world, client, lang):
    """Every public page renders in each interface language; Uyghur right to left."""
    for url in (reverse("public:home"), reverse("public:person", args=[world.persons["anon"].pk]), reverse("public:facilities")):
        response = client.get(url, {"lang": lang})
        assert response.status_code == 200
        assert (' dir="rtl"' in response.content.decode()) is (lang == "ug")


@pytest.mark.django_db
def test_search_query_is_escaped(world, client):
    """A query is shown back escaped, never as markup."""
    html = client.get(reverse("public:search"), {"q": '<img src=x onerror="alert(1)">'}).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.django_db
def test_person_page_shows_sources_as_the_rules_say(world, client):
    """Anonymised claims read "testimony (anonymised)"; a published list's claims read its title; accounts link within the page."""
    anon = client.get(reverse("public:person", args=[world.persons["anon"].pk])).content.decode()
    assert "testimony (anonymised)" in anon
    listed = client.get(reverse("public:person", args=[world.persons["list_published"].pk])).content.decode()
    assert "Synthetic Published List" in listed
    full = client.get(reverse("public:person", args=[world.persons["full"].pk])).content.decode()
    assert 'href="#account-1"' in full and "FULL-SUMMARY-VISIBLE" in full
    assert reverse("public:media", args=[world.media["photo_full"].pk]) in full

