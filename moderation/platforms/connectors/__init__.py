"""Connectors to the social media platforms (pure Python + httpx, no Django).

- ``events``: ``PlatformEvent``, the one shape every platform's comments and posts are turned into.
- ``errors``: the exception hierarchy the outbox worker uses to decide between retry, back-off and giving up.
- ``meta``: Facebook pages and Instagram (webhook verification and parsing, Graph API client).
- ``youtube``: YouTube Data API v3 (polling comment threads, moderation status).
- ``linkedin``: LinkedIn Community Management API (polling and deleting comments).
"""
