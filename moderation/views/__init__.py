"""The moderation app's pages. Views validate input and call modback's services
(`moderation.services`, `moderation.queue`); they hold no business rules."""
