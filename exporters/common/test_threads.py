import pytest
import torch

from exporters.common.threads import use_threads


def test_thread_count_is_set_explicitly():
    before = torch.get_num_threads()
    try:
        assert use_threads(2) == 2
    finally:
        torch.set_num_threads(before)


def test_zero_threads_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        use_threads(0)
