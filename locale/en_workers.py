"""English for the task workers, the scheduler's job table, backups and refused webhook calls."""

EN = {
    "Schemalagda jobb": "Scheduled jobs", "schemalagt jobb": "scheduled job", "schemalagda jobb": "scheduled jobs",
    "jobb": "job", "nästa körning": "next run", "körs av": "run by", "lån till": "lease until",
    "senast startad": "last started", "senast klar": "last finished", "senaste resultat": "last result",
    "senaste fel": "last error", "antal körningar": "runs",
    "Säkerhetskopior": "Backups",
    "avsändaradress": "source address", "skäl": "reason", "storlek (byte)": "size (bytes)",
    "innehållets början": "start of the content", "avvisat webhook-anrop": "refused webhook call",
    "avvisade webhook-anrop": "refused webhook calls",
}
