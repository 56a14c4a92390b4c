"""Bench-only routes: the reference customer page and /healthz (what the harness polls)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from bench.reference.views import customer


@login_not_required
def healthz(request):
    return HttpResponse("ok")


urlpatterns = [
    path("healthz", healthz),
    path("customers/<uuid:business_id>/<uuid:customer_id>/", customer),
]
