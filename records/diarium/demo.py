"""Demo data for the diarium (runs after moderation's demo): series KS and KFN, the removed
comments from the registrar's inbox registered into a case, documents with a secret sender and
with secret content, and a few documents registered by hand. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from records.diarium.services.cases import case_open
from records.diarium.services.registration import document_register, proposal_accept
from records.models import (
    Case,
    Document,
    LegalGround,
    ProposalStatus,
    RegistrationProposal,
    RegistrationSetting,
    SecrecyPart,
    Series,
)
from records.secrecy.services import secrecy_mark

SERIES = [
    ("KS", "Kommunstyrelsens diarium", "Kommunstyrelsen", "{series} {year}/{number}", "kommunledning"),
    ("KFN", "Kultur- och fritidsnämndens diarium", "Kultur- och fritidsnämnden", "{series}/{year}/{number:04d}",
     "kultur-fritid"),
]
REMOVED_CASE_TITLE = "Raderade kommentarer på kommunens sociala medier {year}"
POLICE_CASE_TITLE = "Polisanmälningar om hot och brott på kommunens sociala medier {year}"
HAND_CASE_TITLE = "Synpunkter på badhusets öppettider"


def _ground(code: str) -> LegalGround:
    ground, _ = LegalGround.objects.get_or_create(code=code, defaults={"title": code})
    return ground


def _series() -> dict[str, Series]:
    result = {}
    for code, name, body, fmt, unit_code in SERIES:
        series, _ = Series.objects.get_or_create(code=code, defaults={
            "name": name, "body": body, "number_format": fmt, "unit": Unit.objects.filter(code=unit_code).first(),
        })
        result[code] = series
    for reason in ("removed_inappropriate", "confidential", "individual_matter", "special_interest",
                   "adds_to_case", "requested", "police_report", "other"):
        RegistrationSetting.objects.filter(reason=reason, default_series__isnull=True).update(
            default_series=result["KS"])
    # The running cases: removed comments go to the year's collection case; submitted police reports are
    # registered at once into the year's police report case (the municipality's choice of series: KS).
    RegistrationSetting.objects.filter(reason="removed_inappropriate", running_case_title="").update(
        running_case_title=REMOVED_CASE_TITLE)
    RegistrationSetting.objects.filter(reason="police_report", running_case_title="").update(
        running_case_title=POLICE_CASE_TITLE, auto_register=True)
    return result


def _register_inbox(series: Series, registrar: User) -> int:
    """Accept the pending moderation proposals into one case; the first gets a secret sender."""
    pending = list(RegistrationProposal.objects.filter(status=ProposalStatus.PENDING, source_type="moderation.item")
                   .order_by("proposed_at", "id"))
    if not pending:
        return 0
    year = timezone.localdate().year
    title = REMOVED_CASE_TITLE.format(year=year)
    case = Case.objects.filter(series=series, title=title).first() or case_open(
        series=series, title=title, actor=registrar, responsible=registrar,
        public_title="Raderade kommentarer på kommunens sociala medier")
    RegistrationSetting.objects.filter(reason="removed_inappropriate", running_case__isnull=True).update(
        running_case=case)
    any_secret_sender = Document.objects.filter(
        case=case, secrecy_markings__part=SecrecyPart.SENDER, secrecy_markings__lifted_at__isnull=True).exists()
    done = 0
    for proposal in pending:
        secret_parts = {}
        if proposal.secret:
            secret_parts["content"] = _ground("OSL 21 kap. 1 §")
        if not any_secret_sender:
            # The author wrote about their own protected address: the sender is protected.
            secret_parts["sender"] = _ground("OSL 21 kap. 3 §")
            any_secret_sender = True
        proposal_accept(proposal=proposal, actor=registrar, case=case, secret_parts=secret_parts or None,
                        public_description="Raderad kommentar")
        done += 1
    return done


def _hand_registered(series: Series, registrar: User) -> int:
    if Case.objects.filter(series=series, title=HAND_CASE_TITLE).exists():
        return 0
    today = timezone.localdate()
    case = case_open(series=series, title=HAND_CASE_TITLE, actor=registrar, responsible=registrar,
                     classification_code="3.1.2", unit=series.unit)
    document_register(
        case=case, direction="incoming", date=today - dt.timedelta(days=3), sender="Simklubben Delfinen",
        sender_is_private_person=False, description="Skrivelse om kvällsöppet i badhuset",
        reason="adds_to_case", actor=registrar,
        content="Simklubben Delfinen önskar att badhuset håller öppet till kl. 21 på vardagar.",
    )
    document_register(
        case=case, direction="incoming", date=today - dt.timedelta(days=2), sender="Karin Lind",
        description="Synpunkt via Facebook om öppettider", reason="adds_to_case", actor=registrar,
        content="Kan ni öppna tidigare på helger? Jag simmar gärna före jobbet.",
    )
    secret = document_register(
        case=case, direction="incoming", date=today - dt.timedelta(days=1), sender="Privatperson (anonymiserad)",
        description="Meddelande med uppgifter om en enskilds personliga förhållanden",
        public_description="Meddelande till kultur- och fritidsförvaltningen", reason="confidential",
        actor=registrar,
        content="Min son har en diagnos och behöver enskilt omklädningsrum; han får stöd från socialtjänsten.",
        secret_parts={"content": _ground("OSL 26 kap. 1 §")},
    )
    secrecy_mark(document=secret, part="sender", legal_ground=_ground("OSL 21 kap. 3 §"), actor=registrar)
    document_register(
        case=case, direction="outgoing", date=today, sender="Simklubben Delfinen", sender_is_private_person=False,
        description="Svar om öppettider", reason="adds_to_case", actor=registrar,
        content="Tack för er skrivelse. Nämnden behandlar öppettiderna i maj.",
    )
    return 4


def seed(*, stdout=None, context=None) -> dict:
    registrar = User.objects.filter(username="registrar").first()
    with transaction.atomic():
        series = _series()
        accepted = _register_inbox(series["KS"], registrar)
        by_hand = _hand_registered(series["KFN"], registrar)
    if stdout is not None:
        stdout.write(f"  diarium: {accepted} förslag diarieförda, {by_hand} handlingar registrerade för hand, "
                     f"{Document.objects.count()} handlingar totalt")
    return {"accepted": accepted, "hand_registered": by_hand}
