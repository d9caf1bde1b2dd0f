from django.contrib.auth import views as auth_views
from django.urls import path

from swstation.accounts import views
from swstation.core.urls import model_urlpatterns

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "users/<int:pk>/password-reset/",
        views.UserPasswordResetView.as_view(),
        name="user_password_reset",
    ),
    *model_urlpatterns(
        "user",
        list_view=views.UserListView,
        detail_view=views.UserDetailView,
        edit_view=views.UserEditView,
        delete_view=views.UserDeleteView,
        history_view=views.UserHistoryView,
    ),
]
