from django.urls import path

from vigil.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.reports, name="index"),
    path("wgeid/new/", views.case_form_new, name="case_form_new"),
    path("wgeid/<int:pk>/", views.case_form, name="case_form"),
    path("wgeid/<int:pk>/preview/", views.case_form_preview, name="case_form_preview"),
    path("wgeid/<int:pk>/download.<str:fmt>", views.case_form_download, name="case_form_download"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/download.<str:fmt>", views.statistics_download, name="statistics_download"),
]
