"""Evidence in S3-compatible object storage, chosen by configuration alone. The S3
service is the outside dependency here, so it is the one thing mocked (moto)."""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from moto import mock_aws

from tests.records import samples
from yangguang.records.evidence import evidence_add
from yangguang.records.registry import target_for
from yangguang.records.verify import chain_verify

BUCKET = "yangguang-evidence"


@pytest.fixture
def s3_evidence(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        boto3.client("s3", region_name="cn-north-1").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "evidence": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "cn-north-1",
                    "location": "evidence",
                    "file_overwrite": False,
                },
            },
        }
        yield


def test_evidence_is_stored_in_object_storage_by_its_hash(s3_evidence, org_tree):
    content = samples.jpeg_with_exif()
    evidence = evidence_add(
        upload=ContentFile(content, name="现场.jpg"),
        name="现场.jpg",
        target=target_for(org_tree.squadron1),
        actor=None,
    )
    assert (
        evidence.storage_name
        == f"{evidence.sha256[:2]}/{evidence.sha256[2:4]}/{evidence.sha256}.jpg"
    )
    keys = [
        item["Key"]
        for item in boto3.client("s3", region_name="cn-north-1").list_objects_v2(Bucket=BUCKET)[
            "Contents"
        ]
    ]
    assert keys == [f"evidence/{evidence.storage_name}"]
    with storages["evidence"].open(evidence.storage_name, "rb") as handle:
        assert handle.read() == content
    report = chain_verify(evidence=True)
    assert (report.ok, report.evidence_files) == (True, 1)


def test_stored_object_is_never_overwritten(s3_evidence, org_tree):
    content = samples.jpeg_with_exif()
    for unit in (org_tree.squadron1, org_tree.squadron2):
        evidence_add(
            upload=ContentFile(content, name="a.jpg"),
            name="a.jpg",
            target=target_for(unit),
            actor=None,
        )
    listing = boto3.client("s3", region_name="cn-north-1").list_objects_v2(Bucket=BUCKET)
    assert listing["KeyCount"] == 1
