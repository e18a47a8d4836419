"""The author page: items, decisions, sanctions, strikes, staff notes, warn, block/unblock."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import deny, staff_required
from moderation.models import Author, Decision
from moderation.queue.forms import BlockForm, NotesForm, UnblockForm, WarnForm
from moderation.queue.secrecy import author_reveal, items_load_secrecy
from moderation.queue.services.sanctions import author_unblock, sanction_warn, strikes_count
from moderation.viewhelpers import call


def _block_propose():
    from moderation.queue.services.sanctions import block_propose

    return block_propose


def _author_or_404(user, pk: int) -> Author:
    return get_object_or_404(Author.objects.visible_to(user).select_related("channel", "channel__unit"), pk=pk)


@staff_required("moderation.view_author")
def author_detail(request, pk: int):
    author = _author_or_404(request.user, pk)
    items = list(author.items.select_related("channel", "author").order_by("-received_at")[:50])
    # A sender marked secret on a document registered from any of the account's items masks the
    # account's identity for users without the right; a permitted view is audited.
    sender_visible = author_reveal(author, request.user, request=request, surface="author_page")
    items_load_secrecy(items)
    decisions = list(Decision.objects.visible_to(request.user).filter(item__author=author)
                     .select_related("item", "actor").prefetch_related("decision_rules").order_by("-created_at")[:50])
    sanctions = list(author.sanctions.select_related("actor", "confirmed_by", "item").order_by("-created_at"))
    return render(request, "moderation/author_detail.html", {
        "author": author,
        "sender_visible": sender_visible,
        "items": items,
        "decisions": decisions,
        "sanctions": sanctions,
        "proposals": [s for s in sanctions if s.proposed and s.confirmed_at is None],
        "strikes": strikes_count(author=author, channel=author.channel),
        "notes_form": NotesForm(initial={"staff_notes": author.staff_notes}),
        "warn_form": WarnForm(),
        "block_form": BlockForm(),
        "unblock_form": UnblockForm(),
        "can_note": request.user.has_perm("moderation.change_author"),
        "can_sanction": request.user.has_perm("moderation.add_sanction"),
    })


@require_POST
@staff_required("moderation.view_author")
def author_action(request, pk: int, action: str):
    author = _author_or_404(request.user, pk)
    user = request.user
    needed = "moderation.change_author" if action == "notes" else "moderation.add_sanction"
    if not user.has_perm(needed):
        deny(request, needed)
    if action == "notes":
        form = NotesForm(request.POST)
        if form.is_valid():
            from moderation.queue.services.authors import author_notes_update

            author_notes_update(author=author, notes=form.cleaned_data["staff_notes"], actor=user)
            messages.success(request, _("Anteckningarna är sparade."))
    elif action == "warn":
        form = WarnForm(request.POST)
        if form.is_valid() and call(request, sanction_warn, author=author, channel=author.channel, actor=user,
                                    reason=form.cleaned_data["reason"], strike=form.cleaned_data["strike"])[0]:
            messages.success(request, _("Varningen är registrerad."))
    elif action == "block":
        form = BlockForm(request.POST)
        if form.is_valid() and call(request, _block_propose(), author=author, channel=author.channel, actor=user,
                                    reason=form.cleaned_data["reason"])[0]:
            messages.success(request, _("Blockeringen är föreslagen: bekräfta den nedan."))
    elif action == "unblock":
        form = UnblockForm(request.POST)
        if form.is_valid() and call(request, author_unblock, author=author, channel=author.channel, actor=user,
                                    reason=form.cleaned_data["reason"])[0]:
            messages.success(request, _("Blockeringen är hävd."))
    else:
        return redirect("author_detail", pk=author.pk)
    if not form.is_valid():
        messages.error(request, _("Fyll i skälet."))
    return redirect("author_detail", pk=author.pk)
