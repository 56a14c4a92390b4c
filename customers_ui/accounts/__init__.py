"""Signing in: the password form, single sign-on with OpenID Connect, second factors, and the
sign-in audit trail.

Library choices (docs/sign-in.md): Authlib is the OpenID
Connect client, django-otp keeps the TOTP and recovery-code devices, segno draws the QR code.
"""
