"""report.md and the REINFORCE reward figure, from the metrics the training run recorded."""

from pathlib import Path

import numpy as np
import torch

from exporters.common.report import markdown_table, new_figure, save_figure
from exporters.common.checkpoint import load_metrics
from exporters.guesswhat.checkpoint import load_checkpoint
from exporters.guesswhat.export import version_dirs
from exporters.guesswhat.game import CATEGORIES, COLOURS, PAD, decode, generate_split
from exporters.guesswhat.training import self_play

REPORT_FILE = "report.md"
REWARD_FIGURE = "reinforce_reward.png"
SPLITS = {"new_objects": "new objects", "new_scenes": "new scenes"}
# Steps averaged in the figure's smoothed reward curve.
SMOOTHING_STEPS = 20
EXAMPLE_GAMES = 2


def write_report(work_dir, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics = load_metrics(work_dir)
    _plot_reward(metrics["reinforce_history"], out_dir / REWARD_FIGURE)
    path = out_dir / REPORT_FILE
    text = report_text(metrics, version_dirs(out_dir)) + example_dialogues(work_dir)
    path.write_text(text)
    return path


def example_dialogues(work_dir, count=EXAMPLE_GAMES):
    """The first ``new_scenes`` games as each QGen plays them, in markdown."""
    models, training, game, _ = load_checkpoint(work_dir)
    games = generate_split(game, training.seed, "new_scenes", count)
    lines = ["", "## Example dialogues (new scenes)", ""]
    for index, played in enumerate(games):
        target = played.scene
        lines.append(f"Game {index}: {len(target)} objects, target a "
                     f"{COLOURS[target.colours[played.target]]} "
                     f"{CATEGORIES[target.categories[played.target]]}.")
        lines.append("")
        for name, label in (("qgen", "supervised"), ("qgen_reinforce", "REINFORCE")):
            for greedy in (True, False):
                play = self_play(models[name], models["oracle"], models["guesser"], [played],
                                 greedy, torch.Generator().manual_seed(training.seed))
                words = [w for w in decode(play["tokens"][0]) if w != PAD]
                outcome = "found" if bool(play["success"][0]) else "missed"
                lines.append(f"- {label}, {'greedy' if greedy else 'sampled'} ({outcome}): "
                             f"`{' '.join(words)}`")
        lines.append("")
    return "\n".join(lines)


def report_text(metrics, directories):
    success, sizes, training = metrics["success"], metrics["sizes"], metrics["training"]
    rows = []
    for label in ("supervised", "reinforce"):
        for decoding in ("greedy", "sampled"):
            row = ["QGen " + ("supervised" if label == "supervised" else "REINFORCE"), decoding]
            for split in SPLITS:
                result = success[label][decoding][split]
                row += [f"{result['success']:.1%}", f"{result['questions']:.2f}"]
            rows.append(row)
    verdicts = []
    for decoding in ("sampled", "greedy"):
        pairs = [(success["reinforce"][decoding][s]["success"],
                  success["supervised"][decoding][s]["success"]) for s in SPLITS]
        beats = all(rl > supervised for rl, supervised in pairs)
        verdicts.append(
            f"With {decoding} decoding REINFORCE " + ("beats" if beats else "does NOT beat")
            + " the supervised QGen on both splits ("
            + ", ".join(f"{name} {rl:.1%} vs {sup:.1%}"
                        for name, (rl, sup) in zip(SPLITS.values(), pairs)) + ").")
    best_supervised = max(success["supervised"][d][s]["success"]
                          for d in ("greedy", "sampled") for s in SPLITS)
    worst_sampled = min(success["reinforce"]["sampled"][s]["success"] for s in SPLITS)
    verdicts.append(
        f"REINFORCE with sampling ({worst_sampled:.1%} or more) "
        + ("beats" if worst_sampled > best_supervised else "does NOT beat")
        + f" the supervised QGen's best decoding on either split ({best_supervised:.1%}).")
    accuracy_rows = [
        ["oracle (answers to the scripted questions)",
         *[f"{metrics['oracle_accuracy'][s]:.1%}" for s in SPLITS]],
        ["guesser (on the scripted, human-like dialogues)",
         *[f"{metrics['guesser_accuracy'][s]:.1%}" for s in SPLITS]],
        ["QGen supervised perplexity (player tokens)",
         *[f"{metrics['qgen_perplexity'][s]:.3f}" for s in SPLITS]],
    ]
    seconds = metrics["seconds"]
    history = metrics["reinforce_history"]
    first = np.mean([e["reward"] for e in history[:SMOOTHING_STEPS]])
    last = np.mean([e["reward"] for e in history[-SMOOTHING_STEPS:]])
    lines = [
        "# GuessWhat?! on a synthetic game",
        "",
        "Oracle, question generator (QGen) and guesser after de Vries et al. (2017), small, "
        "trained on "
        f"{sizes['train']} scripted dialogues; QGen then fine-tuned with REINFORCE in self-play "
        "(Strub et al. 2017): reward 1 when the guesser finds the target after the dialogue "
        f"that QGen asked and the trained oracle answered, moving-average baseline (decay "
        f"{training['baseline_decay']}), {training['reinforce_steps']} steps of "
        f"{training['reinforce_batch']} games. Both QGens play with the same oracle and guesser, "
        f"on {sizes['new_objects']} games of each held-out split, at most "
        "8 questions. *new objects*: train scenes, targets no train game used; *new scenes*: "
        "unseen scenes.",
        "",
        markdown_table(["questioner", "decoding", "success, new objects", "questions",
                        "success, new scenes", "questions"], rows),
        " ".join(verdicts),
        "Sampling is the decoding REINFORCE trains with. Greedy decoding of a policy that is "
        "still stochastic can fall into a fixed point, asking the same question again until "
        "the budget ends (examples below): the serving side should sample.",
        "",
        markdown_table(["network", *[f"accuracy, {name}" for name in SPLITS.values()]],
                       accuracy_rows),
        "Chance for the guesser is 1 / objects (3 to 20 per scene). The scripted players often "
        "stop with 2 or 3 candidates left, so their dialogues do not always determine the target.",
        "",
        f"Training time (2 CPU threads): oracle {seconds['oracle']} s, guesser "
        f"{seconds['guesser']} s, QGen {seconds['qgen']} s, REINFORCE {seconds['reinforce']} s; "
        f"whole run with data and evaluation {metrics.get('training_seconds', '?')} s.",
        "",
        f"REINFORCE reward (sampled self-play on train games), mean of the first "
        f"{SMOOTHING_STEPS} steps {first:.3f}, of the last {SMOOTHING_STEPS} steps {last:.3f}:",
        "",
        f"![REINFORCE reward over steps]({REWARD_FIGURE})",
        "",
        "Shipped: " + ", ".join(f"`{directory}`" for directory in directories.values())
        + " (the QGen is the REINFORCE one).",
        "",
    ]
    return "\n".join(lines)


def _plot_reward(history, path):
    steps = [entry["step"] for entry in history]
    reward = np.array([entry["reward"] for entry in history])
    window = min(SMOOTHING_STEPS, len(reward))
    smoothed = np.convolve(reward, np.ones(window) / window, mode="valid")
    figure, axes = new_figure()
    axes.plot(steps, reward, color="tab:blue", alpha=0.3, label="reward per batch")
    axes.plot(steps[window - 1 :], smoothed, color="tab:blue", label=f"mean of {window} steps")
    axes.plot(steps, [entry["baseline"] for entry in history], color="tab:orange",
              label="moving-average baseline")
    axes.set_xlabel("REINFORCE step")
    axes.set_ylabel("task success (reward)")
    axes.legend()
    return save_figure(figure, path)
