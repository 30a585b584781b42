"""The public site, mounted at /public/. Every page here is covered by the leak test, which walks this list."""

from django.urls import path

from vigil.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("persons/", views.persons, name="persons"),
    path("persons/<int:pk>/", views.person, name="person"),
    path("search/", views.search, name="search"),
    path("facilities/", views.facilities, name="facilities"),
    path("facilities/<int:pk>/", views.facility, name="facility"),
    path("media/<int:pk>/", views.media, name="media"),
    path("data.csv", views.data_csv, name="data_csv"),
    path("data.json", views.data_json, name="data_json"),
]
