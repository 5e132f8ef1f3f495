import torch

from exporters.guesswhat.game import (
    ANSWERS,
    MAX_OBJECTS,
    START_ID,
    VOCABULARY,
    TOKEN_IDS,
    GameConfig,
    dialogue_examples,
    generate_split,
    oracle_examples,
)
from exporters.guesswhat.model import BANNED_LOGIT, BANNED_TOKENS, Guesser, Oracle, QGen

GAMES = generate_split(GameConfig(), 0, "train", 6)


def test_oracle_maps_questions_and_target_features_to_three_answer_logits():
    torch.manual_seed(0)
    examples = oracle_examples(GAMES)
    logits = Oracle(embedding=8, hidden=16)(examples["tokens"], examples["lengths"],
                                            examples["category"], examples["colour"],
                                            examples["spatial"])
    assert logits.shape == (len(examples["answers"]), len(ANSWERS))


def test_guesser_scores_every_object_slot_and_masks_the_padding_ones():
    torch.manual_seed(0)
    examples = dialogue_examples(GAMES)
    logits = Guesser(embedding=8, hidden=16)(examples["tokens"], examples["lengths"],
                                             examples["objects"], examples["mask"])
    assert logits.shape == (len(GAMES), MAX_OBJECTS)
    assert (logits[examples["mask"] == 0] <= BANNED_LOGIT / 2).all()
    assert (logits[examples["mask"] == 1] > BANNED_LOGIT / 2).all()


def test_qgen_predicts_the_vocabulary_and_never_a_banned_token():
    torch.manual_seed(0)
    qgen = QGen(embedding=8, hidden=16, scene=12)
    examples = dialogue_examples(GAMES)
    scene = qgen.encode_scene(examples["objects"], examples["mask"])
    assert scene.shape == (len(GAMES), 12)
    logits, (h, c) = qgen(examples["tokens"], scene)
    assert logits.shape == (*examples["tokens"].shape, len(VOCABULARY))
    assert h.shape == c.shape == (1, len(GAMES), 16)
    banned = [TOKEN_IDS[token] for token in BANNED_TOKENS]
    assert (logits[..., banned] <= BANNED_LOGIT / 2).all()


def test_scene_encoding_ignores_padding_objects():
    torch.manual_seed(0)
    qgen = QGen(embedding=8, hidden=16, scene=12)
    examples = dialogue_examples(GAMES)
    objects = examples["objects"].clone()
    objects[examples["mask"] == 0] = 5.0
    torch.testing.assert_close(qgen.encode_scene(objects, examples["mask"]),
                               qgen.encode_scene(examples["objects"], examples["mask"]))


def test_qgen_one_step_at_a_time_equals_the_unrolled_lstm():
    torch.manual_seed(0)
    qgen = QGen(embedding=8, hidden=16, scene=12).eval()
    examples = dialogue_examples(GAMES)
    tokens = examples["tokens"]
    assert (tokens[:, 0] == START_ID).all()
    with torch.no_grad():
        scene = qgen.encode_scene(examples["objects"], examples["mask"])
        unrolled, (h_last, c_last) = qgen(tokens, scene)
        h, c = qgen.initial_state(len(GAMES))
        for t in range(tokens.shape[1]):
            logits, h, c = qgen.step(tokens[:, t], h, c, scene)
            torch.testing.assert_close(logits, unrolled[:, t], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(h, h_last[0], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(c, c_last[0], rtol=1e-5, atol=1e-5)
