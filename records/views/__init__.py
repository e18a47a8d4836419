"""Views of the diarium (registrars), the inbox, search and the public postlista."""
