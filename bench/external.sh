#!/usr/bin/env bash
# The user's-eye run (`make bench-external`): the broker, the engine and the client as three
# processes on this machine, as a user deploys them. `streaminfer broker` runs on its own; `bench
# pipelines --engine-process` measures every pipeline with the engine as its own `serve` process
# (ceilings measured by the client process beside it), then `bench cold-start` plays a camera
# against freshly started `serve` processes (first-minute latency, with and without warm-up).
# Extra arguments go to `bench pipelines`; COLD_ARGS to `bench cold-start` (e.g. "--seconds 30").
# Output: target/bench/external-*.
set -euo pipefail
JAR=${JAR:-target/streaminfer.jar}
OUT=${OUT:-target/bench}
PORT=${PORT:-19092}
CONFIG=${CONFIG:-streaminfer.yaml}
mkdir -p "$OUT"
DATA=$(mktemp -d /tmp/streaminfer-external-XXXXXX)
java -jar "$JAR" broker --port "$PORT" --data-dir "$DATA" >"$OUT/external-broker.log" 2>&1 &
BROKER=$!
trap 'kill "$BROKER" 2>/dev/null; wait "$BROKER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 240); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$BROKER" 2>/dev/null || { echo "the broker exited: $OUT/external-broker.log"; exit 1; }
  sleep 0.5
done
echo "broker process $BROKER on 127.0.0.1:$PORT"
java -jar "$JAR" bench pipelines --config "$CONFIG" --bootstrap "127.0.0.1:$PORT" \
  --engine-process --out-dir "$OUT/external" "$@" 2>&1 | tee "$OUT/external-pipelines.log"
# shellcheck disable=SC2086
java -jar "$JAR" bench cold-start --bootstrap "127.0.0.1:$PORT" ${COLD_ARGS:-} 2>&1 \
  | tee "$OUT/external-cold-start.log"
