import numpy as np
import pytest

from exporters.guesswhat.game import (
    ALL_QUESTIONS,
    ANSWER_TOKEN_IDS,
    CATEGORIES,
    COLOURS,
    MAX_OBJECTS,
    MIN_OBJECTS,
    OBJECT_FEATURES,
    QUESTION_BUDGET,
    START_ID,
    STOP_ID,
    VOCABULARY,
    GameConfig,
    Question,
    Scene,
    answer,
    answers,
    decode,
    dialogue_examples,
    encode,
    generate_split,
    oracle_examples,
)

CONFIG = GameConfig()


@pytest.fixture(scope="module")
def games():
    return generate_split(CONFIG, 0, "train", 200)


def test_the_same_seed_generates_the_same_games_and_another_seed_other_games(games):
    again = generate_split(CONFIG, 0, "train", 200)
    assert [(g.target, g.questions, g.answers) for g in games] == [
        (g.target, g.questions, g.answers) for g in again]
    for first, second in zip(games, again):
        np.testing.assert_array_equal(first.scene.boxes, second.scene.boxes)
    other = generate_split(CONFIG, 1, "train", 200)
    assert [g.questions for g in other] != [g.questions for g in games]


def test_scenes_hold_3_to_20_objects_with_normalised_boxes(games):
    for game in games:
        assert MIN_OBJECTS <= len(game.scene) <= MAX_OBJECTS
        boxes = game.scene.boxes
        assert (boxes >= 0).all() and (boxes <= 1).all()
        assert (boxes[:, 2:] > boxes[:, :2]).all()
        assert game.scene.features().shape == (len(game.scene), OBJECT_FEATURES)


def test_oracle_answers_follow_the_targets_true_attributes(games):
    for game in games:
        scene, target = game.scene, game.target
        for question, reply in zip(game.questions, game.answers):
            assert reply == answer(scene, target, question)
        for index in range(len(scene)):
            category = scene.categories[index]
            colour = scene.colours[index]
            assert answer(scene, index, Question("category", category)) == 0
            assert answer(scene, index, Question("category", (category + 1) % 5)) == 1
            assert answer(scene, index, Question("colour", colour)) == 0
            assert answer(scene, index, Question("colour", (colour + 2) % 5)) == 1


def test_position_answers_are_yes_no_or_na_near_the_middle():
    boxes = np.array([[0.1, 0.1, 0.2, 0.2], [0.7, 0.8, 0.9, 0.9], [0.45, 0.45, 0.55, 0.55]],
                     np.float32)
    scene = Scene(np.zeros(3, np.int64), np.zeros(3, np.int64), boxes)
    left, right, top, bottom = (Question("position", i) for i in range(4))
    assert [answer(scene, 0, q) for q in (left, right, top, bottom)] == [0, 1, 0, 1]
    assert [answer(scene, 1, q) for q in (left, right, top, bottom)] == [1, 0, 1, 0]
    assert [answer(scene, 2, q) for q in (left, right, top, bottom)] == [2, 2, 2, 2]
    np.testing.assert_array_equal(answers(scene, np.arange(3), left), [0, 1, 2])


def test_vocabulary_round_trips_every_question_and_dialogue(games):
    assert len(set(VOCABULARY)) == len(VOCABULARY)
    for question in ALL_QUESTIONS:
        assert decode(encode(question.words())) == question.words()
    for game in games[:20]:
        ids = game.dialogue_ids()
        assert ids[0] == START_ID and ids[-1] == STOP_ID
        assert encode(decode(ids)) == ids
    assert {CATEGORIES[0], COLOURS[0], "?", "<yes>", "<no>", "<na>"} <= set(VOCABULARY)


def test_scripted_dialogues_stay_within_the_question_budget(games):
    for game in games:
        assert len(game.questions) <= QUESTION_BUDGET
    assert np.mean([len(game.questions) for game in games]) > 1.5


def test_new_objects_play_train_scenes_with_targets_train_games_never_use(games):
    new = generate_split(CONFIG, 0, "new_objects", 50)
    for train_game, new_game in zip(games, new):
        np.testing.assert_array_equal(train_game.scene.boxes, new_game.scene.boxes)
        assert new_game.target == len(new_game.scene) - 1
        assert train_game.target < len(train_game.scene) - 1
    scenes = generate_split(CONFIG, 0, "new_scenes", 50)
    assert not np.array_equal(scenes[0].scene.boxes, games[0].scene.boxes)


def test_qgen_targets_skip_answers_and_the_guesser_reads_up_to_the_last_answer(games):
    examples = dialogue_examples(games[:10])
    targets = examples["tokens"][:, 1:]
    for answer_id in ANSWER_TOKEN_IDS:
        assert not examples["spoken"][targets == answer_id].any()
    for row, game in enumerate(games[:10]):
        assert examples["lengths"][row] == len(game.dialogue_ids()) - 1
        assert examples["tokens"][row, examples["lengths"][row]] == STOP_ID
    oracle = oracle_examples(games[:10])
    assert len(oracle["answers"]) == sum(len(game.questions) for game in games[:10])
