import boto3
import pytest
from django.core.management import CommandError, call_command


def test_configure_bucket_allows_uploads_from_the_site_only(s3_storage, settings):
    settings.SITE_URL = "https://awards.example.org/some/path"

    call_command("configure_bucket")

    client = boto3.client(
        "s3",
        endpoint_url=s3_storage.endpoint,
        region_name="us-east-1",
        aws_access_key_id="t",
        aws_secret_access_key="t",
    )
    rule = client.get_bucket_cors(Bucket=s3_storage.bucket)["CORSRules"][0]
    assert (rule["AllowedOrigins"], sorted(rule["AllowedMethods"])) == (
        ["https://awards.example.org"],
        ["GET", "POST"],
    )
    expiry = client.get_bucket_lifecycle_configuration(Bucket=s3_storage.bucket)["Rules"][0]
    assert (expiry["Filter"]["Prefix"], expiry["Expiration"]["Days"]) == ("staging/", 2)


def test_configure_bucket_needs_s3():
    with pytest.raises(CommandError):
        call_command("configure_bucket")
