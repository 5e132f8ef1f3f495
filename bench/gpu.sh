#!/usr/bin/env bash
# The GPU run (`make bench-gpu`), for a machine with an NVIDIA GPU. Prepared and checked for
# syntax; it has not run on a GPU yet (no GPU was available to the session that wrote it).
#
# 1. Says what the machine has: the GPU, the CUDA and cuDNN libraries, Python's onnxruntime.
# 2. Raw ORT on CUDA (the compute ceiling) for SSD and D-GEX at batch 1..256, through Python's
#    onnxruntime (exporters/common/ort_bench.py), when it has the CUDA execution provider.
# 3. The engine through Kafka on the GPU (`bench pipelines`, device gpu, batch 1, 8, 32, 128):
#    needs a jar built against Maven's onnxruntime_gpu (`make build GPU=1` on a machine that
#    reaches Maven Central, copied here as $GPU_JAR) and the libraries that build loads: CUDA 12.x
#    and cuDNN 9 (libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libcufft.so.11,
#    libcurand.so.10, libcudnn.so.9). ORT Java cannot borrow Python's onnxruntime: the wheel
#    links ORT into its Python extension (no libonnxruntime.so for -Donnxruntime.native.path to
#    load), and a CUDA provider library of another ORT version does not load into this one.
#    Pip's nvidia-*-cu12 wheels, where installed, hold the CUDA 12 libraries: they are looked
#    for there too and put on LD_LIBRARY_PATH.
# Output: target/bench/gpu-*.
set -uo pipefail
OUT=${OUT:-target/bench}
GPU_JAR=${GPU_JAR:-target/streaminfer-gpu.jar}
BATCHES=${BATCHES:-1 8 32 128}
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
FACTS="$OUT/gpu-facts.txt"

{
  echo "## machine"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 || echo "no nvidia-smi"
  nvidia-smi 2>/dev/null | grep -o 'CUDA Version: [0-9.]*' || true
  echo "cores: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
  java -version 2>&1 | head -1
  echo "## CUDA and cuDNN libraries known to the loader"
  ldconfig -p 2>/dev/null | grep -E 'libcudart|libcublas|libcudnn|libcufft|libcurand' | awk '{print $1}' | sort -u
  echo "## Python onnxruntime"
  "$PYTHON" -c 'import onnxruntime as o; print(o.__version__, o.get_available_providers())' 2>&1
} | tee "$FACTS"

# Directories holding CUDA 12 / cuDNN 9 libraries: the loader's, CUDA installs, pip nvidia wheels.
LIBDIRS=$( { ldconfig -p 2>/dev/null | awk '/libcudart.so.12|libcudnn.so.9|libcublas.so.12/ {print $NF}';
  find /usr/local/cuda*/lib64 /usr/lib/x86_64-linux-gnu \
       $("$PYTHON" -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null) \
       -maxdepth 4 \( -name 'libcudart.so.12' -o -name 'libcublas.so.12' -o -name 'libcublasLt.so.12' \
       -o -name 'libcufft.so.11' -o -name 'libcurand.so.10' -o -name 'libcudnn.so.9' \) 2>/dev/null; } \
  | xargs -r -n1 dirname | sort -u | paste -sd: -)
echo "CUDA 12 / cuDNN 9 library directories: ${LIBDIRS:-none}" | tee -a "$FACTS"

echo "## raw ORT on CUDA (Python onnxruntime)" | tee "$OUT/gpu-raw.jsonl.log"
if "$PYTHON" -c 'import onnxruntime as o, sys; sys.exit("CUDAExecutionProvider" not in o.get_available_providers())' 2>/dev/null; then
  "$PYTHON" -m exporters.common.ort_bench models/ssd/1 models/dgex/1 \
    --batches 1,8,32,128,256 --seconds 2 \
    --providers CUDAExecutionProvider,CPUExecutionProvider | tee "$OUT/gpu-raw.jsonl"
else
  echo "skipped: Python's onnxruntime has no CUDAExecutionProvider here" | tee -a "$OUT/gpu-raw.jsonl.log"
fi

echo "## engine through Kafka on the GPU"
MISSING=()
[ -f "$GPU_JAR" ] || MISSING+=("$GPU_JAR (make build GPU=1 where Maven Central is reachable, then copy target/streaminfer.jar here)")
for lib in libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcufft.so.11 libcurand.so.10 libcudnn.so.9; do
  found=no
  for dir in ${LIBDIRS//:/ }; do [ -e "$dir/$lib" ] && found=yes; done
  [ "$found" = yes ] || MISSING+=("$lib")
done
if [ ${#MISSING[@]} -gt 0 ]; then
  printf 'skipped, missing: %s\n' "${MISSING[@]}" | tee "$OUT/gpu-engine.log"
  exit 0
fi
export LD_LIBRARY_PATH="$LIBDIRS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for batch in $BATCHES; do
  config="$OUT/gpu-batch-$batch.yaml"
  sed "s/__BATCH__/$batch/" bench/gpu.yaml >"$config"
  java -jar "$GPU_JAR" bench pipelines --config "$config" --pipeline ssd,dgex \
    --out-dir "$OUT/gpu-batch-$batch" 2>&1 | tee "$OUT/gpu-engine-batch-$batch.log"
done
echo "tables: $OUT/gpu-batch-*/pipelines.md"
