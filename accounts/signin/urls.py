from django.urls import path

from accounts.signin import views

urlpatterns = [
    path("konto/logga-in/", views.LoginView.as_view(), name="login"),
    path("konto/logga-in/kod/", views.login_code, name="login_code"),
    path("konto/logga-ut/", views.logout, name="logout"),
    path("konto/tvastegsverifiering/", views.two_factor, name="two_factor"),
    path("konto/oidc/logga-in/", views.OIDCStartView.as_view(), name="oidc_authentication_init"),
    path("konto/oidc/callback/", views.OIDCCallbackView.as_view(), name="oidc_authentication_callback"),
]
