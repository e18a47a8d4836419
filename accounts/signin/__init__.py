"""Staff sign-in: local passwords (with optional TOTP two-factor) and the municipality's OpenID
Connect provider, whose groups decide the user's roles and units."""
