import copy
from dataclasses import replace

import torch

from exporters.guesswhat.game import (
    QUESTION_BUDGET,
    STOP_ID,
    GameConfig,
    dialogue_examples,
    generate_split,
    oracle_examples,
)
from exporters.guesswhat.training import (
    TrainingConfig,
    build_models,
    guesser_loss,
    oracle_loss,
    self_play,
    train_reinforce,
    train_supervised,
)

TINY = TrainingConfig(embedding=8, hidden=16, scene=8, batch_size=16, reinforce_steps=3,
                      reinforce_batch=8, reinforce_learning_rate=1e-2)
GAMES = generate_split(GameConfig(), 0, "train", 64)


def tiny_models():
    torch.manual_seed(0)
    return build_models(TINY)


def test_self_play_ends_every_dialogue_with_stop_within_the_question_budget():
    models = tiny_models()
    for greedy in (True, False):
        play = self_play(models["qgen"], models["oracle"], models["guesser"], GAMES[:16], greedy,
                         torch.Generator().manual_seed(0))
        assert (play["questions"] <= QUESTION_BUDGET).all()
        assert ((play["tokens"] == STOP_ID).sum(1) == 1).all()
        assert play["success"].dtype == torch.bool and play["success"].shape == (16,)
        assert not play["sampled"][:, 0].any()


def test_a_few_reinforce_steps_run_and_change_the_qgen_parameters():
    models = tiny_models()
    before = copy.deepcopy(models["qgen"].state_dict())
    policy, history = train_reinforce(models["qgen"], models["oracle"], models["guesser"], GAMES,
                                      TINY)
    assert [entry["step"] for entry in history] == [1, 2, 3]
    assert all(0.0 <= entry["reward"] <= 1.0 for entry in history)
    changed = [name for name, tensor in policy.state_dict().items()
               if not torch.equal(tensor, before[name])]
    assert "out.weight" in changed and "lstm.weight_ih_l0" in changed
    for name, tensor in models["qgen"].state_dict().items():
        assert torch.equal(tensor, before[name]), f"the supervised QGen changed: {name}"


def test_supervised_training_lowers_oracle_and_guesser_losses():
    models = tiny_models()
    config = replace(TINY, learning_rate=1e-2)
    oracle = train_supervised(models["oracle"], oracle_loss, oracle_examples(GAMES), 4, config)
    guesser = train_supervised(models["guesser"], guesser_loss, dialogue_examples(GAMES), 4,
                               config)
    assert oracle[-1] < oracle[0] and guesser[-1] < guesser[0]
    assert not models["oracle"].training
