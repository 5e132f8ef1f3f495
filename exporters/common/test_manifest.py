import hashlib
import json

import pytest

from exporters.common.manifest import sha256_of, write_manifest


def test_manifest_records_the_sha256_of_the_model_file_on_disk(tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"graph bytes")
    path = write_manifest(tmp_path, {"name": "m", "version": 1})
    written = json.loads(path.read_text())
    assert written == {
        "name": "m", "version": 1, "sha256": hashlib.sha256(b"graph bytes").hexdigest()
    }
    assert written["sha256"] == sha256_of(tmp_path / "model.onnx")


def test_manifest_cannot_be_written_before_the_model(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_manifest(tmp_path, {"name": "m"})
