"""The adapter between Django and the Django-free Thredfi client (`customers_ui.thredfi`).

Settings, the shared cache and stored credentials meet the client here and nowhere else:
`clients` builds a client for a credential, `guards` holds the process's bulkhead and breaker,
`caching` says whose cache entry is whose, `links` decides which download links may be followed.
"""
