from django.contrib.auth import views as auth_views
from django.urls import path

from swstation.accounts import views
from swstation.core.views.registry import get_model_urls

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    *get_model_urls("accounts"),
]
