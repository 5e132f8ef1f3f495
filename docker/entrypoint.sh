#!/bin/sh
# Execs java so the JVM is PID 1 and receives SIGTERM directly: that is what triggers the drain
# (stop fetching, finish in-flight batches, produce, commit, exit). A wrapper that did not exec
# would swallow it. Configuration comes from the file STREAMINFER_CONFIG names (the image's
# default, or one mounted over it) and STREAMINFER__... environment variables; see the README.
set -eu

# MaxRAMPercentage sizes the heap from the cgroup memory limit, not the node's RAM. ONNX Runtime's
# arena, Netty buffers and (on GPU images) the CUDA libraries live outside the heap, so if the pod
# is OOM-killed lower it through JAVA_OPTS (e.g. -XX:MaxRAMPercentage=60), not the limit alone.
# ExitOnOutOfMemoryError: a half-dead JVM would keep its partitions; exiting lets the group rebalance.
# JAVA_OPTS is word-split on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} \
  -jar /opt/streaminfer/streaminfer.jar "$@"
