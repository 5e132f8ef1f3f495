import json
from dataclasses import dataclass

import torch

from exporters.common.checkpoint import METRICS_FILE, load_metrics, load_run, save_run


@dataclass(frozen=True)
class Config:
    width: int = 3


def test_a_saved_run_gives_back_its_weights_configs_sizes_and_metrics(tmp_path):
    weights = torch.nn.Linear(2, 1).state_dict()
    work = save_run(tmp_path / "work", weights, {"training": Config(5)}, {"train": 10},
                    {"loss": 0.5})
    run = load_run(work)
    assert torch.equal(run["weights"]["weight"], weights["weight"])
    assert run["training"] == {"width": 5}
    assert run["sizes"] == {"train": 10}
    assert load_metrics(work) == {"training": {"width": 5}, "sizes": {"train": 10}, "loss": 0.5}
    assert json.loads((work / METRICS_FILE).read_text())["loss"] == 0.5
