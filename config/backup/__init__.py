"""Backup and restore of the database and the stored files (manage.py backup / restore)."""
