"""Supervised training of the three networks on scripted dialogues, self-play, and the REINFORCE
fine-tuning of QGen (Strub et al. 2017) with a moving-average baseline."""

import copy
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional

from exporters.common.seeding import seed_everything
from exporters.guesswhat.game import (
    ANSWER_TOKEN_IDS,
    MAX_QUESTION_TOKENS,
    PAD_ID,
    QUESTION_BUDGET,
    QUESTION_MARK_ID,
    START_ID,
    STOP_ID,
    dialogue_examples,
    object_tensors,
    oracle_examples,
    target_tensors,
)
from exporters.guesswhat.model import Guesser, Oracle, QGen

# Games per forward pass when evaluating: bounds memory, not results.
EVALUATION_BATCH = 500


@dataclass(frozen=True)
class TrainingConfig:
    embedding: int = 32
    hidden: int = 128
    scene: int = 64
    batch_size: int = 128
    learning_rate: float = 2e-3
    oracle_epochs: int = 5
    qgen_epochs: int = 3
    guesser_epochs: int = 6
    reinforce_steps: int = 300
    reinforce_batch: int = 256
    reinforce_learning_rate: float = 5e-4
    # Weight of the past in the moving-average baseline of the reward.
    baseline_decay: float = 0.95
    seed: int = 0


def build_models(config):
    return {
        "oracle": Oracle(config.embedding, config.hidden),
        "qgen": QGen(config.embedding, config.hidden, config.scene),
        "guesser": Guesser(config.embedding, config.hidden),
    }


# ---- supervised ----------------------------------------------------------------------------

def oracle_loss(oracle, batch):
    logits = oracle(batch["tokens"], batch["lengths"], batch["category"], batch["colour"],
                    batch["spatial"])
    return functional.cross_entropy(logits, batch["answers"])


def qgen_loss(qgen, batch):
    """Cross-entropy on the player's words, ``?`` and <stop>; answers are given, not predicted."""
    scene = qgen.encode_scene(batch["objects"], batch["mask"])
    logits, _ = qgen(batch["tokens"][:, :-1], scene)
    spoken = batch["spoken"]
    return functional.cross_entropy(logits[spoken], batch["tokens"][:, 1:][spoken])


def guesser_loss(guesser, batch):
    logits = guesser(batch["tokens"], batch["lengths"], batch["objects"], batch["mask"])
    return functional.cross_entropy(logits, batch["targets"])


def train_supervised(model, loss, examples, epochs, config, on_progress=lambda epoch, loss: None):
    """Adam over shuffled minibatches; returns the mean loss of each epoch."""
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    rng = np.random.default_rng([config.seed, 21])
    count = len(next(iter(examples.values())))
    history = []
    model.train()
    for epoch in range(1, epochs + 1):
        order = torch.from_numpy(rng.permutation(count))
        losses = []
        for start in range(0, count, config.batch_size):
            index = order[start : start + config.batch_size]
            value = loss(model, {name: tensor[index] for name, tensor in examples.items()})
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            losses.append(value.item())
        history.append(float(np.mean(losses)))
        on_progress(epoch, history[-1])
    model.eval()
    return history


# ---- evaluation ----------------------------------------------------------------------------

@torch.no_grad()
def oracle_accuracy(oracle, games):
    examples = oracle_examples(games)
    logits = oracle(examples["tokens"], examples["lengths"], examples["category"],
                    examples["colour"], examples["spatial"])
    return float((logits.argmax(1) == examples["answers"]).float().mean())


@torch.no_grad()
def guesser_accuracy(guesser, games):
    """Accuracy of the guesser on the scripted (human-like) dialogues of ``games``."""
    hits = 0
    for start in range(0, len(games), EVALUATION_BATCH):
        examples = dialogue_examples(games[start : start + EVALUATION_BATCH])
        logits = guesser(examples["tokens"], examples["lengths"], examples["objects"],
                         examples["mask"])
        hits += int((logits.argmax(1) == examples["targets"]).sum())
    return hits / len(games)


@torch.no_grad()
def qgen_perplexity(qgen, games):
    examples = dialogue_examples(games)
    return float(torch.exp(qgen_loss(qgen, examples)))


# ---- self-play and REINFORCE ---------------------------------------------------------------

@torch.no_grad()
def self_play(qgen, oracle, guesser, games, greedy, generator=None, budget=QUESTION_BUDGET,
              max_question_tokens=MAX_QUESTION_TOKENS):
    """Plays ``games``: QGen asks word by word, the oracle network answers each question about
    the target, the guesser picks an object once QGen says <stop> (forced at ``budget`` questions).

    Returns tokens [B, L] (<start> ... <stop>, then padding), ``sampled`` [B, L] (True where QGen
    chose the token, so REINFORCE scores only those), success [B] and questions [B].
    """
    batch = len(games)
    objects, mask = object_tensors([game.scene for game in games])
    category, colour, spatial = target_tensors(games)
    scene = qgen.encode_scene(objects, mask)
    length = 2 + budget * (max_question_tokens + 1)
    tokens = torch.full((batch, length), PAD_ID, dtype=torch.int64)
    tokens[:, 0] = START_ID
    sampled = torch.zeros((batch, length), dtype=torch.bool)
    done = torch.zeros(batch, dtype=torch.bool)
    asked = torch.zeros(batch, dtype=torch.int64)
    question_start = torch.zeros(batch, dtype=torch.int64)
    end = torch.full((batch,), length - 1, dtype=torch.int64)
    answer_ids = torch.tensor(ANSWER_TOKEN_IDS)
    h, c = qgen.initial_state(batch)
    for t in range(length - 1):
        if bool(done.all()):
            break
        logits, h, c = qgen.step(tokens[:, t], h, c, scene)
        if greedy:
            word = logits.argmax(1)
        else:
            word = torch.multinomial(torch.softmax(logits, 1), 1, generator=generator).squeeze(1)
        current = tokens[:, t]
        at_question_mark = current == QUESTION_MARK_ID
        at_boundary = (current == START_ID) | torch.isin(current, answer_ids)
        question_start = torch.where(at_boundary, torch.full_like(question_start, t),
                                     question_start)
        forced_stop = at_boundary & (asked >= budget)
        full = t - question_start >= max_question_tokens - 1
        forced_mark = ~at_boundary & ~at_question_mark & full
        chosen = ~done & ~at_question_mark & ~forced_stop & ~forced_mark
        word = torch.where(forced_stop, torch.full_like(word, STOP_ID), word)
        word = torch.where(forced_mark, torch.full_like(word, QUESTION_MARK_ID), word)
        answering = at_question_mark & ~done
        if bool(answering.any()):
            rows = answering.nonzero().squeeze(1)
            word[rows] = answer_ids[_oracle_answers(oracle, tokens[rows], question_start[rows], t,
                                                    category[rows], colour[rows], spatial[rows])]
            asked[rows] += 1
        word = torch.where(done, torch.full_like(word, PAD_ID), word)
        tokens[:, t + 1] = word
        sampled[:, t + 1] = chosen
        stopped = ~done & (word == STOP_ID)
        end = torch.where(stopped, torch.full_like(end, t + 1), end)
        done |= stopped
    used = int(end.max()) + 1
    tokens, sampled = tokens[:, :used], sampled[:, :used]
    dialogue = tokens.masked_fill(torch.arange(used).unsqueeze(0) >= end.unsqueeze(1), PAD_ID)
    guesses = guesser(dialogue, end, objects, mask).argmax(1)
    targets = torch.tensor([game.target for game in games])
    return {"tokens": tokens, "sampled": sampled, "success": guesses == targets,
            "questions": asked, "objects": objects, "mask": mask}


def _oracle_answers(oracle, tokens, question_start, t, category, colour, spatial):
    """Answer classes for the questions at positions question_start + 1 .. t of each row."""
    width = int((t - question_start).max())
    positions = question_start.unsqueeze(1) + 1 + torch.arange(width).unsqueeze(0)
    question = tokens.gather(1, positions.clamp(max=t))
    question = question.masked_fill(positions > t, PAD_ID)
    logits = oracle(question, t - question_start, category, colour, spatial)
    return logits.argmax(1)


def reinforce_step(qgen, oracle, guesser, games, optimiser, baseline, generator):
    """One policy-gradient step on sampled self-play; reward 1 when the guesser finds the target.

    Only the tokens QGen sampled are scored. Returns the batch's mean reward and mean number of
    questions; the caller keeps the baseline.
    """
    play = self_play(qgen, oracle, guesser, games, greedy=False, generator=generator)
    reward = play["success"].float()
    qgen.train()
    scene = qgen.encode_scene(play["objects"], play["mask"])
    logits, _ = qgen(play["tokens"][:, :-1], scene)
    log_probs = torch.log_softmax(logits, 2).gather(2, play["tokens"][:, 1:].unsqueeze(2))
    log_probs = (log_probs.squeeze(2) * play["sampled"][:, 1:]).sum(1)
    loss = -((reward - baseline) * log_probs).mean()
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    qgen.eval()
    return float(reward.mean()), float(play["questions"].float().mean())


def train_reinforce(qgen, oracle, guesser, games, config, on_progress=lambda entry: None,
                    progress_every=25):
    """Fine-tunes a copy of ``qgen`` for ``config.reinforce_steps`` batches of train games."""
    policy = copy.deepcopy(qgen)
    optimiser = torch.optim.Adam(policy.parameters(), lr=config.reinforce_learning_rate)
    rng = np.random.default_rng([config.seed, 31])
    generator = torch.Generator().manual_seed(config.seed)
    baseline, history = None, []
    for step in range(1, config.reinforce_steps + 1):
        batch = [games[i] for i in rng.choice(len(games), config.reinforce_batch, replace=False)]
        reward, questions = reinforce_step(policy, oracle, guesser, batch, optimiser,
                                           0.0 if baseline is None else baseline, generator)
        baseline = reward if baseline is None else (
            config.baseline_decay * baseline + (1 - config.baseline_decay) * reward)
        entry = {"step": step, "reward": reward, "baseline": baseline, "questions": questions}
        history.append(entry)
        if step % progress_every == 0 or step == config.reinforce_steps:
            on_progress(entry)
    policy.eval()
    return policy, history


@torch.no_grad()
def success_rate(qgen, oracle, guesser, games, greedy, seed=0):
    """Task success and mean questions asked over ``games`` in self-play."""
    generator = torch.Generator().manual_seed(seed)
    hits, questions = 0, 0
    for start in range(0, len(games), EVALUATION_BATCH):
        play = self_play(qgen, oracle, guesser, games[start : start + EVALUATION_BATCH], greedy,
                         generator)
        hits += int(play["success"].sum())
        questions += int(play["questions"].sum())
    return {"success": hits / len(games), "questions": questions / len(games)}


# ---- the whole run -------------------------------------------------------------------------

def train_all(splits, config, log=print):
    """Trains oracle, guesser and QGen on ``splits['train']``, then REINFORCE; scores everything
    on ``new_objects`` and ``new_scenes``. Returns (models, metrics)."""
    seed_everything(config.seed)
    models = build_models(config)
    train = splits["train"]
    metrics = {"seconds": {}, "loss_history": {}}
    tasks = (("oracle", oracle_loss, oracle_examples, config.oracle_epochs),
             ("guesser", guesser_loss, dialogue_examples, config.guesser_epochs),
             ("qgen", qgen_loss, dialogue_examples, config.qgen_epochs))
    for name, loss, examples, epochs in tasks:
        started = time.monotonic()
        history = train_supervised(
            models[name], loss, examples(train), epochs, config,
            lambda epoch, value, name=name: log(f"{name} epoch {epoch}: loss {value:.4f}"))
        metrics["seconds"][name] = round(time.monotonic() - started, 1)
        metrics["loss_history"][name] = history

    held_out = {name: games for name, games in splits.items() if name != "train"}
    for metric, score, name in (("oracle_accuracy", oracle_accuracy, "oracle"),
                                ("guesser_accuracy", guesser_accuracy, "guesser"),
                                ("qgen_perplexity", qgen_perplexity, "qgen")):
        metrics[metric] = {split: score(models[name], games) for split, games in held_out.items()}
    log(f"oracle accuracy {metrics['oracle_accuracy']}, guesser accuracy "
        f"{metrics['guesser_accuracy']}, qgen perplexity {metrics['qgen_perplexity']}")

    started = time.monotonic()
    models["qgen_reinforce"], history = train_reinforce(
        models["qgen"], models["oracle"], models["guesser"], train, config,
        lambda e: log(f"reinforce step {e['step']}: reward {e['reward']:.3f} "
                      f"(baseline {e['baseline']:.3f}), {e['questions']:.2f} questions"))
    metrics["seconds"]["reinforce"] = round(time.monotonic() - started, 1)
    metrics["reinforce_history"] = history

    metrics["success"] = {}
    for qgen_name in ("qgen", "qgen_reinforce"):
        label = "supervised" if qgen_name == "qgen" else "reinforce"
        for decoding in ("greedy", "sampled"):
            for split, games in held_out.items():
                result = success_rate(models[qgen_name], models["oracle"], models["guesser"],
                                      games, decoding == "greedy", config.seed)
                metrics["success"].setdefault(label, {}).setdefault(decoding, {})[split] = result
        log(f"{label}: {metrics['success'][label]}")
    return models, metrics
