"""SSD (Liu et al. 2016) for the synthetic shapes scenes: training, export to ONNX, report."""
