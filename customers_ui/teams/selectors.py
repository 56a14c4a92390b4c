"""Reads about teams: a user's teams, a team's credentials and change history."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from customers_ui.models import PartnerCredential, Team, TeamChange


def team_list(*, user: AbstractBaseUser) -> QuerySet[Team]:
    """The teams this user is a member of."""
    return Team.objects.filter(members=user).order_by("name")


def team_credentials(*, user: AbstractBaseUser) -> QuerySet[PartnerCredential]:
    """The team credentials this user may use now (membership is read on every call)."""
    return (
        PartnerCredential.objects.filter(team__in=Team.objects.filter(members=user))
        .select_related("team")
        .order_by("team__name", "label", "pk")
    )


def team_changes(*, team: Team) -> QuerySet[TeamChange]:
    return TeamChange.objects.filter(team=team).order_by("-created_at", "-pk")
