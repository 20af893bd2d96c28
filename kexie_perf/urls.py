"""URL configuration of kexie_perf."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kexie_perf.views import favicon, help_page
from security.policy import lockout_policy

admin.site.site_header = "科协预算绩效目标申报系统 · 管理后台"
admin.site.site_title = "绩效目标申报管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            # The page warns of the lockout (django-axes, see settings) before it happens.
            extra_context=lockout_policy()
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("help/", help_page, name="help"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the SVG icon.
    path("favicon.ico", favicon, name="favicon"),
    path("", include("declarations.urls")),
]
