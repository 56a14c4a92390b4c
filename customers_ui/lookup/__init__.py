"""Finding and reading customers: the lookup pages and their use cases."""
