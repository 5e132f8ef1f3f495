import numpy as np
import onnx

from exporters.maskrcnn.data import load_split
from exporters.maskrcnn.export import OUTPUT_NAMES, export_onnx, instances
from exporters.maskrcnn.model import MASK_SIZE
from exporters.maskrcnn.rle import decode
from exporters.maskrcnn.training import TrainingConfig, detect, paste, train_mask_rcnn
from exporters.shapes.scenes import SceneConfig

SCENES = SceneConfig(width=64, height=64, max_shapes=3, min_size=0.2)
CONFIG = TrainingConfig(input_size=48, width=16, steps=2, batch_size=2, warmup_steps=1)


def _trained():
    train = load_split(SCENES, 0, "train", 4, CONFIG.input_size)
    model, history = train_mask_rcnn(train, CONFIG, progress_every=1)
    return model, history


def test_a_few_steps_give_every_loss_term_of_the_paper_and_finite_values():
    _, history = _trained()
    assert len(history) == 2
    for key in ("loss_classifier", "loss_box_reg", "loss_mask", "loss_objectness"):
        assert np.isfinite(history[-1][key])


def test_served_masks_are_pasted_at_the_frames_size_and_round_trip_through_rle():
    model, _ = _trained()
    test = load_split(SCENES, 0, "test", 2, CONFIG.input_size, keep_frames=True)
    found = detect(model, test.inputs)[0]
    boxes, masks = paste(found, CONFIG.input_size, 64, 64)
    assert masks.shape == (len(found["scores"]), 64, 64) and masks.dtype == bool
    for served, mask in zip(instances(found, CONFIG.input_size, 64, 64, score_threshold=0.0),
                            masks):
        assert np.array_equal(decode(served["mask"]["counts"], 64, 64), mask)


def test_the_exported_graph_takes_one_image_and_returns_ragged_detections(tmp_path):
    model, _ = _trained()
    graph = export_onnx(model, CONFIG.input_size, tmp_path / "model.onnx")
    assert [i.name for i in graph.graph.input] == ["image"]
    assert tuple(o.name for o in graph.graph.output) == OUTPUT_NAMES
    masks = graph.graph.output[3].type.tensor_type.shape.dim
    assert [d.dim_value for d in masks][1:] == [1, MASK_SIZE, MASK_SIZE]
    assert graph.opset_import[0].version == 13
    onnx.checker.check_model(onnx.load(str(tmp_path / "model.onnx")))
