"""REST API for moderation under /api/v1/: channels, items (claim, release, decide, bulk-decide),
rules, authors, reports. The field names are fixed points (DESIGN.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.errors import DomainError
from accounts.models import User
from config.api import id_field
from moderation.models import (
    Author,
    Decision,
    DecisionAction,
    Flag,
    Item,
    ReferTarget,
    ReplyTemplate,
    Sanction,
    SanctionKind,
)
from moderation.queue.filters import AuthorFilter, ItemFilter
from moderation.queue.secrecy import (
    author_reveal,
    authors_load_secrecy,
    item_masked_parts,
    item_reveal,
    item_secret_parts,
    items_load_secrecy,
    may_view_secret_items,
)
from moderation.queue.services.claims import item_claim, item_release
from moderation.queue.services.decisions import item_decide, items_decide_bulk
from moderation.queue.services.sanctions import (
    author_premoderate,
    author_unblock,
    block_confirm,
    block_proposal,
    block_propose,
    restriction_lift,
    sanction_suspend,
    sanction_warn,
)

# --- permissions ------------------------------------------------------------------------------------


class CanModerate(permissions.BasePermission):
    """Signed-in staff holding moderation.moderate_item (the custom actions)."""

    message = "Du har inte behörighet att moderera inlägg."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_staff_member", False)
                    and user.has_perm("moderation.moderate_item"))


def _user(context) -> object:
    request = context.get("request")
    return getattr(request, "user", None)


# --- serializers ------------------------------------------------------------------------------------


class ItemAuthorSerializer(serializers.ModelSerializer):
    external_id = serializers.CharField(read_only=True, allow_null=True)  # null when the sender is secret
    display_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Author
        fields = ["id", "external_id", "display_name"]


class FlagSerializer(serializers.ModelSerializer):
    rule = serializers.SlugRelatedField(slug_field="code", read_only=True)
    spans = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = ["id", "rule", "source", "detail", "spans", "matched_terms", "created_at", "resolved_at"]

    @extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
        "start": {"type": "integer"}, "end": {"type": "integer"}, "term": {"type": "string"}}}})
    def get_spans(self, obj):
        return obj.spans or []


class AttachmentSerializer(serializers.Serializer):
    """An attachment as DESIGN.md names it; ``url`` downloads the stored copy (permission-checked), null
    while it is not stored."""

    kind = serializers.CharField()
    content_type = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True)
    url = serializers.URLField(allow_null=True)


class ItemSerializer(serializers.ModelSerializer):
    """An item as the user may see it. Where a part is secret for this user (the item's own
    confidential marking, or a marking on a document registered from it or from its account), the
    field holds null and `masked_parts` names the part, as documents do (DESIGN: "masked": true):
    content → `text`, `url`, the flags' `detail`, `spans` and `matched_terms` are null/empty;
    sender → `author.external_id` and `author.display_name` are null and `url` is null."""

    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SerializerMethodField()
    created_at = serializers.SerializerMethodField()
    claimed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    flags = FlagSerializer(many=True, read_only=True)
    text = serializers.SerializerMethodField()
    secret = serializers.SerializerMethodField()
    masked = serializers.SerializerMethodField()
    masked_parts = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    url = serializers.CharField(read_only=True, allow_null=True,
                                help_text="Adressen på plattformen; tom om den saknas, null om maskerad.")

    class Meta:
        model = Item
        fields = ["id", "external_id", "channel", "kind", "direction", "state", "text", "attachments", "author",
                  "created_at",
                  "received_at", "priority", "version", "claimed_by", "claim_expires_at", "flags", "secret",
                  "masked", "masked_parts", "url", "parent", "root_post", "report_count", "harmless",
                  "hidden_on_platform", "first_removed_at", "removed_on_platform_at", "removed_by_author_at",
                  "decided_at"]
        read_only_fields = fields

    def _masked(self, obj) -> set[str]:
        cache = self.context.setdefault("_masked_parts", {})
        if obj.pk not in cache:
            cache[obj.pk] = item_masked_parts(obj, _user(self.context))
        return cache[obj.pk]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_created_at(self, obj):
        return serializers.DateTimeField().to_representation(obj.platform_created_at or obj.received_at)

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "id": {"type": "integer"}, "external_id": {"type": "string", "nullable": True},
        "display_name": {"type": "string", "nullable": True}}})
    def get_author(self, obj):
        if obj.author_id is None or obj.author is None:
            return None
        data = ItemAuthorSerializer(obj.author).data
        if "sender" in self._masked(obj):
            data["external_id"] = data["display_name"] = None
        return data

    @extend_schema_field({"type": "string", "nullable": True})
    def get_text(self, obj):
        return None if "content" in self._masked(obj) else obj.text

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_secret(self, obj):
        return bool(item_secret_parts(obj))

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_masked(self, obj):
        return bool(self._masked(obj))

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": ["content", "sender"]}})
    def get_masked_parts(self, obj):
        return sorted(self._masked(obj))

    @extend_schema_field(AttachmentSerializer(many=True, allow_null=True))
    def get_attachments(self, obj):
        """The item's current attachments (null where its content is masked)."""
        from django.urls import reverse

        from moderation.media.services import current_attachments

        if self._masked(obj):
            return None
        request = self.context.get("request")
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("stored_attachments")
        rows = current_attachments(obj, list(prefetched) if prefetched is not None else None)
        result = []
        for row in rows:
            url = None
            if row.is_stored:
                url = reverse("attachment_download", args=[obj.pk, row.pk])
                url = request.build_absolute_uri(url) if request is not None else url
            result.append({"kind": row.kind, "content_type": row.content_type or row.declared_content_type,
                           "size": row.size, "sha256": row.sha256 or None, "url": url})
        return result

    def to_representation(self, obj):
        data = super().to_representation(obj)
        masked = self._masked(obj)
        if masked:
            data["url"] = None
        if "content" in masked:
            for flag in data["flags"]:
                flag["detail"] = None
                flag["spans"] = []
                flag["matched_terms"] = []
        return data


class DecisionSerializer(serializers.ModelSerializer):
    rules = serializers.SerializerMethodField()
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    suggests_police_report = serializers.SerializerMethodField()
    platform_message = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "item", "action", "actor", "created_at", "rules", "note", "mark_harmless", "escalate_to",
                  "escalate_to_role", "reply_text", "refer_target", "platform_action_needed", "reverses",
                  "item_version", "time_to_decision", "suggests_police_report", "platform_message"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_rules(self, obj):
        return [r.rule.code for r in obj.decision_rules.select_related("rule")]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_suggests_police_report(self, obj):
        value = getattr(obj, "suggests_police_report", None)
        if value is None:
            from moderation.queue.services.decisions import decision_suggests_police_report

            value = decision_suggests_police_report(obj)
        return bool(value)

    @extend_schema_field(OpenApiTypes.STR)
    def get_platform_message(self, obj):
        return getattr(obj, "platform_message", "") or ""


class DecideSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[c for c in DecisionAction.values
                                              if c in ("keep", "hide", "remove", "escalate", "reply", "refer")])
    rules = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)
    mark_harmless = serializers.BooleanField(required=False, default=False)
    escalate_to = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                     allow_null=True, default=None)
    escalate_to_role = serializers.CharField(required=False, allow_blank=True, default="")
    reply_text = serializers.CharField(required=False, allow_blank=True, default="")
    reply_template = serializers.PrimaryKeyRelatedField(queryset=ReplyTemplate.objects.active(), required=False,
                                                        allow_null=True, default=None)
    refer_target = serializers.ChoiceField(choices=["", "political_debate", "individual_matter",
                                                    *ReferTarget.values], required=False, default="")
    confidential = serializers.BooleanField(required=False, default=False)


class BulkDecideSerializer(serializers.Serializer):
    items = serializers.ListField(child=id_field(), min_length=1, max_length=500)
    action = serializers.ChoiceField(choices=["keep", "hide", "remove"])
    rules = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")


BulkResultSerializer = inline_serializer("BulkDecideResult", fields={
    "done": serializers.ListField(child=serializers.DictField()),
    "refused": serializers.ListField(child=serializers.DictField()),
})
ErrorSerializer = inline_serializer("ModerationError", fields={
    "detail": serializers.CharField(), "code": serializers.CharField(),
})


class AuthorSerializer(serializers.ModelSerializer):
    """An account; when its sender is secret for this user (a marking on the sender of a document
    registered from one of its items) the identifying fields are null and `masked` is true."""

    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    strike_count = serializers.IntegerField(read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    masked = serializers.SerializerMethodField()
    # null when the sender is secret for this user; the platform may give no profile address (blank)
    external_id = serializers.CharField(read_only=True, allow_null=True)
    display_name = serializers.CharField(read_only=True, allow_null=True)
    username = serializers.CharField(read_only=True, allow_null=True)
    profile_url = serializers.CharField(read_only=True, allow_null=True, help_text="Profilens adress; tom om okänd.")

    class Meta:
        model = Author
        fields = ["id", "external_id", "display_name", "username", "profile_url", "channel", "is_blocked",
                  "blocked_at", "strike_count", "item_count", "created_at", "masked"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_masked(self, obj):
        return bool(obj.sender_secret and not may_view_secret_items(_user(self.context)))

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if data["masked"]:
            for name in ("external_id", "display_name", "username", "profile_url"):
                data[name] = None
        return data


class SanctionSerializer(serializers.ModelSerializer):
    """A sanction on an author: warning, strike, suspension, pre-moderation, block (proposed until a
    second moderator confirms it) or unblock. `sent` says whether a warning's message went to the author
    on the platform (null for other kinds)."""

    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sent = serializers.SerializerMethodField()

    class Meta:
        model = Sanction
        fields = ["id", "author", "channel", "kind", "reason", "created_at", "expires_at", "proposed",
                  "confirmed_at", "counts_as_strike", "sent"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_sent(self, obj):
        return getattr(obj, "sent", None)


class SanctionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Skälet, som sparas med åtgärden.")


class WarnSerializer(SanctionReasonSerializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                    help_text="Skickas som svar på avsändarens senaste inlägg där plattformen "
                                              "tillåter det (Facebook, Instagram); annars registreras varningen bara.")
    strike = serializers.BooleanField(required=False, default=False, help_text="Räknas som prick mot blockering.")


class SuspendSerializer(SanctionReasonSerializer):
    days = serializers.IntegerField(min_value=1, max_value=365, help_text="Avstängningens längd i dagar (1–365).")


class SanctionRefSerializer(SanctionReasonSerializer):
    sanction = id_field(help_text="Åtgärden (avstängning, förhandsgranskning eller blockeringsförslag).")


class ConfirmSerializer(serializers.Serializer):
    sanction = id_field(help_text="Blockeringsförslaget som bekräftas.")


class CanSanction(permissions.BasePermission):
    """Signed-in staff holding moderation.add_sanction."""

    message = "Du har inte behörighet att vidta åtgärder mot avsändare."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_staff_member", False)
                    and user.has_perm("moderation.add_sanction"))


def _sanction_schema(request, summary: str, *statuses: int):
    ok = dict.fromkeys(statuses or (201,), SanctionSerializer)
    return extend_schema(request=request, summary=summary,
                         responses={**ok, 400: ErrorSerializer, 409: ErrorSerializer})


# --- viewsets ---------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Inlägg (moderatorer ser bara sina enheters kanaler)"),
                    retrieve=extend_schema(summary="Ett inlägg"))
class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    ordering_fields = ["received_at", "priority"]
    queryset = Item.objects.none()

    def get_queryset(self):
        flags = Flag.objects.select_related("rule").order_by("created_at", "id")
        return (Item.objects.visible_to(self.request.user).filter(purged_at__isnull=True)
                .select_related("channel", "author", "claimed_by")
                .prefetch_related(Prefetch("flags", queryset=flags), "stored_attachments")
                .order_by("-received_at", "-id"))

    def _reveal(self, items):
        """Two queries for the page's secrecy; one audit event per item delivered with secret parts."""
        items = items_load_secrecy(items)
        for item in items:
            item_reveal(item, self.request.user, request=self.request, surface="api")
        return items

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._reveal(page)
        return page

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        self._reveal([item])
        return Response(self.get_serializer(item).data)

    def _fresh(self, item):
        return self.get_queryset().get(pk=item.pk)

    @extend_schema(request=None, responses={200: ItemSerializer, 409: ErrorSerializer},
                   summary="Reservera inlägget för granskning")
    @action(detail=True, methods=["post"], permission_classes=[CanModerate])
    def claim(self, request, pk=None):
        item = self.get_object()
        item_claim(item=item, actor=request.user)
        return Response(self.get_serializer(self._fresh(item)).data)

    @extend_schema(request=None, responses={200: ItemSerializer, 409: ErrorSerializer},
                   summary="Lämna tillbaka reservationen")
    @action(detail=True, methods=["post"], permission_classes=[CanModerate])
    def release(self, request, pk=None):
        item = self.get_object()
        item_release(item=item, actor=request.user)
        return Response(self.get_serializer(self._fresh(item)).data)

    @extend_schema(request=DecideSerializer, responses={200: DecisionSerializer, 400: ErrorSerializer,
                                                        409: ErrorSerializer},
                   summary="Besluta om inlägget")
    @action(detail=True, methods=["post"], permission_classes=[CanModerate])
    def decide(self, request, pk=None):
        item = self.get_object()
        form = DecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decision = item_decide(item=item, actor=request.user, **form.validated_data)
        return Response(DecisionSerializer(decision, context=self.get_serializer_context()).data)

    @extend_schema(request=BulkDecideSerializer, responses={200: BulkResultSerializer, 400: ErrorSerializer},
                   summary="Samma beslut för flera inlägg")
    @action(detail=False, methods=["post"], url_path="bulk-decide", permission_classes=[CanModerate])
    def bulk_decide(self, request):
        form = BulkDecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        visible = {i.pk: i for i in Item.objects.visible_to(request.user).filter(pk__in=data["items"])}
        result = items_decide_bulk(items=[visible[pk] for pk in data["items"] if pk in visible],
                                            action=data["action"], actor=request.user, rules=data["rules"],
                                            note=data["note"])
        result["refused"] += [{"id": pk, "reason": "Inlägget finns inte eller hör till en annan enhet."}
                              for pk in data["items"] if pk not in visible]
        return Response(result, status=status.HTTP_200_OK)


@extend_schema_view(list=extend_schema(summary="Avsändare med antal prickar"),
                    retrieve=extend_schema(summary="En avsändare"))
class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuthorSerializer
    filterset_class = AuthorFilter
    queryset = Author.objects.none()

    def get_queryset(self):
        now = timezone.now()
        since = now - dt.timedelta(days=settings.UPPSIKT_STRIKE_WINDOW_DAYS)
        strikes = Q(sanctions__kind=SanctionKind.STRIKE, sanctions__counts_as_strike=True,
                    sanctions__proposed=False, sanctions__created_at__gte=since) & (
            Q(sanctions__expires_at__isnull=True) | Q(sanctions__expires_at__gt=now))
        from django.db.models import OuterRef, Subquery
        from django.db.models.functions import Coalesce

        item_counts = (Item.objects.filter(author=OuterRef("pk")).order_by().values("author")
                       .annotate(n=Count("id")).values("n"))
        return (Author.objects.visible_to(self.request.user).select_related("channel")
                .annotate(strike_count=Count("sanctions", filter=strikes, distinct=True),
                          item_count=Coalesce(Subquery(item_counts), 0))
                .order_by("display_name", "id"))

    def _reveal(self, authors):
        for author in authors_load_secrecy(authors):
            author_reveal(author, self.request.user, request=self.request, surface="api")
        return authors

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._reveal(page)
        return page

    def retrieve(self, request, *args, **kwargs):
        author = self.get_object()
        self._reveal([author])
        return Response(self.get_serializer(author).data)

    # Sanctions: the same services and rules as the author page; the answers name the sanction, never
    # the author's identity (a secret sender stays masked).

    def _author(self) -> Author:
        """The account a sanction is for: visible to the user (else 404), without the list's counts."""
        author = get_object_or_404(Author.objects.visible_to(self.request.user).select_related("channel"),
                                   pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, author)
        return author

    def _input(self, serializer_class) -> dict:
        form = serializer_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _answer(self, sanction, status_code: int = status.HTTP_201_CREATED) -> Response:
        return Response(SanctionSerializer(sanction, context=self.get_serializer_context()).data, status=status_code)

    @_sanction_schema(WarnSerializer, "Varna avsändaren (med meddelande där plattformen kan ta emot det)")
    @action(detail=True, methods=["post"], permission_classes=[CanSanction])
    def warn(self, request, pk=None):
        author = self._author()
        data = self._input(WarnSerializer)
        return self._answer(sanction_warn(author=author, channel=author.channel, actor=request.user, **data))

    @_sanction_schema(SuspendSerializer, "Stäng av avsändaren i 1–365 dagar (allt nytt döljs)")
    @action(detail=True, methods=["post"], permission_classes=[CanSanction])
    def suspend(self, request, pk=None):
        author = self._author()
        data = self._input(SuspendSerializer)
        return self._answer(sanction_suspend(author=author, channel=author.channel, actor=request.user, **data))

    @_sanction_schema(SanctionReasonSerializer, "Förhandsgranska allt nytt från avsändaren")
    @action(detail=True, methods=["post"], permission_classes=[CanSanction])
    def premoderate(self, request, pk=None):
        author = self._author()
        data = self._input(SanctionReasonSerializer)
        return self._answer(author_premoderate(author=author, channel=author.channel, actor=request.user, **data))

    @_sanction_schema(SanctionRefSerializer, "Låt en avstängning eller förhandsgranskning upphöra nu", 200)
    @action(detail=True, methods=["post"], permission_classes=[CanSanction])
    def lift(self, request, pk=None):
        author = self._author()
        data = self._input(SanctionRefSerializer)
        sanction = Sanction.objects.filter(author=author, pk=data["sanction"]).first()
        if sanction is None:
            raise DomainError("Åtgärden finns inte för avsändaren.")
        return self._answer(restriction_lift(sanction=sanction, actor=request.user, reason=data["reason"]),
                            status.HTTP_200_OK)

    @_sanction_schema(SanctionReasonSerializer, "Föreslå blockering (en kollega bekräftar; 200 med det öppna "
                      "förslaget om ett redan finns)", 201, 200)
    @action(detail=True, methods=["post"], permission_classes=[CanSanction])
    def block(self, request, pk=None):
        author = self._author()
        data = self._input(SanctionReasonSerializer)
        existing = block_proposal(author=author, channel=author.channel)
        if existing is not None:  # one proposal at a time: the open one is the answer
            return self._answer(existing, status.HTTP_200_OK)
        return self._answer(block_propose(author=author, channel=author.channel, actor=request.user, **data))

    @_sanction_schema(ConfirmSerializer, "Bekräfta ett förslag om blockering", 200)
    @action(detail=True, methods=["post"], url_path="block-confirm", permission_classes=[CanSanction])
    def confirm_block(self, request, pk=None):
        author = self._author()
        data = self._input(ConfirmSerializer)
        sanction = Sanction.objects.filter(author=author, pk=data["sanction"], kind=SanctionKind.BLOCK).first()
        if sanction is None:
            raise DomainError("Det här är inget förslag om blockering för avsändaren.")
        return self._answer(block_confirm(sanction=sanction, actor=request.user), status.HTTP_200_OK)

    @_sanction_schema(SanctionReasonSerializer, "Häv blockeringen")
    @action(detail=True, methods=["post"], permission_classes=[CanSanction])
    def unblock(self, request, pk=None):
        author = self._author()
        data = self._input(SanctionReasonSerializer)
        return self._answer(author_unblock(author=author, channel=author.channel, actor=request.user, **data))


ROUTES = [
    ("items", ItemViewSet, "item"),
    ("authors", AuthorViewSet, "author"),
]
