"""A user's own Thredfi partner credentials: pages, use cases, forms and reads."""
