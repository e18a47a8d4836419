from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from accounts.permissions import staff_required
from config import views
from config.discovery import app_modules
from config.operations.metrics import metrics
from config.operations.readiness import readyz
from config.schema_docs import RedocView, SwaggerView

router = DefaultRouter()
for _module in app_modules("api"):
    for _prefix, _viewset, _basename in getattr(_module, "ROUTES", []):
        router.register(_prefix, _viewset, basename=_basename)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Staff only: anonymous visitors go to the login page, signed-in users without a role get 403.
    path("api/docs/", staff_required()(SwaggerView.as_view(url_name="schema")), name="api_docs"),
    path("api/redoc/", staff_required()(RedocView.as_view(url_name="schema")), name="api_redoc"),
]
# accounts last: its "" (the dashboard) must not shadow the other apps' pages.
for _module in app_modules("urls", ("moderation", "records", "accounts")):
    urlpatterns.append(path("", include(_module.__name__)))

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
# Stored files (MEDIA_ROOT) are never served here, not even with DEBUG: each is delivered by a view
# that checks the permission of the object it belongs to (config/storage.py).
