"""Where moderation fills the records app's registry when it starts (imported by ModerationConfig.ready).

`records` never imports `moderation` (DESIGN.md, Architecture): instead moderation tells records'
registry what can be registered (items), what retention covers (items, authors, public reports)
and where a data-subject search looks. The registrations are added here once records' registry
exists; until then this module is intentionally empty.
"""
