"""Requests for public documents: the public intake under /postlista/begar/ and the registrars'
workbench under /diarium/begaran/."""

from django.urls import path

from records.disclosure import views, workbench

urlpatterns = [
    path("postlista/begar/", views.public_request, name="disclosure_public_request"),
    path("postlista/begar/kvitto/<str:token>/", views.public_receipt, name="disclosure_public_receipt"),
    path("diarium/begaran/", views.request_list, name="disclosure_list"),
    path("diarium/begaran/ny/", workbench.request_create, name="disclosure_create"),
    path("diarium/begaran/beslutsinstans/", workbench.setting_list, name="disclosure_settings"),
    path("diarium/begaran/beslutsinstans/ny/", workbench.setting_edit, name="disclosure_setting_create"),
    path("diarium/begaran/beslutsinstans/<int:pk>/", workbench.setting_edit, name="disclosure_setting_edit"),
    path("diarium/begaran/<int:pk>/", workbench.request_detail, name="disclosure_detail"),
    path("diarium/begaran/<int:pk>/handlingar/", workbench.target_add, name="disclosure_item_add"),
    path("diarium/begaran/<int:pk>/handlingar/<int:item_pk>/", workbench.item_review, name="disclosure_item_review"),
    path("diarium/begaran/<int:pk>/avgor/", workbench.request_decide, name="disclosure_decide"),
    path("diarium/begaran/<int:pk>/besked/", workbench.request_answer, name="disclosure_answer"),
    path("diarium/begaran/<int:pk>/begar-beslut/", workbench.decision_request, name="disclosure_decision_request"),
    path("diarium/begaran/<int:pk>/myndighetsbeslut/", workbench.decision_issue, name="disclosure_authority_decision"),
    path("diarium/begaran/<int:pk>/beslut-mottaget/", workbench.decision_notified, name="disclosure_decision_notified"),
    path("diarium/begaran/<int:pk>/overklagande/", workbench.appeal_register, name="disclosure_appeal_register"),
    path("diarium/begaran/<int:pk>/overklagande/avgor/", workbench.appeal_close, name="disclosure_appeal_close"),
    path("diarium/begaran/<int:pk>/avsluta/", workbench.request_close, name="disclosure_close"),
    path("diarium/begaran/<int:pk>/lamna-ut/", workbench.deliver, name="disclosure_deliver"),
    path("diarium/begaran/<int:pk>/brev/<int:letter_pk>/", workbench.letter_download, name="disclosure_letter"),
]
