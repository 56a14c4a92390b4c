"""A real OpenID Connect provider for the test suite (django-oauth-toolkit, run in a subprocess).

It is a separate Django project with its own settings, database and secrets, so the dashboard's
SSO code is tested against genuine OIDC over loopback HTTP instead of a mock of the protocol.
Start it with ``tests.oidc_provider.process.OIDCProviderProcess``; nothing in this package may
import Django at import time, because the dashboard's test process imports ``process`` too.
"""
