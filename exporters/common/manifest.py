"""The model repository's ``model.json``: what the serving side needs to load and check a model."""

import hashlib
import json
from pathlib import Path

MODEL_FILE = "model.onnx"
MANIFEST_FILE = "model.json"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(version_dir, manifest):
    """Writes ``manifest`` plus the sha256 of the directory's model.onnx, which must exist already.

    The hash is taken here, from the file on disk, so it always describes the shipped bytes.
    """
    version_dir = Path(version_dir)
    complete = dict(manifest, sha256=sha256_of(version_dir / MODEL_FILE))
    path = version_dir / MANIFEST_FILE
    path.write_text(json.dumps(complete, indent=2) + "\n")
    return path
