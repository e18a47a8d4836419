"""REST API for the signed-in user's own notifications under /api/v1/notifications/ (parity with the list:
read them, the unread count, mark one or all read). Every staff member sees only their own."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.notifications.models import Notification, NotificationKind
from accounts.notifications.services import notification_mark_read, notifications_mark_all_read, unread_count


class OwnNotifications(permissions.BasePermission):
    """Any signed-in staff member; objects are limited to their own by the queryset."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and getattr(user, "is_staff_member", False))


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Bara olästa")
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label="Slag")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "target_type", "target_id", "created_at", "read_at",
                  "email_mode"]
        read_only_fields = fields


COUNT = inline_serializer("NotificationCount", {"unread": serializers.IntegerField()})


@extend_schema_view(list=extend_schema(summary="Mina aviseringar"), retrieve=extend_schema(summary="En avisering"))
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [OwnNotifications]
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user).order_by("-created_at", "-id")

    @extend_schema(summary="Markera som läst", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(summary="Markera alla som lästa", request=None, responses=COUNT)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        notifications_mark_all_read(user=request.user)
        return Response({"unread": unread_count(request.user)})

    @extend_schema(summary="Antal olästa", responses=COUNT)
    @action(detail=False, methods=["get"])
    def unread(self, request):
        return Response({"unread": unread_count(request.user)})


ROUTES = [
    ("notifications", NotificationViewSet, "notification"),
]
