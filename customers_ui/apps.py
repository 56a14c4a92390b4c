from django.apps import AppConfig


class CustomersUiConfig(AppConfig):
    name = "customers_ui"
    verbose_name = "Customer lookup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from customers_ui import checks  # noqa: F401 - registers the system checks
