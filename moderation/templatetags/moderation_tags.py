"""Template helpers for the moderation pages."""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def merge_spans(spans, length: int) -> list[tuple[int, int]]:
    """Clamp spans to the text and merge overlapping or touching ones (sorted by start)."""
    cleaned = []
    for span in spans or ():
        try:
            start, end = int(span["start"]), int(span["end"])
        except (KeyError, TypeError, ValueError):
            continue
        start, end = max(0, start), min(length, end)
        if end > start:
            cleaned.append((start, end))
    cleaned.sort()
    merged: list[tuple[int, int]] = []
    for start, end in cleaned:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@register.filter
def highlight(text, spans):
    """Escape `text` and wrap each flagged span in <mark class="hit">; spans = [{start, end}, ...]
    (or a list of flags whose `.spans` are used)."""
    text = "" if text is None else str(text)
    flat = []
    for entry in spans or ():
        if isinstance(entry, dict):
            flat.append(entry)
        else:
            flat.extend(getattr(entry, "spans", None) or [])
    out, pos = [], 0
    for start, end in merge_spans(flat, len(text)):
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="hit">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


@register.filter
def excerpt_spans(text, spans, width: int = 160):
    """A window of about `width` characters around the first span, highlighted."""
    text = "" if text is None else str(text)
    flat = []
    for entry in spans or ():
        flat.extend([entry] if isinstance(entry, dict) else (getattr(entry, "spans", None) or []))
    merged = merge_spans(flat, len(text))
    if len(text) <= width:
        return highlight(text, flat)
    start = max(0, (merged[0][0] - width // 3) if merged else 0)
    end = min(len(text), start + width)
    window = [{"start": s - start, "end": e - start} for s, e in merged if s >= start and e <= end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(escape(prefix) + highlight(text[start:end], window) + escape(suffix))


@register.filter
def age(value):
    """'3 min', '2 h', '4 d' since a datetime."""
    if not value:
        return ""
    delta = timezone.now() - value
    return duration(delta)


@register.filter
def duration(delta):
    if delta is None:
        return "—"
    if not isinstance(delta, dt.timedelta):
        return str(delta)
    seconds = int(delta.total_seconds())
    if seconds < 0:
        seconds = 0
    if seconds < 60:
        return _("%(n)d s") % {"n": seconds}
    if seconds < 3600:
        return _("%(n)d min") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(h)d h %(m)d min") % {"h": seconds // 3600, "m": seconds % 3600 // 60}
    return _("%(n)d d %(h)d h") % {"n": seconds // 86400, "h": seconds % 86400 // 3600}


@functools.lru_cache(maxsize=256)
def _choice_labels(model, field_name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


@register.filter
def display(obj, field_name: str):
    """`obj.get_<field_name>_display()`, from a per-language cache. Django's own method rebuilds a
    hashable dict of every choice, translating each label, on every call: in a list of 100 rows
    with four such fields that cost more than the rest of the row."""
    if obj is None:
        return ""
    value = getattr(obj, field_name)
    try:
        return _choice_labels(type(obj)._meta.concrete_model, field_name, get_language()).get(value, value)
    except TypeError:  # an unhashable value: no choice can match it
        return value


@register.filter
def received_time(value):
    """`<time>` with the ISO timestamp, the local time as its title and the age as its text (one
    conversion to local time instead of two `date` filters and `age`)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return mark_safe(f'<time datetime="{escape(local.isoformat())}" title="{local:%Y-%m-%d %H:%M}">'
                     f"{escape(age(value))}</time>")


@register.filter
def priority_class(value) -> str:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return ""
    return {0: "danger", 1: "warn", 2: "warn"}.get(value, "ok")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current GET query with some keys replaced (None/'' removes); page is always reset."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def claim_holder(item) -> str:
    """The name of whoever holds a live claim on the item, else ''."""
    if not getattr(item, "claimed_by_id", None):
        return ""
    expires = getattr(item, "claim_expires_at", None)
    if expires is not None and expires <= timezone.now():
        return ""
    user = item.claimed_by
    return user.get_full_name() or user.get_username()


def claim_text(name: str, expires, now=None) -> str:
    """"Anna Berg granskar, 4 min kvar" (the minutes rounded up), or "Anna Berg granskar" without an end."""
    if not name:
        return ""
    if expires is None:
        return _("%(name)s granskar") % {"name": name}
    now = now or timezone.now()
    minutes = max(1, -(-int((expires - now).total_seconds()) // 60))
    return _("%(name)s granskar, %(n)d min kvar") % {"name": name, "n": minutes}


@register.filter
def claim_label(item) -> str:
    """Who holds a live claim on the item and for how long, for the queue row; '' when nobody."""
    return claim_text(claim_holder(item), getattr(item, "claim_expires_at", None))


@register.filter
def serious_row(item) -> bool:
    """The row's open flags (prefetched) include a threat, a crime or an identity number."""
    from moderation.queue.services.decisions import is_serious_flag

    return any(is_serious_flag(f) for f in getattr(item, "open_flags", ()))
