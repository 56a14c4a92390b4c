"""The afternoon version: a bare Django proxy of the customer page, for `make bench` only.

What a team would write in an afternoon: Django's own sessions and login wall, one `requests`
GET per page, a plain template. `make bench` serves it with the same gunicorn settings beside the
dashboard so the report compares like with like. It is reachable only under
DJANGO_SETTINGS_MODULE=bench.reference.settings: production settings never route to it.
"""
