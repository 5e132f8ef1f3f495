"""Runs an exported ONNX graph with NumPy, one node at a time, from a table of op functions.

The build machine has no onnxruntime for Python; each family's ``onnx_numpy`` supplies NumPy
versions of the few ops its graphs use, so export and tests can run the written graph itself
(not the torch module) and compare it with the torch outputs.
"""

import onnx
from onnx import numpy_helper


def evaluate(model, inputs, ops):
    """Evaluates ``model`` (an onnx ModelProto) on ``{input name: array}``; returns the outputs."""
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    values.update(inputs)
    for node in model.graph.node:
        if node.op_type not in ops:
            raise NotImplementedError(f"no NumPy implementation of ONNX op {node.op_type}")
        args = [values[name] if name else None for name in node.input]
        attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        results = ops[node.op_type](*args, **attributes)
        if not isinstance(results, tuple):
            results = (results,)
        values.update(zip(node.output, results))
    return [values[output.name] for output in model.graph.output]


def reshape(x, shape, allowzero=0):
    shape = [x.shape[i] if (d == 0 and not allowzero) else int(d) for i, d in enumerate(shape)]
    return x.reshape(shape)

