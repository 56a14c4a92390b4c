"""Single sign-on tests use `oidc_provider_process` / `oidc_provider` from tests/conftest.py,
shared with tests/accounts and tests/browser (one provider process per test session)."""
