"""The public section of the centre's website: published documents, no login."""
