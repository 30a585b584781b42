from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from vigil.access import allowed
from vigil.api.main import api
from vigil.web.views.language import language_set

admin.site.site_header = "vigil"
admin.site.site_title = "vigil"
admin.site.index_title = "Records"
# The admin site shows every column: administrators only, whatever Django's is_staff says.
admin.site.has_permission = lambda request: allowed(request.user, "users.manage")  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", language_set, name="set_language"),
    path("public/", include("vigil.public.urls")),
    path("reports/", include("vigil.reports.urls")),
    path("", include("vigil.web.urls")),
]
