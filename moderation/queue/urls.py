"""The review queue, the item page, authors and the police report register."""

from django.urls import path

from moderation.queue.views import authors, item, police, queue

urlpatterns = [
    path("granskning/", queue.queue, name="queue"),
    path("granskning/live/", queue.queue_live, name="queue_live"),
    path("granskning/massatgard/", queue.queue_bulk, name="queue_bulk"),
    path("granskning/inlagg/<int:pk>/", item.item_detail, name="item_detail"),
    path("granskning/inlagg/<int:pk>/reservera/", item.item_claim, name="item_claim"),
    path("granskning/inlagg/<int:pk>/slapp/", item.item_release, name="item_release"),
    path("granskning/inlagg/<int:pk>/beslut/", item.item_decide, name="item_decide"),
    path("granskning/beslut/<int:pk>/angra/", item.decision_reverse, name="decision_reverse"),
    path("granskning/atgard/<int:pk>/bekrafta/", item.block_confirm, name="block_confirm"),
    path("granskning/konto/<int:pk>/", authors.author_detail, name="author_detail"),
    path("granskning/konto/<int:pk>/<str:action>/", authors.author_action, name="author_action"),
    path("granskning/polisanmalningar/", police.police_list, name="police_list"),
    path("granskning/polisanmalningar/ny/", police.police_create, name="police_create"),
    path("granskning/polisanmalningar/<int:pk>/", police.police_detail, name="police_detail"),
]
