#!/bin/sh
# Maps environment variables (ConfigMap / `docker run -e`) onto `serve` flags, then execs java so
# the JVM is PID 1 and receives SIGTERM directly: that is what triggers the drain (stop fetching,
# finish in-flight batches, produce, commit, exit). A wrapper that did not exec would swallow it.
#
# A flag is only added when its variable is non-empty, because picocli rejects an option given
# twice: set a value either in the environment or as an argument, not both.
# Any first argument other than `serve` (bench, produce, record, ...) passes through untouched.
set -eu

if [ "${1:-}" = "serve" ]; then
  shift
  set -- serve \
    ${KAFKA_BOOTSTRAP:+--bootstrap "$KAFKA_BOOTSTRAP"} \
    ${MODELS_DIR:+--models-dir "$MODELS_DIR"} \
    ${DEVICE:+--device "$DEVICE"} \
    ${HTTP_PORT:+--http-port "$HTTP_PORT"} \
    ${PIPELINES:+--pipelines "$PIPELINES"} \
    ${MAX_BATCH_SIZE:+--max-batch-size "$MAX_BATCH_SIZE"} \
    ${MAX_BATCH_DELAY_MS:+--max-batch-delay-ms "$MAX_BATCH_DELAY_MS"} \
    ${BATCH_CONCURRENCY:+--batch-concurrency "$BATCH_CONCURRENCY"} \
    ${MAX_IN_FLIGHT:+--max-in-flight "$MAX_IN_FLIGHT"} \
    ${INTRA_OP_THREADS:+--intra-op-threads "$INTRA_OP_THREADS"} \
    ${GROUP_PREFIX:+--group-prefix "$GROUP_PREFIX"} \
    ${TOPIC_PREFIX:+--topic-prefix "$TOPIC_PREFIX"} \
    ${PARTITIONS:+--partitions "$PARTITIONS"} \
    "$@"
fi

# MaxRAMPercentage sizes the heap from the cgroup memory limit, not the node's RAM. ONNX Runtime's
# arena, Netty buffers and (on GPU images) the CUDA libraries live outside the heap, so if the pod
# is OOM-killed lower it through JAVA_OPTS (e.g. -XX:MaxRAMPercentage=60), not the limit alone.
# ExitOnOutOfMemoryError: a half-dead JVM would keep its partitions; exiting lets the group rebalance.
# JAVA_OPTS is word-split on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} \
  -jar /opt/streaminfer/streaminfer.jar "$@"
