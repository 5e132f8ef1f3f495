"""Writes the trained networks as three served models: ``out`` is the QGen version directory
(``models/guesswhat-qgen/1``: the REINFORCE QGen as one LSTM step, plus ``scene_encoder.onnx``);
the oracle and the guesser go to the sibling families' directories of the same version name
(``models/guesswhat-oracle/1``, ``models/guesswhat-guesser/1``). Each gets model.onnx, model.json
and an inline golden.json.

Token inputs are int64, everything else float32. Axis 0 is ``batch``; token sequences also have a
dynamic ``time`` axis (right-padded with <pad>, ``lengths`` = real tokens, at least 1).
"""

import json
from pathlib import Path

import numpy as np
import onnx
import torch

from exporters.common.golden import GOLDEN_FILE
from exporters.common.manifest import MODEL_FILE, sha256_of, write_manifest
from exporters.common.onnx_export import BATCH_AXIS, OPSET, tensor_dims
from exporters.guesswhat import onnx_numpy
from exporters.common.checkpoint import load_metrics
from exporters.guesswhat.checkpoint import load_checkpoint
from exporters.guesswhat.game import (
    AMBIGUOUS_MARGIN,
    ANSWER_TOKEN_IDS,
    ANSWERS,
    CATEGORIES,
    COLOURS,
    MAX_OBJECTS,
    MAX_QUESTION_TOKENS,
    OBJECT_FEATURES,
    QUESTION_BUDGET,
    SPATIAL,
    SPECIAL_TOKENS,
    START_ID,
    VOCABULARY,
    dialogue_examples,
    generate_split,
    object_tensors,
    oracle_examples,
)
from exporters.guesswhat.model import BANNED_LOGIT, BANNED_TOKENS

FAMILY = "guesswhat"
TIME_AXIS = "time"
SCENE_ENCODER_FILE = "scene_encoder.onnx"
EVALUATION_GAMES_FILE = "evaluation_games.json"
GOLDEN_SAMPLES = 4
# LSTM sums in float32 through different kernels (torch vs ONNX Runtime) differ in the last bits.
GOLDEN_TOLERANCE = {"atol": 1e-4, "rtol": 1e-3}

ORACLE_INPUTS = (("tokens", "int64", [-1, -1]), ("lengths", "int64", [-1]),
                 ("category", "int64", [-1]), ("colour", "int64", [-1]),
                 ("spatial", "float32", [-1, len(SPATIAL)]))
GUESSER_INPUTS = (("tokens", "int64", [-1, -1]), ("lengths", "int64", [-1]),
                  ("objects", "float32", [-1, MAX_OBJECTS, OBJECT_FEATURES]),
                  ("object_mask", "float32", [-1, MAX_OBJECTS]))
SCENE_INPUTS = GUESSER_INPUTS[2:]

QGEN_DECODING_TEXT = (
    "scene = scene_encoder(objects, object_mask) once per game; h = c = zeros [batch, H]; "
    "token = <start>. Each step: (logits, h, c) = model(token, h, c, scene); the next token is "
    "a sample of softmax(logits), the decoding REINFORCE trained with (argmax can repeat one "
    "question until the budget: see report.md). A question ends at '?' (force '?' when a "
    "question reaches limits.maxQuestionTokens tokens); then feed the oracle's answer token "
    "(<yes>, <no>, <na> for the oracle's argmax) as the next token instead of a prediction. The "
    "dialogue ends when the model says <stop>, or is forced to after limits.questionBudget "
    f"answers. Tokens in bannedTokens carry {BANNED_LOGIT} in the logits already. The guesser "
    "reads the dialogue from <start> up to, not including, <stop>."
)


class _OracleGraph(torch.nn.Module):
    def __init__(self, oracle):
        super().__init__()
        self.oracle = oracle

    def forward(self, tokens, lengths, category, colour, spatial):
        return self.oracle(tokens, lengths, category, colour, spatial)


class _QGenStep(torch.nn.Module):
    def __init__(self, qgen):
        super().__init__()
        self.qgen = qgen

    def forward(self, token, h, c, scene):
        return self.qgen.step(token, h, c, scene)


class _SceneEncoder(torch.nn.Module):
    def __init__(self, qgen):
        super().__init__()
        self.qgen = qgen

    def forward(self, objects, object_mask):
        return self.qgen.encode_scene(objects, object_mask)


class _GuesserGraph(torch.nn.Module):
    def __init__(self, guesser):
        super().__init__()
        self.guesser = guesser

    def forward(self, tokens, lengths, objects, object_mask):
        return self.guesser(tokens, lengths, objects, object_mask)


def export(work_dir, out_dir, version):
    """Exports the run in ``work_dir``; ``out_dir`` is the QGen version directory."""
    directories = version_dirs(out_dir)
    models, training, game, sizes = load_checkpoint(work_dir)
    metrics = load_metrics(work_dir)
    games = generate_split(game, training.seed, "new_scenes", GOLDEN_SAMPLES)
    export_oracle(models["oracle"], games, directories["oracle"], version, metrics)
    export_qgen(models["qgen_reinforce"], games, directories["qgen"], version, metrics, training)
    export_guesser(models["guesser"], games, directories["guesser"], version, metrics)
    write_evaluation_games(directories["qgen"], game, training.seed, sizes["new_objects"])
    return ", ".join(str(directory) for directory in directories.values())


def write_evaluation_games(out_dir, game, seed, count):
    """evaluation_games.json: scene and target of the held-out games the report's success rates
    are measured on, so the engine's self-play can be scored on the same games (each player
    decodes its own dialogue)."""
    splits = {}
    for split in ("new_objects", "new_scenes"):
        splits[split] = [
            {"objects": [[CATEGORIES[int(category)], COLOURS[int(colour)], *map(float, box)]
                         for category, colour, box in zip(played.scene.categories,
                                                          played.scene.colours,
                                                          played.scene.boxes)],
             "target": played.target}
            for played in generate_split(game, seed, split, count)]
    document = {"objectFields": ["category", "colour", "xMin", "yMin", "xMax", "yMax"],
                "objectIds": "position in the scene", "splits": splits}
    Path(out_dir, EVALUATION_GAMES_FILE).write_text(json.dumps(document) + "\n")


def version_dirs(out_dir):
    """{role: version directory}: ``out_dir`` for QGen, its siblings' for oracle and guesser."""
    qgen = Path(out_dir)
    root = qgen.parent.parent
    return {"oracle": root / f"{FAMILY}-oracle" / qgen.name, "qgen": qgen,
            "guesser": root / f"{FAMILY}-guesser" / qgen.name}


def export_graph(module, inputs, path, input_names, output_names, time_inputs=()):
    """Writes ``module`` with axis 0 of every input and output named ``batch`` (and axis 1 of
    ``time_inputs`` named ``time``); returns the checked ONNX model and the torch outputs.

    The written graph is run on ``inputs`` (NumPy evaluator) and must agree with the torch
    outputs within the golden tolerance, or export fails.
    """
    module.eval()
    axes = {name: {0: BATCH_AXIS} for name in (*input_names, *output_names)}
    for name in time_inputs:
        axes[name] = {0: BATCH_AXIS, 1: TIME_AXIS}
    with torch.no_grad():
        outputs = module(*inputs)
        torch.onnx.export(module, tuple(inputs), str(path), input_names=list(input_names),
                          output_names=list(output_names), dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    model = onnx.load(str(path))
    # torch names the non-batch output axes symbolically; they are fixed.
    for value_info, output in zip(model.graph.output, outputs):
        for dim, length in zip(list(value_info.type.tensor_type.shape.dim)[1:], output.shape[1:]):
            dim.Clear()
            dim.dim_value = int(length)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    graph_outputs = onnx_numpy.run(model, {name: x.numpy() for name, x in zip(input_names, inputs)})
    for graph_output, output in zip(graph_outputs, outputs):
        np.testing.assert_allclose(graph_output, output.numpy(), **GOLDEN_TOLERANCE)
    return model, outputs


def export_oracle(oracle, games, out_dir, version, metrics):
    out_dir.mkdir(parents=True, exist_ok=True)
    examples = oracle_examples(games)
    inputs = [examples[name][:GOLDEN_SAMPLES] for name in ("tokens", "lengths", "category",
                                                            "colour", "spatial")]
    names = [name for name, _, _ in ORACLE_INPUTS]
    model, outputs = export_graph(_OracleGraph(oracle), inputs, out_dir / MODEL_FILE, names,
                                  ["logits"], time_inputs=["tokens"])
    write_inline_golden(out_dir, [{"model": MODEL_FILE, "inputs": dict(zip(names, inputs)),
                                   "outputs": {"logits": outputs[0]}}])
    write_manifest(out_dir, {
        **_header("oracle", version, ORACLE_INPUTS, [("logits", "float32", [-1, len(ANSWERS)])]),
        "answers": {"labels": list(ANSWERS), "tokens": [VOCABULARY[i] for i in ANSWER_TOKEN_IDS],
                    "ambiguousMargin": AMBIGUOUS_MARGIN},
        "training": _training(metrics, "oracle", {"accuracy": metrics["oracle_accuracy"]},
                              oracle, out_dir),
    })
    _check_axes(model)


def export_qgen(qgen, games, out_dir, version, metrics, training):
    out_dir.mkdir(parents=True, exist_ok=True)
    objects, mask = object_tensors([game.scene for game in games])
    encoder, scene = export_graph(_SceneEncoder(qgen), [objects, mask],
                                  out_dir / SCENE_ENCODER_FILE, ["objects", "object_mask"],
                                  ["scene"])
    scene = scene[0]
    # Golden step inputs: each game's state after reading <start> and its first question word.
    with torch.no_grad():
        h, c = qgen.initial_state(len(games))
        _, h, c = qgen.step(torch.full((len(games),), START_ID), h, c, scene)
    token = dialogue_examples(games)["tokens"][:, 1].clone()
    step_inputs = [token, h, c, scene]
    names = ["token", "h", "c", "scene"]
    model, outputs = export_graph(_QGenStep(qgen), step_inputs, out_dir / MODEL_FILE, names,
                                  ["logits", "h_out", "c_out"])
    write_inline_golden(out_dir, [
        {"model": SCENE_ENCODER_FILE, "inputs": {"objects": objects, "object_mask": mask},
         "outputs": {"scene": scene}},
        {"model": MODEL_FILE, "inputs": dict(zip(names, step_inputs)),
         "outputs": dict(zip(["logits", "h_out", "c_out"], outputs))},
    ])
    hidden, scene_size = qgen.hidden_size, scene.shape[1]
    write_manifest(out_dir, {
        **_header("qgen", version,
                  [("token", "int64", [-1]), ("h", "float32", [-1, hidden]),
                   ("c", "float32", [-1, hidden]), ("scene", "float32", [-1, scene_size])],
                  [("logits", "float32", [-1, len(VOCABULARY)]), ("h_out", "float32", [-1, hidden]),
                   ("c_out", "float32", [-1, hidden])]),
        "sceneEncoder": {
            "file": SCENE_ENCODER_FILE, "sha256": sha256_of(out_dir / SCENE_ENCODER_FILE),
            "inputs": _io(SCENE_INPUTS), "outputs": _io([("scene", "float32", [-1, scene_size])]),
        },
        "decoding": {"bannedTokens": list(BANNED_TOKENS), "initialState": "zeros",
                     "description": QGEN_DECODING_TEXT},
        "training": _training(metrics, "qgen", {
            "success": metrics["success"], "perplexity_supervised": metrics["qgen_perplexity"],
            "reinforce_steps": training.reinforce_steps,
            "reinforce_batch": training.reinforce_batch,
            "reinforce_learning_rate": training.reinforce_learning_rate,
            "baseline": f"moving average, decay {training.baseline_decay}",
            "shipped": "REINFORCE fine-tuned QGen",
        }, qgen, out_dir),
    })
    _check_axes(model)
    _check_axes(encoder)


def export_guesser(guesser, games, out_dir, version, metrics):
    out_dir.mkdir(parents=True, exist_ok=True)
    examples = dialogue_examples(games)
    inputs = [examples["tokens"], examples["lengths"], examples["objects"], examples["mask"]]
    names = [name for name, _, _ in GUESSER_INPUTS]
    model, outputs = export_graph(_GuesserGraph(guesser), inputs, out_dir / MODEL_FILE, names,
                                  ["logits"], time_inputs=["tokens"])
    write_inline_golden(out_dir, [{"model": MODEL_FILE, "inputs": dict(zip(names, inputs)),
                                   "outputs": {"logits": outputs[0]}}])
    write_manifest(out_dir, {
        **_header("guesser", version, GUESSER_INPUTS, [("logits", "float32", [-1, MAX_OBJECTS])]),
        "training": _training(metrics, "guesser",
                              {"accuracy_on_scripted_dialogues": metrics["guesser_accuracy"]},
                              guesser, out_dir),
    })
    _check_axes(model)


def write_inline_golden(out_dir, samples):
    """golden.json: per sample the graph file, its inputs and the torch outputs, as JSON lists
    (float32 values written as the Python float of the same value, so replay is bit-exact)."""
    golden = {
        "samples": [
            {"model": sample["model"],
             "inputs": {name: _json_tensor(value) for name, value in sample["inputs"].items()},
             "outputs": {name: _json_tensor(value) for name, value in sample["outputs"].items()}}
            for sample in samples
        ],
        "tolerance": GOLDEN_TOLERANCE,
    }
    (out_dir / GOLDEN_FILE).write_text(json.dumps(golden) + "\n")


def _json_tensor(tensor):
    array = tensor.detach().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
    dtype = "int64" if array.dtype == np.int64 else "float32"
    return {"dtype": dtype, "shape": list(array.shape),
            "data": array.astype(dtype).reshape(-1).tolist()}


def _io(entries):
    return [{"name": name, "dtype": dtype, "shape": list(shape)} for name, dtype, shape in entries]


def _header(role, version, inputs, outputs):
    return {
        "name": f"{FAMILY}-{role}",
        "version": version,
        "family": FAMILY,
        "role": role,
        "inputs": _io(inputs),
        "outputs": _io(outputs),
        "vocabulary": {"tokens": list(VOCABULARY), "special": list(SPECIAL_TOKENS),
                       "padding": "right-padded with <pad> (id 0); lengths counts real tokens"},
        "features": {
            "categories": list(CATEGORIES), "colours": list(COLOURS), "spatial": list(SPATIAL),
            "object": f"[one-hot category ({len(CATEGORIES)}), one-hot colour ({len(COLOURS)}), "
                      f"spatial ({len(SPATIAL)})] = {OBJECT_FEATURES} float32; spatial in [0, 1] "
                      "of the frame, y downwards; padding objects all zeros with mask 0",
        },
        "limits": {"maxObjects": MAX_OBJECTS, "maxQuestionTokens": MAX_QUESTION_TOKENS,
                   "questionBudget": QUESTION_BUDGET},
        "golden": GOLDEN_FILE,
        "opset": OPSET,
    }


def _training(metrics, name, specific, module, out_dir):
    return {
        "data": "synthetic GuessWhat?! games (exporters/guesswhat/game.py), scripted dialogues",
        "games": metrics["sizes"],
        "seed": metrics["training"]["seed"],
        "parameters": sum(p.numel() for p in module.parameters()),
        "model_bytes": (out_dir / MODEL_FILE).stat().st_size,
        "epochs": metrics["training"].get(f"{name}_epochs"),
        "training_seconds": metrics["seconds"],
        **specific,
    }


def _check_axes(model):
    for value_info in [*model.graph.input, *model.graph.output]:
        if tensor_dims(value_info)[0] != BATCH_AXIS:
            raise ValueError(f"{value_info.name} has no dynamic batch axis")
