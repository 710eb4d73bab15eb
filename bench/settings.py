"""The production settings (debug off, hashed static files, sessions in the database) for the
benchmarks, with two changes: mail goes to files under the run's var directory, where the
surge benchmark counts the receipts, and plain HTTP on loopback is not redirected to HTTPS.
"""

from config.settings import *  # noqa: F403
from config.settings import DEBUG, VAR_DIR

if DEBUG:
    raise RuntimeError("bench.settings measures production settings: set DJANGO_DEBUG=false")

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
}
SECURE_SSL_REDIRECT = False
