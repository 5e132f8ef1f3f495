"""A NumPy evaluator for the few ONNX ops an exported SSD uses.

The build machine has no onnxruntime for Python; this lets export and tests run the written
graph itself (not the torch module) and compare it with the torch outputs.
"""

import numpy as np
import onnx
from onnx import numpy_helper


def run(model, inputs):
    """Evaluates ``model`` (an onnx ModelProto) on ``{input name: array}``; returns the outputs."""
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    values.update(inputs)
    for node in model.graph.node:
        if node.op_type not in OPS:
            raise NotImplementedError(f"no NumPy implementation of ONNX op {node.op_type}")
        args = [values[name] if name else None for name in node.input]
        attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        results = OPS[node.op_type](*args, **attributes)
        if not isinstance(results, tuple):
            results = (results,)
        values.update(zip(node.output, results))
    return [values[output.name] for output in model.graph.output]


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


def reshape(x, shape, allowzero=0):
    shape = [x.shape[i] if (d == 0 and not allowzero) else int(d) for i, d in enumerate(shape)]
    return x.reshape(shape)


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
