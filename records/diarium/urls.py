from django.urls import path

from records.diarium.views import cases as diarium
from records.diarium.views import export, files, inbox, postlista, search

urlpatterns = [
    path("diarium/", diarium.case_list, name="records_case_list"),
    path("diarium/inkorg/", inbox.inbox, name="records_inbox"),
    path("diarium/inkorg/<int:pk>/", inbox.proposal_detail, name="records_proposal_detail"),
    path("diarium/inkorg/diariefor/", inbox.proposals_bulk_accept, name="records_proposals_bulk_accept"),
    path("diarium/inkorg/<int:pk>/avboj/", inbox.proposal_decline, name="records_proposal_decline"),
    path("diarium/registrera/<str:source_type>/<str:source_id>/", inbox.source_register,
         name="records_register_source"),
    path("diarium/arenden/nytt/", diarium.case_create, name="records_case_create"),
    path("diarium/arenden/valj/", diarium.case_picker, name="records_case_picker"),
    path("diarium/arenden/<int:pk>/", diarium.case_detail, name="records_case_detail"),
    path("diarium/arenden/<int:pk>/avsluta/", diarium.case_close, name="records_case_close"),
    path("diarium/arenden/<int:pk>/oppna/", diarium.case_reopen, name="records_case_reopen"),
    path("diarium/arenden/<int:pk>/ny-handling/", diarium.document_create, name="records_document_create"),
    path("diarium/handlingar/", diarium.document_list, name="records_document_list"),
    path("diarium/handlingar/ny/", diarium.document_create_any, name="records_document_create_any"),
    path("diarium/handlingar/<int:pk>/", diarium.document_detail, name="records_document_detail"),
    path("diarium/handlingar/<int:pk>/makulera/", diarium.document_void, name="records_document_void"),
    path("diarium/handlingar/<int:pk>/beskrivning/", diarium.document_describe, name="records_document_describe"),
    path("diarium/handlingar/<int:pk>/filer/<int:file_pk>/", files.document_file, name="records_document_file"),
    path("diarium/sok/", search.search, name="records_search"),
    path("diarium/export/", export.registrations_export_view, name="records_registrations_export"),
    path("postlista/", postlista.postlista, name="postlista"),
]
