"""Prepare the S3 bucket for direct uploads: CORS for the site's origin, no public access."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from submissions import storage
from submissions.models import STAGING_PREFIX


class Command(BaseCommand):
    help = (
        "Set the bucket's CORS rule (POST and GET from SITE_URL), expire stale upload objects "
        "and block public access."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin", action="append", help="Allowed origin (default: SITE_URL); repeatable."
        )

    def handle(self, *args, origin, **options):
        if not storage.using_s3():
            raise CommandError(
                "No S3 bucket configured (set S3_BUCKET): local storage needs no CORS."
            )
        origins = origin or [
            f"{urlsplit(settings.SITE_URL).scheme}://{urlsplit(settings.SITE_URL).netloc}"
        ]
        client = default_storage.connection.meta.client
        bucket = default_storage.bucket_name
        client.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": origins,
                        "AllowedMethods": ["POST", "GET"],
                        "AllowedHeaders": ["*"],
                        "ExposeHeaders": ["ETag"],
                        "MaxAgeSeconds": 3600,
                    }
                ]
            },
        )
        try:
            # Upload objects are copied to a permanent key at finalize and deleted; anything
            # left under staging/ (an abandoned upload, a replayed upload permission) expires
            # even where cleanup_uploads does not run.
            client.put_bucket_lifecycle_configuration(
                Bucket=bucket,
                LifecycleConfiguration={
                    "Rules": [
                        {
                            "ID": "hcda-expire-staging",
                            "Filter": {"Prefix": STAGING_PREFIX},
                            "Status": "Enabled",
                            "Expiration": {"Days": 2},
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                        }
                    ]
                },
            )
        except client.exceptions.ClientError as error:
            self.stderr.write(
                f"Lifecycle rule not set ({error}); run cleanup_uploads daily to remove stale uploads."
            )
        try:
            client.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
        except client.exceptions.ClientError as error:  # some S3-compatible stores lack this call
            self.stderr.write(
                f"Public access block not set ({error}); make sure the bucket is private."
            )
        self.stdout.write(f"Bucket {bucket}: uploads allowed from {', '.join(origins)}.")
