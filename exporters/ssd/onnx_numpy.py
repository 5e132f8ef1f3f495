"""A NumPy evaluator for the few ONNX ops an exported SSD uses.

The build machine has no onnxruntime for Python; this lets export and tests run the written
graph itself (not the torch module) and compare it with the torch outputs.
"""

import numpy as np
from onnx import numpy_helper

from exporters.common.onnx_numpy import evaluate, reshape


def run(model, inputs):
    """Evaluates ``model`` (an onnx ModelProto) on ``{input name: array}``; returns the outputs."""
    return evaluate(model, inputs, OPS)


def conv(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1), group=1,
         kernel_shape=None):
    if group != 1 or tuple(dilations) != (1, 1):
        raise NotImplementedError("grouped or dilated Conv")
    top, left, bottom, right = pads
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    batch, channels, height, width = x.shape
    kh, kw = w.shape[2:]
    sh, sw = strides
    out_h, out_w = (height - kh) // sh + 1, (width - kw) // sw + 1
    s = x.strides
    patches = np.lib.stride_tricks.as_strided(
        x, (batch, channels, kh, kw, out_h, out_w),
        (s[0], s[1], s[2], s[3], s[2] * sh, s[3] * sw), writeable=False)
    out = np.einsum("bckhyx,ockh->boyx", patches, w, optimize=True)
    if b is not None:
        out = out + b[None, :, None, None]
    return out.astype(np.float32)


def batch_norm(x, scale, bias, mean, var, epsilon=1e-5, momentum=0.9):
    view = (1, -1, 1, 1)
    return ((x - mean.reshape(view)) / np.sqrt(var.reshape(view) + epsilon) * scale.reshape(view)
            + bias.reshape(view)).astype(np.float32)


OPS = {
    "Conv": conv,
    "Relu": lambda x: np.maximum(x, 0),
    "Transpose": lambda x, perm: np.transpose(x, perm),
    "Reshape": reshape,
    "Concat": lambda *xs, axis: np.concatenate(xs, axis=axis),
    "Identity": lambda x: x,
    "Constant": lambda value: numpy_helper.to_array(value),
    "BatchNormalization": batch_norm,
    "Shape": lambda x: np.array(x.shape, dtype=np.int64),
    "Gather": lambda x, i, axis=0: np.take(x, i, axis=axis),
    # Opset 13+ passes the axes as an input, older opsets as an attribute.
    "Unsqueeze": lambda x, axes_input=None, axes=None: np.expand_dims(
        x, tuple(int(a) for a in (axes if axes_input is None else axes_input))),
}
