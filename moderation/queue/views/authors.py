"""The author page: items, decisions, sanctions, strikes, staff notes, warn, block/unblock, suspend,
pre-moderate; the same account on the other channels of the user's units; the block confirmation
with the author's history."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import deny, staff_required
from moderation.models import Author, Decision, Item, Sanction
from moderation.queue.forms import (
    BlockForm,
    LiftForm,
    NotesForm,
    PremoderateForm,
    SuspendForm,
    UnblockForm,
    WarnForm,
)
from moderation.queue.secrecy import author_reveal, items_load_secrecy
from moderation.queue.services.sanctions import (
    author_premoderate,
    author_unblock,
    restriction_lift,
    sanction_suspend,
    sanction_warn,
    strikes_count,
)
from moderation.viewhelpers import call


def _block_propose():
    from moderation.queue.services.sanctions import block_propose

    return block_propose


def _author_or_404(user, pk: int) -> Author:
    return get_object_or_404(Author.objects.visible_to(user).select_related("channel", "channel__unit"), pk=pk)


def linked_authors(author: Author, user) -> list[Author]:
    """The same platform account on the other channels of the user's units: the same platform and
    the same platform id or user name (one query)."""
    same = Q(external_id=author.external_id)
    if author.username:
        same |= Q(username=author.username)
    return list(Author.objects.visible_to(user).select_related("channel").filter(same)
                .filter(channel__platform=author.channel.platform).exclude(pk=author.pk).order_by("channel__name"))


def author_history(author: Author, user, *, authors: list[Author] | None = None) -> dict:
    """What a moderator weighs before a sanction: decisions on the account's items, its sanctions and
    strikes (a fixed number of queries)."""
    ids = [author.pk] + [a.pk for a in (authors or [])]
    return {
        "decisions": list(Decision.objects.visible_to(user).filter(item__author_id__in=ids)
                          .select_related("item", "actor").prefetch_related("decision_rules")
                          .order_by("-created_at")[:50]),
        "sanctions": list(Sanction.objects.filter(author_id__in=ids)
                          .select_related("actor", "confirmed_by", "item", "channel").order_by("-created_at")),
        "strikes": strikes_count(author=author, channel=author.channel),
    }


@staff_required("moderation.view_author")
def author_detail(request, pk: int):
    author = _author_or_404(request.user, pk)
    # A sender marked secret is not linked to other accounts (that would tell who it is).
    linked = linked_authors(author, request.user) if not author.sender_secret else []
    items = list(Item.objects.filter(author_id__in=[author.pk] + [a.pk for a in linked])
                 .select_related("channel", "author").order_by("-received_at")[:50])
    # A sender marked secret on a document registered from any of the account's items masks the
    # account's identity for users without the right; a permitted view is audited.
    sender_visible = author_reveal(author, request.user, request=request, surface="author_page")
    items_load_secrecy(items)
    history = author_history(author, request.user, authors=linked)
    sanctions = history["sanctions"]
    restrictions = list(Sanction.objects.restrictions().filter(author=author).order_by("created_at"))
    return render(request, "moderation/author_detail.html", {
        "author": author,
        "sender_visible": sender_visible,
        "linked": linked,
        "items": items,
        "decisions": history["decisions"],
        "sanctions": sanctions,
        "restrictions": restrictions,
        "proposals": [s for s in sanctions if s.author_id == author.pk and s.proposed and s.confirmed_at is None],
        "strikes": history["strikes"],
        "notes_form": NotesForm(initial={"staff_notes": author.staff_notes}),
        "warn_form": WarnForm(),
        "suspend_form": SuspendForm(),
        "premoderate_form": PremoderateForm(),
        "lift_form": LiftForm(),
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
        if form.is_valid():
            ok, sanction = call(request, sanction_warn, author=author, channel=author.channel, actor=user,
                                reason=form.cleaned_data["reason"], strike=form.cleaned_data["strike"],
                                message=form.cleaned_data["message"])
            if ok and getattr(sanction, "sent", False):
                messages.success(request, _("Varningen är registrerad och meddelandet skickas till avsändaren."))
            elif ok and form.cleaned_data["message"].strip():
                messages.success(request, _("Varningen är registrerad. Plattformen kan inte ta emot meddelandet: "
                                            "skicka det på annat sätt om det behövs."))
            elif ok:
                messages.success(request, _("Varningen är registrerad."))
    elif action == "suspend":
        form = SuspendForm(request.POST)
        if form.is_valid() and call(request, sanction_suspend, author=author, channel=author.channel, actor=user,
                                    days=form.cleaned_data["days"], reason=form.cleaned_data["reason"])[0]:
            messages.success(request, _("Avsändaren är avstängd: allt nytt från kontot döljs under %(n)d dagar.")
                             % {"n": form.cleaned_data["days"]})
    elif action == "premoderate":
        form = PremoderateForm(request.POST)
        if form.is_valid() and call(request, author_premoderate, author=author, channel=author.channel, actor=user,
                                    reason=form.cleaned_data["reason"])[0]:
            messages.success(request, _("Allt nytt från avsändaren väntar nu på granskning innan det visas."))
    elif action == "lift":
        form = LiftForm(request.POST)
        raw = request.POST.get("sanction", "")
        sanction = author.sanctions.filter(pk=int(raw)).first() if raw.isdecimal() and len(raw) <= 18 else None
        if sanction is None:
            messages.error(request, _("Åtgärden finns inte för avsändaren."))
            return redirect("author_detail", pk=author.pk)
        if form.is_valid() and call(request, restriction_lift, sanction=sanction, actor=user,
                                    reason=form.cleaned_data["reason"])[0]:
            messages.success(request, _("Åtgärden har upphört."))
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
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("author_detail", pk=author.pk)
