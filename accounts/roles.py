"""What each role may do, as Django permissions.

The mapping is the single source of truth; `sync_roles()` makes each group hold exactly these
permissions. Every app that adds models adds their permissions here and a migration that calls
`sync_roles` (the permission rows are created first, so the migration works on a fresh database).
Entries are "app_label.codename"; a trailing "*" matches by prefix, and "!" in front removes.
"""

from fnmatch import fnmatchcase

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "moderator": [
        "accounts.view_unit",
        "moderation.view_channel",
        "moderation.view_item",
        "moderation.view_author",
        "moderation.change_author",
        "moderation.view_rule",
        "moderation.view_flag",
        "moderation.add_flag",
        "moderation.view_decision",
        "moderation.add_decision",
        "moderation.view_sanction",
        "moderation.add_sanction",
        "moderation.view_replytemplate",
        "moderation.view_publicreport",
        "moderation.add_publicreport",
        "moderation.change_publicreport",
        "moderation.view_reporter_contact",
        "moderation.view_reportemail",
        "moderation.view_policereport",
        "moderation.add_policereport",
        "moderation.change_policereport",
        "moderation.moderate_item",
        "moderation.view_platformaction",
        # Linköping's policy: consent for pictures and names in what the unit publishes.
        "moderation.view_consent",
        "moderation.add_consent",
        "moderation.change_consent",
        "moderation.view_attachment",
        "moderation.view_evidencesheet",
        # The annual statistics, for the channels of their own units only (moderation/statistics).
        "moderation.view_statistics",
    ],
    "registrar": [
        "accounts.view_unit",
        "moderation.view_channel",
        "moderation.view_item",
        "moderation.view_author",
        "moderation.view_rule",
        "moderation.view_flag",
        "moderation.view_decision",
        "moderation.register_item",
        "moderation.view_statistics",
        # Registrars set and see secrecy (records.view_secret); the same for items marked secret.
        "moderation.view_secret_item",
        "records.view_*",
        "records.add_series",
        "records.change_series",
        "records.add_case",
        "records.change_case",
        "records.add_document",
        "records.change_document",
        "records.add_secrecymarking",
        "records.change_secrecymarking",
        "records.view_secret",
        "records.add_registrationproposal",
        "records.change_registrationproposal",
        "records.add_disclosurerequest",
        "records.change_disclosurerequest",
        "records.add_disclosureitem",
        "records.change_disclosureitem",
        "records.add_disclosuredecisionsetting",
        "records.change_disclosuredecisionsetting",
        "records.register_document",
        "records.add_archivedelivery",
        "records.change_archivedelivery",
        "!records.view_purge*",
        "!records.view_subjectrequest",
        "!records.view_subjectrequesthit",
        "!records.view_historicalpurgelist",
        "!records.view_historicalsubjectrequest",
    ],
    "archivist": [
        "accounts.view_unit",
        "accounts.view_history",
        "moderation.view_channel",
        "moderation.view_item",
        "moderation.view_author",
        "moderation.view_rule",
        "moderation.view_statistics",
        "records.view_*",
        "!records.view_secret",
        "records.add_retentionclass",
        "records.change_retentionclass",
        "records.add_purgelist",
        "records.change_purgelist",
        "records.approve_purgelist",
        "records.execute_purgelist",
        "records.add_legalhold",
        "records.change_legalhold",
        "records.add_subjectrequest",
        "records.change_subjectrequest",
        "records.approve_subjectrequest",
        "records.assign_retention",
        "records.add_archivedelivery",
        "records.change_archivedelivery",
    ],
    "administrator": [
        "accounts.*",
        "!accounts.delete_auditevent",
        "!accounts.change_auditevent",
        "!accounts.add_auditevent",
        "moderation.*",
        # Configuration role: "moderation.*" must not include reading secret content.
        "!moderation.view_secret_item",
        # nor reporters' addresses (personal data, for the moderators who handle the reports)
        "!moderation.view_reporter_contact",
        "records.view_series",
        "records.add_series",
        "records.change_series",
        "records.view_legalground",
        "records.add_legalground",
        "records.change_legalground",
        "records.view_registrationsetting",
        "records.change_registrationsetting",
        "records.view_disclosuredecisionsetting",
        "records.add_disclosuredecisionsetting",
        "records.change_disclosuredecisionsetting",
        "authtoken.*",
        "django_tasks_database.view_*",
    ],
    "auditor": [
        "accounts.view_*",
        "!accounts.view_user_password",
        "moderation.view_*",
        "!moderation.view_secret_item",
        "!moderation.view_reporter_contact",
        "records.view_*",
        "!records.view_secret",
    ],
}


def permission_codes(spec: list[str], available: list[str]) -> set[str]:
    """Resolve a role's spec against the available "app.codename" strings."""
    chosen: set[str] = set()
    for entry in spec:
        if not entry.startswith("!"):
            chosen |= {code for code in available if fnmatchcase(code, entry)}
    # Negations apply to the whole spec, wherever they stand.
    for entry in spec:
        if entry.startswith("!"):
            chosen -= {code for code in available if fnmatchcase(code, entry[1:])}
    return chosen


def sync_roles(apps=None, schema_editor=None, verbosity: int = 0) -> dict[str, int]:
    """Create the role groups and set their permissions exactly; idempotent.

    Works both from a migration (with historical `apps`) and at run time.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    registry = apps or global_apps
    # Permissions are normally created after all migrations; create them now so a fresh
    # database gets its roles from the migration itself.
    for app_config in registry.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=verbosity, apps=registry)
        finally:
            app_config.models_module = original

    Group = registry.get_model("auth", "Group")
    Permission = registry.get_model("auth", "Permission")
    perms = {
        f"{p['content_type__app_label']}.{p['codename']}": p["pk"]
        for p in Permission.objects.values("pk", "codename", "content_type__app_label")
    }
    counts = {}
    for role, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = {perms[c] for c in permission_codes(spec, list(perms))}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted - current:
            group.permissions.add(*(wanted - current))
        if current - wanted:
            group.permissions.remove(*(current - wanted))
        counts[role] = len(wanted)
    return counts
