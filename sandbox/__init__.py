"""A local, Thredfi-compatible Partner API (what stripe-mock is to Stripe).

Stdlib only, so the dashboard's demo, its tests and its benchmarks can talk real HTTP to something
that follows the published contract without network access or credentials. Run it with
``python -m sandbox``; drive it from tests with :class:`sandbox.testing.SandboxProcess`.
"""
