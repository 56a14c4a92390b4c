"""Each user's own settings (today: the time zone times are shown in) and the middleware that
applies them to every page."""
