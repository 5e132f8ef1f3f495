from argparse import Namespace

from exporters.common.cli import model_version


def test_model_version_comes_from_the_version_directory_unless_given():
    assert model_version(Namespace(version=None, out="models/ssd/3")) == 3
    assert model_version(Namespace(version=None, out="build/dgex-paper/model")) == 1
    assert model_version(Namespace(version=7, out="models/dgex/3")) == 7
