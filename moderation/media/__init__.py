"""Media: the pictures, video and other attachments of items, fetched from the platforms' CDNs and stored
(content-addressed, with SHA-256) in Django's storage, and the evidence sheets (PDF/A + PNG) of items."""
