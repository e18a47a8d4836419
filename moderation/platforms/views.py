"""Pages of the platform connectors: channel health, the dead-letter list (with replay) and the channel
credentials form (write-only secrets)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.permissions import deny, staff_required
from moderation.media.services import channel_storage
from moderation.models import (
    Channel,
    CredentialsStatus,
    PendingEvent,
    Platform,
    PlatformAction,
    PlatformActionStatus,
    WebhookChangeFailure,
    WebhookDelivery,
    WebhookStatus,
)
from moderation.platforms.credentials import channel_credentials_update
from moderation.platforms.ingest import PENDING_VERBS, webhook_delivery_replay

OPERATOR_PERMS = ("moderation.moderate_item", "moderation.change_channel")
PAGE_SIZE = 50
DEAD_LETTER = (WebhookStatus.DEAD, WebhookStatus.PARTIAL)


def _with_failures(deliveries) -> list[WebhookDelivery]:
    """The deliveries with their open failed changes (``open_failures``), in two queries."""
    deliveries = list(deliveries)
    failures: dict[int, list[WebhookChangeFailure]] = {}
    for failure in WebhookChangeFailure.objects.filter(delivery__in=deliveries, resolved_at__isnull=True):
        failures.setdefault(failure.delivery_id, []).append(failure)
    for delivery in deliveries:
        delivery.open_failures = failures.get(delivery.pk, [])
    return deliveries


def _token_state(channel: Channel) -> dict:
    """What the health page says about OAuth refresh (never the secrets themselves)."""
    return {
        "refreshable": channel.platform in (Platform.YOUTUBE, Platform.LINKEDIN),
        "configured": bool(channel.oauth_client_id) and all(channel.has_secret(n) for n in Channel.OAUTH_SECRET_NAMES),
        "expires_at": channel.access_token_expires_at,
        "refresh_expires_at": channel.refresh_token_expires_at,
    }


def may_operate(user, channel: Channel | None = None) -> bool:
    """Administrators, and moderators of the channel's unit, may see dead letters and replay them."""
    if user.has_perm("moderation.change_channel"):
        return True
    if not user.has_perm("moderation.moderate_item"):
        return False
    return channel is None or Channel.objects.visible_to(user).filter(pk=channel.pk).exists()


def _visible_channel(request, slug: str) -> Channel:
    channel = Channel.objects.visible_to(request.user).filter(slug=slug).select_related("unit").first()
    if channel is None:
        if Channel.objects.filter(slug=slug).exists():
            deny(request, "channel")
        raise Http404
    return channel


@staff_required("moderation.view_channel")
def channel_health(request, slug: str):
    channel = _visible_channel(request, slug)
    actions = PlatformAction.objects.filter(channel=channel)
    operator = may_operate(request.user, channel)
    context = {
        "channel": channel,
        "credentials_ok": channel.credentials_status == CredentialsStatus.OK,
        "has_secret": {name: channel.has_secret(name) for name in Channel.SECRET_NAMES},
        "counts": {
            "pending": actions.filter(status__in=[PlatformActionStatus.PENDING, PlatformActionStatus.RUNNING]).count(),
            "failed": actions.filter(status=PlatformActionStatus.FAILED).count(),
            "waiting_credentials": actions.filter(status=PlatformActionStatus.FAILED,
                                                  next_attempt_at__isnull=True).count(),
            "dead": actions.filter(status=PlatformActionStatus.DEAD).count(),
            "pending_events": PendingEvent.objects.filter(channel=channel, applied_at__isnull=True,
                                                          expired_at__isnull=True, verb__in=PENDING_VERBS).count(),
            "dead_deliveries": WebhookDelivery.objects.filter(channel=channel, status__in=DEAD_LETTER).count(),
        },
        "problem_actions": actions.filter(status__in=[PlatformActionStatus.FAILED, PlatformActionStatus.DEAD])
        .select_related("item").order_by("-created_at")[:20],
        "dead_deliveries": (_with_failures(WebhookDelivery.objects.filter(channel=channel, status__in=DEAD_LETTER)
                                           .order_by("-received_at")[:20]) if operator else []),
        "token": _token_state(channel),
        "operator": operator,
        "can_edit_credentials": request.user.has_perm("moderation.change_channel"),
        "is_meta": channel.platform in (Platform.FACEBOOK, Platform.INSTAGRAM),
        "poll_state": {k: v for k, v in (channel.poll_state or {}).items() if k in ("last_poll_at", "quota")},
        "storage": channel_storage(channel),
    }
    return render(request, "moderation/platform/channel_health.html", context)


@staff_required(*OPERATOR_PERMS, any_of=True)
def dead_letters(request):
    channels = Channel.objects.visible_to(request.user)
    if not request.user.has_perm("moderation.change_channel"):
        channels = channels.filter(unit_id__in=request.user.unit_ids())
    deliveries = (WebhookDelivery.objects.filter(status__in=DEAD_LETTER, channel__in=channels)
                  .select_related("channel").order_by("-received_at"))
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_failures(page.object_list)
    return render(request, "moderation/platform/dead_letters.html", {"page": page})


@require_POST
@staff_required(*OPERATOR_PERMS, any_of=True)
def dead_letter_replay(request, pk: int):
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("channel"), pk=pk)
    if delivery.channel is None or not may_operate(request.user, delivery.channel):
        deny(request, "webhook delivery")
    try:
        webhook_delivery_replay(delivery_id=delivery.pk, actor=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Leveransen körs om."))
    target = request.POST.get("next") or ""
    if target == "health":
        return redirect("channel_health", slug=delivery.channel.slug)
    return redirect("dead_letters")


class ChannelCredentialsForm(forms.Form):
    """Write-only: the fields are always empty when shown; an empty field leaves the stored secret as is."""

    app_secret = forms.CharField(
        label=_("App-hemlighet (Meta)"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Från appens inställningar hos Meta. Används för att kontrollera webhook-signaturer."),
    )
    access_token = forms.CharField(
        label=_("Åtkomsttoken"), required=False, max_length=4000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Sidans åtkomsttoken (Facebook/Instagram) eller OAuth-token (YouTube, LinkedIn)."),
    )
    verify_token = forms.CharField(
        label=_("Verifieringstoken (webhook)"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Samma slumpade sträng som du anger hos Meta när webhooken prenumereras."),
    )
    refresh_token = forms.CharField(
        label=_("Förnyelsetoken (OAuth)"), required=False, max_length=4000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("YouTube och LinkedIn: används för att förnya åtkomsttoken automatiskt innan den går ut."),
    )
    client_secret = forms.CharField(
        label=_("Klienthemlighet (OAuth)"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("OAuth-appens hemlighet hos Google respektive LinkedIn."),
    )
    oauth_client_id = forms.CharField(
        label=_("Klient-id (OAuth)"), required=False, max_length=300,
        help_text=_("OAuth-appens klient-id (inte hemligt). Lämna tomt för att behålla det sparade."),
    )

    def __init__(self, *args, oauth: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not oauth:  # Meta channels have no OAuth refresh
            for name in ("refresh_token", "client_secret", "oauth_client_id"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in (*Channel.SECRET_NAMES, "oauth_client_id")):
            raise forms.ValidationError(_("Fyll i minst en uppgift."))
        return data


@staff_required("moderation.change_channel")
def channel_credentials(request, slug: str):
    channel = get_object_or_404(Channel, slug=slug)
    if not request.user.has_perm("moderation.change_channel"):
        raise PermissionDenied
    oauth = channel.platform in (Platform.YOUTUBE, Platform.LINKEDIN)
    if request.method == "POST":
        form = ChannelCredentialsForm(request.POST, oauth=oauth)
        if form.is_valid():
            changed = channel_credentials_update(channel=channel, actor=request.user, values=form.cleaned_data,
                                                 request=request)
            messages.success(request, _("Uppgifterna är sparade (krypterade). De visas aldrig igen."))
            if changed:
                return redirect("channel_health", slug=channel.slug)
    else:
        form = ChannelCredentialsForm(initial={"oauth_client_id": channel.oauth_client_id}, oauth=oauth)
    return render(request, "moderation/platform/channel_credentials.html", {
        "channel": channel, "form": form,
        "has_secret": {name: channel.has_secret(name) for name in Channel.SECRET_NAMES},
        "oauth": oauth,
        "webhook_path": f"/hooks/meta/{channel.slug}/",
    })
