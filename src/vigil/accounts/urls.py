from django.urls import path

from vigil.accounts import views

app_name = "accounts"

# Under /login/: the two-factor middleware lets a half-logged-in user reach these.
urlpatterns = [
    path("code/", views.otp, name="otp"),
    path("code/setup/", views.otp_setup, name="otp_setup"),
]
