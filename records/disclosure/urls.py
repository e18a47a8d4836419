"""Requests for public documents: the public intake under /postlista/begar/ and the registrars'
workbench under /diarium/begaran/."""

from django.urls import path

from records.disclosure import views

urlpatterns = [
    path("postlista/begar/", views.public_request, name="disclosure_public_request"),
    path("postlista/begar/kvitto/<str:token>/", views.public_receipt, name="disclosure_public_receipt"),
    path("diarium/begaran/", views.request_list, name="disclosure_list"),
    path("diarium/begaran/ny/", views.request_create, name="disclosure_create"),
    path("diarium/begaran/<int:pk>/", views.request_detail, name="disclosure_detail"),
    path("diarium/begaran/<int:pk>/handlingar/", views.item_add, name="disclosure_item_add"),
    path("diarium/begaran/<int:pk>/handlingar/<int:item_pk>/", views.item_review, name="disclosure_item_review"),
    path("diarium/begaran/<int:pk>/avgor/", views.request_decide, name="disclosure_decide"),
    path("diarium/begaran/<int:pk>/myndighetsbeslut/", views.authority_decision,
         name="disclosure_authority_decision"),
    path("diarium/begaran/<int:pk>/overklagande/", views.appeal_register, name="disclosure_appeal_register"),
    path("diarium/begaran/<int:pk>/overklagande/avgor/", views.appeal_close, name="disclosure_appeal_close"),
    path("diarium/begaran/<int:pk>/avsluta/", views.request_close, name="disclosure_close"),
    path("diarium/begaran/<int:pk>/lamna-ut/", views.deliver, name="disclosure_deliver"),
    path("diarium/begaran/<int:pk>/brev/<int:letter_pk>/", views.letter_download, name="disclosure_letter"),
]
