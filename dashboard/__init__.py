"""The Django project around the customer lookup dashboard's app (`customers_ui`): settings read
from the environment, root URLs, WSGI, and the wiring of backing services, logs and Sentry."""

__version__ = "0.1.0"
