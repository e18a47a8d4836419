"""Consent for what the municipality publishes (Linköping: no pictures or personal data of people without
their consent): who consented, when, how, to what, the signed form, which posts rest on it, withdrawal."""
