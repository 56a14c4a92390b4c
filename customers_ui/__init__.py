"""The customer lookup dashboard's one Django app: support staff sign in (password or single
sign-on, with a second factor), hold their own Thredfi partner credentials, browse each partner's
business directory and look up that business's customers, every lookup audited.

Feature packages (lookup, directory, credentials, accounts, preferences, health) stand on the
Thredfi adapter (upstream), the models and the shared plumbing (core), which stand on a Thredfi
client that knows nothing of Django (thredfi). The app root keeps only Django's switchboard
files; `.importlinter` checks that imports point down (docs/architecture.md).
"""
