"""Staff accounts: roles (Django groups named after vigil.access.Role), two-factor login (TOTP),
login rate limiting and session expiry."""
