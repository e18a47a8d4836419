"""Retention (gallring): the information management plan, purge lists and their journal."""
