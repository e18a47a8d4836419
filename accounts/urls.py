from django.urls import include, path

from accounts import views
from accounts.audit import views as audit_views
from accounts.history import history_view
from accounts.permissions import staff_required

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("", include("accounts.signin.urls")),
    path("konto/losenord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("granskningslogg/", audit_views.audit_list, name="audit_list"),
    path("granskningslogg/export.csv", audit_views.audit_export_csv, name="audit_export_csv"),
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("historik/<str:app_label>/<str:model_name>/<str:pk>/", staff_required()(history_view), name="history"),
]
