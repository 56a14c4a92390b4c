"""Teams: admin-held partner credentials that team members use without seeing (docs/teams.md)."""
