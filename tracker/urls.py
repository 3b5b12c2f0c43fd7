from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, views
from .two_factor import views as two_factor_views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/language/", views.language_switch, name="language_switch"),
    path(
        "preferences/sessions/end-others/",
        views.sessions_end_others,
        name="sessions_end_others",
    ),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path(
        "auth/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("auth/second-factor/", two_factor_views.otp_verify, name="otp_verify"),
    path("auth/second-factor/setup/", two_factor_views.otp_setup, name="otp_setup"),
    path("auth/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "auth/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("accounts.urls")),
    path("takedowns/", include("takedowns.urls")),
    path("reports/", include("tracker.reports.urls")),
    path("sharing/", include("sharing.urls")),
    path("taxii2/", include("sharing.taxii.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("tracker.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accounts.import_urls")),
    path("health/", health.health, name="health"),
]
# Media (evidence files) is not served publicly, not even in development: evidence is
# downloaded through accounts:evidence_file, which checks the login and the permission.
