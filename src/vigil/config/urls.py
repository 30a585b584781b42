from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from vigil.access import allowed
from vigil.api.main import api
from vigil.accounts.views import StaffLoginView
from vigil.web.views.language import language_set

admin.site.site_header = "vigil"
admin.site.site_title = "vigil"
admin.site.index_title = "Records"
# The admin site shows every column: administrators only, whatever Django's is_staff says.
admin.site.has_permission = lambda request: allowed(request.user, "users.manage")  # type: ignore[method-assign]

urlpatterns = [
    # One way in: the admin's own login form has neither rate limiting nor the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("login/", StaffLoginView.as_view(), name="login"),
    path("login/", include("vigil.accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", language_set, name="set_language"),
    path("public/", include("vigil.public.urls")),
    path("reports/", include("vigil.reports.urls")),
    path("", include("vigil.web.urls")),
]
