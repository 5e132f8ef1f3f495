"""A NumPy evaluator for the ONNX ops the exported GuessWhat?! graphs use, LSTM included.

The build machine has no onnxruntime for Python; this lets export and tests run the written
graphs themselves (not the torch modules) and compare them with the torch outputs.
"""

import numpy as np
import onnx
from onnx import numpy_helper

from exporters.common.onnx_numpy import evaluate, reshape


def run(model, inputs):
    """Evaluates ``model`` (an onnx ModelProto) on ``{input name: array}``; returns the outputs."""
    return evaluate(model, inputs, OPS)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm(x, w, r, b=None, sequence_lens=None, initial_h=None, initial_c=None, p=None,
         hidden_size=None, direction=b"forward", layout=0, **_):
    """ONNX LSTM, forward, default activations; gates in W, R and B are ordered i, o, f, c."""
    if direction not in (b"forward", "forward") or layout != 0 or p is not None:
        raise NotImplementedError("only a forward LSTM in layout 0 without peepholes")
    if sequence_lens is not None:
        raise NotImplementedError("sequence_lens")
    steps, batch, _ = x.shape
    hidden = r.shape[2]
    h = np.zeros((batch, hidden), np.float32) if initial_h is None else initial_h[0]
    c = np.zeros((batch, hidden), np.float32) if initial_c is None else initial_c[0]
    bias = np.zeros(8 * hidden, np.float32) if b is None else b[0]
    bias = bias[: 4 * hidden] + bias[4 * hidden :]
    outputs = []
    for t in range(steps):
        gates = x[t] @ w[0].T + h @ r[0].T + bias
        i, o, f, g = (gates[:, k * hidden : (k + 1) * hidden] for k in range(4))
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        outputs.append(h)
    y = np.stack(outputs)[:, None].astype(np.float32)
    return y, h[None].astype(np.float32), c[None].astype(np.float32)


def _axes(axes_input, axes):
    return tuple(int(a) for a in (axes if axes_input is None else axes_input))


def slice_(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * x.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        index[int(axis)] = slice(int(start), int(end), int(step))
    return x[tuple(index)]


def gather_elements(x, index, axis=0):
    return np.take_along_axis(x, index, axis=axis)


def clip(x, low=None, high=None):
    return np.clip(x, low if low is not None else None, high if high is not None else None)


def reduce_sum(x, axes_input=None, keepdims=1, axes=None, noop_with_empty_axes=0):
    return np.sum(x, axis=_axes(axes_input, axes), keepdims=bool(keepdims)).astype(x.dtype)


OPS = {
    "LSTM": lstm,
    "Gather": lambda x, i, axis=0: np.take(x, i, axis=axis),
    "GatherElements": gather_elements,
    "Shape": lambda x: np.array(x.shape, dtype=np.int64),
    "Constant": lambda value: numpy_helper.to_array(value),
    "ConstantOfShape": lambda shape, value=None: np.full(
        tuple(int(d) for d in shape), 0.0 if value is None else numpy_helper.to_array(value)[0],
        dtype=np.float32 if value is None else numpy_helper.to_array(value).dtype),
    "Unsqueeze": lambda x, axes_input=None, axes=None: np.expand_dims(x, _axes(axes_input, axes)),
    "Squeeze": lambda x, axes_input=None, axes=None: np.squeeze(x, _axes(axes_input, axes)),
    "Concat": lambda *xs, axis: np.concatenate(xs, axis=axis),
    "Transpose": lambda x, perm: np.transpose(x, perm),
    "Reshape": reshape,
    "Expand": lambda x, shape: x * np.ones(tuple(int(d) for d in shape), dtype=x.dtype),
    "Slice": slice_,
    "Where": lambda condition, x, y: np.where(condition, x, y),
    "Equal": lambda x, y: np.equal(x, y),
    "Clip": clip,
    "Max": lambda *xs: np.maximum.reduce(xs),
    "Cast": lambda x, to: x.astype(onnx.helper.tensor_dtype_to_np_dtype(to)),
    "Add": lambda x, y: x + y,
    "Sub": lambda x, y: x - y,
    "Mul": lambda x, y: x * y,
    "Div": lambda x, y: x / y,
    "MatMul": lambda x, y: np.matmul(x, y),
    "Gemm": lambda a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0: (
        alpha * ((a.T if transA else a) @ (b.T if transB else b))
        + (0 if c is None else beta * c)),
    "Relu": lambda x: np.maximum(x, 0),
    "ReduceSum": reduce_sum,
    "Identity": lambda x: x,
}
