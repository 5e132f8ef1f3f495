#!/bin/sh
# Execs java so the JVM is PID 1 and receives SIGTERM directly: that is what triggers the drain
# (stop fetching, finish in-flight batches, produce, commit, exit). A wrapper that did not exec
# would swallow it. Configuration comes from the file STREAMINFER_CONFIG names (the image's
# default, or one mounted over it) and STREAMINFER__... environment variables; see the README.
set -eu

# Memory: the heap gets half of the container's limit (MaxRAMPercentage reads the cgroup limit,
# not the node's RAM) and direct buffers (Kafka clients, Netty) at most 15%; the other 35% is for
# what lives outside both: ONNX Runtime's arenas and model weights, FFmpeg, metaspace, thread stacks
# and, on GPU images, the CUDA libraries' host memory. Raise or lower the shares through JAVA_OPTS
# (later flags win). ExitOnOutOfMemoryError: a half-dead JVM would keep its partitions; exiting
# lets the group rebalance.
limit=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || echo max)
direct=""
case "$limit" in
  ''|max|*[!0-9]*) ;;
  *) if [ "$limit" -lt 1099511627776 ]; then direct="-XX:MaxDirectMemorySize=$((limit * 15 / 100))"; fi ;;
esac
# JAVA_OPTS is word-split on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage=50 $direct -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} \
  -jar /opt/streaminfer/streaminfer.jar "$@"
