from django.apps import AppConfig


class CustomersUiConfig(AppConfig):
    name = "customers_ui"
    verbose_name = "Customer lookup dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from customers_ui import checks, signals  # noqa: F401 - registers checks and receivers
        from customers_ui.accounts import mfa, notices, sign_in_events  # noqa: F401 - sign-in receivers
