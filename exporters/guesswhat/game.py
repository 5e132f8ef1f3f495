"""A seeded synthetic GuessWhat?! game: scenes, the yes/no/n.a. oracle rule, a noisy scripted
questioner standing in for the human players, the vocabulary and the tensors models train on.

Splits follow de Vries et al.: ``train`` games, ``new_objects`` (train scenes, targets no train
game uses) and ``new_scenes`` (scenes generated from another stream).
"""

from dataclasses import dataclass

import numpy as np
import torch

CATEGORIES = ("circle", "square", "triangle", "star", "cross")
COLOURS = ("red", "green", "blue", "yellow", "purple")
POSITIONS = ("left", "right", "top", "bottom")
# Order of the 8 spatial features, all in [0, 1] of the frame (de Vries et al., section 5).
SPATIAL = ("xmin", "ymin", "xmax", "ymax", "xcenter", "ycenter", "width", "height")
# Object features the guesser and the QGen scene encoder read: one-hot category, one-hot
# colour, then the spatial features.
OBJECT_FEATURES = len(CATEGORIES) + len(COLOURS) + len(SPATIAL)

PAD, START, STOP = "<pad>", "<start>", "<stop>"
YES, NO, NA, QUESTION_MARK = "<yes>", "<no>", "<na>", "?"
SPECIAL_TOKENS = (PAD, START, YES, NO, NA, QUESTION_MARK, STOP)
WORDS = ("is", "it", "a", "on", "the", "at") + POSITIONS + CATEGORIES + COLOURS
VOCABULARY = SPECIAL_TOKENS + WORDS
TOKEN_IDS = {token: index for index, token in enumerate(VOCABULARY)}
PAD_ID, START_ID, STOP_ID = TOKEN_IDS[PAD], TOKEN_IDS[START], TOKEN_IDS[STOP]
QUESTION_MARK_ID = TOKEN_IDS[QUESTION_MARK]
# Answer classes of the oracle, in its logit order, and the token that carries each in a dialogue.
ANSWERS = ("yes", "no", "n/a")
ANSWER_TOKEN_IDS = (TOKEN_IDS[YES], TOKEN_IDS[NO], TOKEN_IDS[NA])

MIN_OBJECTS, MAX_OBJECTS = 3, 20
QUESTION_BUDGET = 8
# Tokens of one question including "?"; the longest template ("is it on the left ?") has 6.
MAX_QUESTION_TOKENS = 8
# Centres closer than this to the frame's middle line are neither left nor right (top nor
# bottom): the oracle answers n/a.
AMBIGUOUS_MARGIN = 0.05
MIN_SIZE, MAX_SIZE = 0.05, 0.2

# Seed streams of the scenes (train and new_objects share theirs) and of the players.
SPLIT_STREAMS = {"train": 1, "new_objects": 1, "new_scenes": 2}
PLAY_STREAMS = {"train": 1, "new_objects": 2, "new_scenes": 3}


@dataclass(frozen=True)
class GameConfig:
    # Probability that the scripted player asks a random question instead of the best split.
    noise: float = 0.25
    # Probability, per turn, that the player stops once at most ``early_stop_size`` remain.
    early_stop: float = 0.35
    early_stop_size: int = 3
    question_budget: int = QUESTION_BUDGET


@dataclass(frozen=True)
class Scene:
    categories: np.ndarray  # [N] int64
    colours: np.ndarray  # [N] int64
    boxes: np.ndarray  # [N, 4] float32 (xmin, ymin, xmax, ymax), normalised

    def __len__(self):
        return len(self.categories)

    def spatial(self):
        xmin, ymin, xmax, ymax = self.boxes.T
        return np.stack([xmin, ymin, xmax, ymax, (xmin + xmax) / 2, (ymin + ymax) / 2,
                         xmax - xmin, ymax - ymin], axis=1).astype(np.float32)

    def features(self):
        """[N, OBJECT_FEATURES] float32 in the model.json ``features`` layout."""
        features = np.zeros((len(self), OBJECT_FEATURES), np.float32)
        features[np.arange(len(self)), self.categories] = 1.0
        features[np.arange(len(self)), len(CATEGORIES) + self.colours] = 1.0
        features[:, len(CATEGORIES) + len(COLOURS):] = self.spatial()
        return features


@dataclass(frozen=True)
class Question:
    kind: str  # "category", "colour" or "position"
    value: int  # index into CATEGORIES, COLOURS or POSITIONS

    def words(self):
        if self.kind == "category":
            return ["is", "it", "a", CATEGORIES[self.value], QUESTION_MARK]
        if self.kind == "colour":
            return ["is", "it", COLOURS[self.value], QUESTION_MARK]
        position = POSITIONS[self.value]
        preposition = "on" if position in ("left", "right") else "at"
        return ["is", "it", preposition, "the", position, QUESTION_MARK]


ALL_QUESTIONS = tuple(
    [Question("category", i) for i in range(len(CATEGORIES))]
    + [Question("colour", i) for i in range(len(COLOURS))]
    + [Question("position", i) for i in range(len(POSITIONS))]
)


@dataclass(frozen=True)
class Game:
    scene: Scene
    target: int
    questions: tuple  # of Question
    answers: tuple  # of answer class indices (ANSWERS)

    def dialogue_ids(self, with_stop=True):
        """<start> q1 ? <a1> q2 ? <a2> ... [<stop>] as token ids."""
        ids = [START_ID]
        for question, answer in zip(self.questions, self.answers):
            ids += encode(question.words()) + [ANSWER_TOKEN_IDS[answer]]
        return ids + [STOP_ID] if with_stop else ids


def encode(tokens):
    return [TOKEN_IDS[token] for token in tokens]


def decode(ids):
    return [VOCABULARY[int(i)] for i in ids]


def answer(scene, index, question):
    """The oracle's rule: yes/no from the object's true attributes, n/a near the middle lines."""
    return int(answers(scene, np.array([index]), question)[0])


def answers(scene, indices, question, spatial=None):
    """``answer`` for each object in ``indices`` (``spatial``: scene.spatial(), if at hand)."""
    if question.kind == "category":
        return np.where(scene.categories[indices] == question.value, 0, 1)
    if question.kind == "colour":
        return np.where(scene.colours[indices] == question.value, 0, 1)
    spatial = scene.spatial() if spatial is None else spatial
    position = POSITIONS[question.value]
    centre = spatial[indices, 4 if position in ("left", "right") else 5]
    is_low = centre < 0.5  # left of the middle, or above it (y grows downwards)
    reply = np.where(is_low == (position in ("left", "top")), 0, 1)
    return np.where(np.abs(centre - 0.5) < AMBIGUOUS_MARGIN, 2, reply)


def generate_scene(rng):
    count = int(rng.integers(MIN_OBJECTS, MAX_OBJECTS + 1))
    size = rng.uniform(MIN_SIZE, MAX_SIZE, size=(count, 2))
    corner = rng.uniform(0.0, 1.0, size=(count, 2)) * (1.0 - size)
    boxes = np.concatenate([corner, corner + size], axis=1).astype(np.float32)
    return Scene(categories=rng.integers(0, len(CATEGORIES), count),
                 colours=rng.integers(0, len(COLOURS), count), boxes=boxes)


def play_scripted(scene, target, config, rng):
    """A human-like questioner: mostly the question that best halves the candidates, sometimes a
    random one; stops at one candidate, often earlier at a few, always at the budget."""
    candidates = np.arange(len(scene))
    spatial = scene.spatial()
    questions, replies = [], []
    while len(questions) < config.question_budget and len(candidates) > 1:
        if len(candidates) <= config.early_stop_size and rng.random() < config.early_stop:
            break
        splits = [answers(scene, candidates, q, spatial) for q in ALL_QUESTIONS]
        # Expected number of candidates left after the answer; 1 candidate left = len(candidates).
        remaining = np.array([np.sum(np.bincount(s, minlength=3) ** 2) / len(s) for s in splits])
        if remaining.min() >= len(candidates):
            break  # no question tells the candidates apart
        if rng.random() < config.noise:
            choice = int(rng.integers(len(ALL_QUESTIONS)))
        else:
            best = np.flatnonzero(remaining == remaining.min())
            choice = int(rng.choice(best))
        question = ALL_QUESTIONS[choice]
        reply = int(answers(scene, np.array([target]), question, spatial)[0])
        candidates = candidates[splits[choice] == reply]
        questions.append(question)
        replies.append(reply)
    return Game(scene, target, tuple(questions), tuple(replies))


def generate_split(config, seed, split, count):
    """``count`` games of ``split``, the same for the same arguments.

    ``train`` and ``new_objects`` draw scenes from one stream, so game i of either plays the same
    scene i: ``new_objects`` targets its last object, which train games never target.
    """
    if split not in SPLIT_STREAMS:
        raise ValueError(f"unknown split {split!r}, expected one of {sorted(SPLIT_STREAMS)}")
    scene_rng = np.random.default_rng([seed, SPLIT_STREAMS[split]])
    # Targets and the scripted player's choices: a stream of their own per split.
    play_rng = np.random.default_rng([seed, SPLIT_STREAMS[split], PLAY_STREAMS[split]])
    games = []
    for _ in range(count):
        scene = generate_scene(scene_rng)
        if split == "train":
            target = int(play_rng.integers(len(scene) - 1))
        elif split == "new_objects":
            target = len(scene) - 1
        else:
            target = int(play_rng.integers(len(scene)))
        games.append(play_scripted(scene, target, config, play_rng))
    return games


# ---- tensors -------------------------------------------------------------------------------

def pad(sequences, length=None, value=PAD_ID):
    length = length or max(len(s) for s in sequences)
    out = np.full((len(sequences), length), value, np.int64)
    for row, sequence in enumerate(sequences):
        out[row, : len(sequence)] = sequence
    return torch.from_numpy(out)


def object_tensors(scenes, max_objects=MAX_OBJECTS):
    """objects [B, max_objects, OBJECT_FEATURES] float32 and mask [B, max_objects] (1 = real)."""
    objects = np.zeros((len(scenes), max_objects, OBJECT_FEATURES), np.float32)
    mask = np.zeros((len(scenes), max_objects), np.float32)
    for row, scene in enumerate(scenes):
        objects[row, : len(scene)] = scene.features()
        mask[row, : len(scene)] = 1.0
    return torch.from_numpy(objects), torch.from_numpy(mask)


def target_tensors(games):
    """The oracle's view of each target: category [B], colour [B] int64 and spatial [B, 8]."""
    category = torch.tensor([int(g.scene.categories[g.target]) for g in games], dtype=torch.int64)
    colour = torch.tensor([int(g.scene.colours[g.target]) for g in games], dtype=torch.int64)
    spatial = torch.from_numpy(np.stack([g.scene.spatial()[g.target] for g in games]))
    return category, colour, spatial


def oracle_examples(games):
    """Every (question, target, answer) of the dialogues as padded tensors."""
    questions, category, colour, spatial, answers = [], [], [], [], []
    for game in games:
        target_spatial = game.scene.spatial()[game.target]
        for question, reply in zip(game.questions, game.answers):
            questions.append(encode(question.words()))
            category.append(int(game.scene.categories[game.target]))
            colour.append(int(game.scene.colours[game.target]))
            spatial.append(target_spatial)
            answers.append(reply)
    return {
        "tokens": pad(questions, MAX_QUESTION_TOKENS),
        "lengths": torch.tensor([len(q) for q in questions], dtype=torch.int64),
        "category": torch.tensor(category, dtype=torch.int64),
        "colour": torch.tensor(colour, dtype=torch.int64),
        "spatial": torch.from_numpy(np.stack(spatial).astype(np.float32)),
        "answers": torch.tensor(answers, dtype=torch.int64),
    }


def dialogue_examples(games):
    """QGen inputs and targets (the loss only where the player speaks) and guesser inputs."""
    full = [game.dialogue_ids(with_stop=True) for game in games]
    tokens = pad(full)
    spoken = torch.ones_like(tokens[:, 1:], dtype=torch.bool)
    for answer_id in ANSWER_TOKEN_IDS + (PAD_ID,):
        spoken &= tokens[:, 1:] != answer_id
    objects, mask = object_tensors([game.scene for game in games])
    return {
        "tokens": tokens,
        "spoken": spoken,
        # The guesser reads the dialogue without <stop>.
        "lengths": torch.tensor([len(ids) - 1 for ids in full], dtype=torch.int64),
        "objects": objects,
        "mask": mask,
        "targets": torch.tensor([game.target for game in games], dtype=torch.int64),
    }
