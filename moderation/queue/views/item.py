"""The item page: content, thread, versions, flags, the author's record, the decision form,
platform status and earlier decisions; claim/release; reverse a decision; confirm a block."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.errors import DomainError
from accounts.permissions import staff_required
from moderation.consent.context import item_consent_context
from moderation.media.context import item_media_context
from moderation.models import Decision, DecisionAction, Item, RuleConsequence, Sanction
from moderation.queue.forms import DecisionForm, ReverseForm
from moderation.queue.secrecy import author_reveal, item_reveal, items_load_secrecy
from moderation.queue.services import claims, decisions
from moderation.queue.services import sanctions as sanction_services
from moderation.queue.services.decisions import is_serious_flag
from moderation.queue.services.replies import reply_text_render, reply_texts
from moderation.viewhelpers import call, is_htmx, wants_json

REMOVING = (DecisionAction.REMOVE, DecisionAction.HIDE)


def _item_or_404(user, pk: int) -> Item:
    """Unit scoping: a moderator gets 404 for items of other units' channels."""
    return get_object_or_404(
        Item.objects.visible_to(user).select_related(
            "channel", "channel__unit", "author", "claimed_by", "parent", "parent__author", "root_post"),
        pk=pk,
    )


def claim_state(item: Item, user) -> dict:
    now = timezone.now()
    live = bool(item.claimed_by_id and (item.claim_expires_at is None or item.claim_expires_at > now))
    return {
        "live": live,
        "mine": live and item.claimed_by_id == user.pk,
        "holder": (item.claimed_by.get_full_name() or item.claimed_by.get_username()) if live else "",
        "until": item.claim_expires_at if live else None,
    }


def _author_record(item: Item, user) -> dict | None:
    author = item.author
    if author is None:
        return None
    sanctions = list(author.sanctions.select_related("actor", "confirmed_by", "item").order_by("-created_at")[:20])
    earlier = list(
        Decision.objects.visible_to(user).filter(item__author=author, action__in=REMOVING).exclude(item=item)
        .select_related("item", "actor").prefetch_related("decision_rules").order_by("-created_at")[:10]
    )
    try:
        strikes = sanction_services.strikes_count(author=author, channel=item.channel)
    except (ImportError, AttributeError):
        strikes = None
    return {
        "author": author,
        "sanctions": sanctions,
        "proposals": [s for s in sanctions if s.proposed and s.confirmed_at is None],
        "earlier": earlier,
        "strikes": strikes,
    }


def detail_context(request, item: Item, *, form: DecisionForm | None = None) -> dict:
    user = request.user
    flags = list(item.flags.select_related("rule", "detector", "report", "created_by").order_by("created_at", "id"))
    open_flags = [f for f in flags if f.resolved_at is None]
    visible_items = Item.objects.visible_to(user).select_related("author")
    parent = item.parent if item.parent_id else None
    siblings = list(visible_items.filter(parent_id=item.parent_id).exclude(pk=item.pk).order_by("received_at")[:50]) \
        if item.parent_id else []
    replies = list(visible_items.filter(parent=item).order_by("received_at")[:50])
    # Secrecy marked on a document registered from this item, or from any item by the same account,
    # masks the same information here (two queries for the whole thread). The thread's other items
    # are masked for everyone: their secret parts are opened on their own pages, where that is audited.
    items_load_secrecy([item, parent, *siblings, *replies])
    masked = item_reveal(item, user, request=request, surface="item_page")
    content_visible = "content" not in masked
    decisions = list(
        item.decisions.select_related("actor", "escalate_to", "reply_template", "reverses")
        .prefetch_related("decision_rules", "reversed_by").order_by("-created_at", "-id")
    )
    removal = next((d for d in reversed(decisions) if d.action == DecisionAction.REMOVE), None)
    police_suggested = any(
        f.rule and (f.rule.consequence == RuleConsequence.POLICE_REPORT or f.rule.code == "threat") for f in open_flags
    ) and not item.police_reports.exists()
    serious = any(is_serious_flag(f) for f in open_flags)
    if form is None:
        initial = {"version": item.version}
        if request.GET.get("action") in dict(DecisionForm.base_fields["action"].choices):
            initial["action"] = request.GET["action"]
        # Rules are ticked by the moderator only: the flags' rules are shown as suggestions.
        form = DecisionForm(initial=initial, serious=serious)
    suggested_rules = list({f.rule_id: f.rule for f in open_flags if f.rule_id}.values())
    return {
        "item": item,
        "content_visible": content_visible,
        "sender_visible": "sender" not in masked,
        "masked_parts": sorted(masked),
        "flags": flags,
        "open_flags": open_flags,
        "versions": list(item.versions.order_by("number")) if content_visible else [],
        "parent": parent,
        "siblings": siblings,
        "replies": replies,
        "decisions": decisions,
        "reverse_form": ReverseForm(),
        "platform_actions": list(item.platform_actions.order_by("-created_at", "-id")[:20]),
        "record": _author_record(item, user),
        "claim": claim_state(item, user),
        "form": form,
        "serious": serious,
        "suggested_rules": suggested_rules,
        "reply_texts": reply_texts(item=item) if user.has_perm("moderation.moderate_item") else [],
        "can_moderate": user.has_perm("moderation.moderate_item"),
        "can_sanction": user.has_perm("moderation.add_sanction"),
        "can_police": user.has_perm("moderation.add_policereport"),
        "police_suggested": police_suggested,
        "removal": removal,
        "time_to_removal": (item.removed_on_platform_at - item.received_at) if item.removed_on_platform_at else None,
        "police_reports": list(item.police_reports.all()),
        **item_media_context(item, user, content_visible=content_visible),
        **item_consent_context(item, user),
    }


@staff_required("moderation.view_item")
def item_detail(request, pk: int):
    item = _item_or_404(request.user, pk)
    return render(request, "moderation/item_detail.html", detail_context(request, item))


@require_POST
@staff_required("moderation.moderate_item")
def item_claim(request, pk: int):
    item = _item_or_404(request.user, pk)
    if wants_json(request):
        # the queue's "t" (Ta): claimed in place
        try:
            claims.item_claim(item=item, actor=request.user)
        except DomainError as exc:
            return JsonResponse({"ok": False, "message": exc.message}, status=exc.status_code)
        return JsonResponse({"ok": True})
    ok, result = call(request, claims.item_claim, item=item, actor=request.user)
    if ok and result is not None:
        item = result
    else:
        item.refresh_from_db()
    if is_htmx(request):
        # The fragment shows the message itself (the messages framework would show it again later).
        storage = messages.get_messages(request)
        notes = [str(m) for m in storage]
        return render(request, "moderation/_claim.html",
                      {"item": item, "claim": claim_state(item, request.user), "notes": notes, "can_moderate": True})
    return redirect("item_detail", pk=item.pk)


@require_POST
@staff_required("moderation.moderate_item")
def item_release(request, pk: int):
    item = _item_or_404(request.user, pk)
    if call(request, claims.item_release, item=item, actor=request.user)[0]:
        messages.success(request, _("Du har släppt inlägget."))
    return redirect("queue")


@require_POST
@staff_required("moderation.moderate_item")
def item_decide(request, pk: int):
    item = _item_or_404(request.user, pk)
    form = DecisionForm(request.POST, serious=decisions.item_has_serious_flag(item))
    if not form.is_valid():
        messages.error(request, _("Beslutet kunde inte sparas: rätta felen i formuläret."))
        return render(request, "moderation/item_detail.html", detail_context(request, item, form=form), status=400)
    data = form.cleaned_data
    if (data["action"] in ("reply", "refer") and data.get("reply_template") is not None
            and not (data.get("reply_text") or "").strip()):
        # Nothing goes out unseen: the template's text (placeholders filled) is put in the box to read first.
        post = request.POST.copy()
        post["reply_text"] = reply_text_render(template=data["reply_template"], item=item)
        messages.info(request, _("Läs svaret och ändra det om det behövs. Inget är skickat ännu: "
                                 "spara beslutet för att skicka det."))
        form = DecisionForm(post, serious=form.serious)
        form.is_valid()
        return render(request, "moderation/item_detail.html", detail_context(request, item, form=form))
    try:
        decision = decisions.item_decide(
            item=item, action=data["action"], actor=request.user, rules=list(data["rules"]), note=data["note"],
            expected_version=data.get("version"), mark_harmless=data["mark_harmless"],
            escalate_to=data.get("escalate_to"), escalate_to_role=data.get("escalate_to_role") or "",
            reply_text=data.get("reply_text") or "", reply_template=data.get("reply_template"),
            refer_target=data.get("refer_target") or "", confidential=data["confidential"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        item.refresh_from_db()
        return render(request, "moderation/item_detail.html", detail_context(request, item, form=form),
                      status=exc.status_code)
    messages.success(request, _("Beslutet om inlägg %(pk)s är sparat: %(action)s.") % {
        "pk": item.pk, "action": DecisionAction(data["action"]).label.lower()})
    # what the moderator must follow up on is shown on the item itself: a block proposal, a police report
    follow_up = False
    if getattr(decision, "suggests_police_report", False):
        messages.warning(request, _("Inlägget innehåller hot: överväg en polisanmälan."))
        follow_up = True
    if (data["action"] == "remove" and item.author_id is not None
            and Sanction.objects.proposals().filter(author_id=item.author_id, channel_id=item.channel_id,
                                                    kind="block").exists()):
        messages.warning(request, _("Avsändaren har nått gränsen för prickar: bekräfta blockeringen nedan."))
        follow_up = True
    if follow_up:
        return redirect(reverse("item_detail", args=[item.pk]) + "#author-h")
    return redirect("queue")


@require_POST
@staff_required("moderation.moderate_item")
def decision_reverse(request, pk: int):
    decision = get_object_or_404(Decision.objects.visible_to(request.user).select_related("item"), pk=pk)
    form = ReverseForm(request.POST)
    if wants_json(request):
        # the queue's "Ångra" right after a keyboard decision: the same reversal, answered in JSON
        if not form.is_valid():
            return JsonResponse({"ok": False, "message": _("Skriv varför beslutet ångras.")}, status=400)
        try:
            new = decisions.decision_reverse(decision=decision, actor=request.user, note=form.cleaned_data["note"])
        except DomainError as exc:
            return JsonResponse({"ok": False, "message": exc.message}, status=exc.status_code)
        text = _("Beslutet är ångrat genom ett nytt beslut.")
        if new.platform_message:
            text = f"{text} {new.platform_message}"
        return JsonResponse({"ok": True, "decision": new.pk, "message": text})
    if not form.is_valid():
        messages.error(request, _("Skriv varför beslutet ångras."))
    elif call(request, decisions.decision_reverse, decision=decision, actor=request.user,
              note=form.cleaned_data["note"])[0]:
        messages.success(request, _("Beslutet är ångrat genom ett nytt beslut."))
    return redirect("item_detail", pk=decision.item_id)


@require_http_methods(["GET", "POST"])
@staff_required("moderation.add_sanction")
def block_confirm(request, pk: int):
    """GET: the block proposal with its reason and the author's history, to weigh before confirming;
    POST: confirm it."""
    sanction = get_object_or_404(Sanction.objects.visible_to(request.user).select_related("author", "channel",
                                                                                            "actor"), pk=pk)
    if request.method == "GET":
        from moderation.queue.views.authors import author_history

        author = sanction.author
        author_reveal(author, request.user, request=request, surface="block_confirm")
        return render(request, "moderation/block_confirm.html", {
            "proposal": sanction, "author": author, "history": author_history(author, request.user),
            "open": sanction.kind == "block" and sanction.proposed and sanction.confirmed_at is None,
            "next": request.GET.get("next", ""),
        })
    if call(request, sanction_services.block_confirm, sanction=sanction, actor=request.user)[0]:
        messages.success(request, _("Blockeringen är bekräftad."))
    back = request.POST.get("next")
    if back and back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(reverse("author_detail", args=[sanction.author_id]))


