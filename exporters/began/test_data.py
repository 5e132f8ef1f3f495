import hashlib
import io
import json
import tarfile

import numpy as np
import pytest

from exporters.began import data


def fake_set(tmp_path, images_per_class, fashion):
    """A tarball shaped like the npm package, and an ImageSet whose sha256 is its own."""
    tarball = tmp_path / "fake-1.0.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for label in range(10):
            if fashion:  # a list of 0..255 rows, with the empty rows the real files have
                body = {"data": [[label] * 784] * images_per_class + [[]]}
            else:  # one flat list of 0..1 values with three decimals
                body = {"data": [round(label / 255, 3)] * (784 * images_per_class)}
            raw = json.dumps(body).encode()
            info = tarfile.TarInfo(f"package/src/x/{label}.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    return data.ImageSet("fake", "fake@1.0.0", digest, "package/src/x/")


@pytest.mark.parametrize("fashion", [False, True])
def test_both_package_layouts_decode_to_28_by_28_grey_levels(tmp_path, fashion):
    image_set = fake_set(tmp_path, 3, fashion)
    images = data.load(image_set, tmp_path)
    assert images.shape == (30, 28, 28) and images.dtype == np.uint8
    assert images[-1, 0, 0] == 9


def test_a_tarball_with_another_sha256_is_refused(tmp_path):
    image_set = fake_set(tmp_path, 1, False)
    tampered = data.ImageSet(image_set.name, image_set.package, "0" * 64, image_set.member_dir)
    with pytest.raises(ValueError, match="sha256"):
        data.load(tampered, tmp_path)


def test_the_split_holds_out_the_same_images_every_time():
    images = np.arange(3000)
    _, first = data.split(images)
    _, again = data.split(images)
    assert len(first) == data.HELD_OUT and np.array_equal(first, again)


def test_the_committed_sample_is_small_and_from_both_sets():
    for name in data.SETS:
        sample = data.load_sample(name)
        assert sample.shape == (data.SAMPLE_PER_SET, 28, 28)
    assert sum((data.SAMPLE_DIR / f"{n}.u8").stat().st_size for n in data.SETS) < 1_000_000
