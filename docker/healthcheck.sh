#!/bin/bash
# Docker HEALTHCHECK without curl/wget (not guaranteed in JRE or CUDA runtime images): a raw
# HTTP/1.0 GET over bash's /dev/tcp. Liveness only: readiness (broker, models) is the orchestrator's
# business, and an unreachable broker is no reason to restart the container.
# Kubernetes ignores HEALTHCHECK and uses the probes in k8s/base/deployment.yaml instead.
exec 3<>"/dev/tcp/127.0.0.1/${HTTP_PORT:-8080}" || exit 1
printf 'GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r _ code _ <&3
[ "$code" = "200" ]
