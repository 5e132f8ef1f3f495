"""Mechanism shared by every model family's exporter: seeding, threads, ONNX export, the model
repository's ``model.json``, golden input/output pairs and small reports."""
