from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path


def home(request: HttpRequest) -> HttpResponse:
    # The web interface is a later issue; until then staff work in the admin.
    return redirect("admin:index")


admin.site.site_header = "vigil"
admin.site.site_title = "vigil"
admin.site.index_title = "Records"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
]
