from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from config import views

router = DefaultRouter()
for _app in ("accounts", "records", "moderation"):
    try:
        _module = import_module(f"{_app}.api")
    except ModuleNotFoundError:
        continue
    for _prefix, _viewset, _basename in getattr(_module, "ROUTES", []):
        router.register(_prefix, _viewset, basename=_basename)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api_redoc"),
]
for _app in ("records", "moderation"):
    try:
        import_module(f"{_app}.urls")
    except ModuleNotFoundError:
        continue
    urlpatterns.append(path("", include(f"{_app}.urls")))
urlpatterns.append(path("", include("accounts.urls")))

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
