#!/bin/bash
# A/B on the H200 of two builds (overlay-<name>/*.dll over one self-contained publish made by prepare.sh), PyTorch (fp32, or
# TORCH_MODES=fp32,tf32) in the same call. Usage: [BUILDS="main layers"] [TORCH_MODES=...] [EXTRA="build|options;build|options"]
# [PROBE=build] run-ab.sh; EXTRA: more runs after the rounds (the build's tuning cache reused); PROBE: that build's --dispatch-probe; DEST of prepare.sh also holds overlay-main/ and overlay-layers/
# (EfficientNetBench.dll, efficientnet.dll, KernelGen.Runtime.dll of each build). Results in $OUT (at most 8 files).
BUILDS=${BUILDS:-"main layers"}
cd "$(dirname "$0")"; D=$PWD
for f in $D/*.deb; do dpkg -x $f /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
export XDG_RUNTIME_DIR=/tmp/xdg PYTHONUNBUFFERED=1
mkdir -p -m 700 /tmp/xdg
L=$OUT/log.txt
{ date -u; nvidia-smi --query-gpu=name,driver_version,clocks.sm,temperature.gpu --format=csv; } >> $L 2>&1
tar -xJf $D/bench.tar.xz -C /tmp && xz -dc $D/libwebgpu_wrapper.so.xz > /tmp/perf-publish/libwebgpu_wrapper.so
for v in $BUILDS; do cp -r /tmp/perf-publish /tmp/pub-$v; cp $D/overlay-$v/*.dll /tmp/pub-$v/; done
for v in $BUILDS; do
  echo "=== smoke $v" >> $L
  timeout 90 /tmp/pub-$v/EfficientNetBench --fixture $D --no-ort --batch 1 --warmup 2 --reps 3 --no-profile --out /tmp/smoke-$v >> $L 2>&1 || { echo "smoke $v failed" >> $L; cat $L; exit 1; }
done
grep -E "correctness|max abs|KernelGen native" $L | tail -6
timeout 200 python3 $D/torch_peers.py --fixture $D --out $OUT/torch.json --batch 1,64 --warmup 20 --reps 100 --budget 4 --modes ${TORCH_MODES:-fp32} >> $L 2>&1
PEER=""; [ -s $OUT/torch.json ] && PEER="--peer-json $OUT/torch.json"
for round in 1 2; do
  for v in $BUILDS; do
    echo "=== round $round $v (tune full)" >> $L
    if [ $round = 1 ]; then o="--out $OUT/bench-$v $PEER --label H200-$v-tuned"; else o="--out /tmp/r2-$v --no-profile"; fi
    timeout 150 /tmp/pub-$v/EfficientNetBench --fixture $D --no-ort --batch 1,64 --warmup 20 --reps 200 --budget 8 --tune full --tune-cache $OUT/tuning-$v.json $o 2>&1 \
      | grep -E "^- ours|^- plan|^Execution plan|KernelGen native|correctness|max abs|Plan for|tuned|rror" >> $L
  done
done
for v in $BUILDS; do
  echo "=== $v --tune off (heuristic plan, same choices in both builds)" >> $L
  timeout 90 /tmp/pub-$v/EfficientNetBench --fixture $D --no-ort --batch 1,64 --warmup 10 --reps 100 --budget 4 --no-profile --tune off --out /tmp/off-$v 2>&1 \
    | grep -E "^- ours|^- plan|KernelGen native|correctness|max abs|rror" >> $L
done
IFS=';' read -ra XLIST <<< "${EXTRA:-}"
for x in "${XLIST[@]}"; do
  v=${x%%|*}; opts=${x#*|}
  echo "=== $v $opts (tune full, cache of round 1)" >> $L
  timeout 90 /tmp/pub-$v/EfficientNetBench --fixture $D --no-ort --batch 1,64 --warmup 10 --reps 100 --budget 4 --no-profile --tune full --tune-cache $OUT/tuning-$v.json $opts --out /tmp/x-$v 2>&1 \
    | grep -E "^- ours|^- plan|KernelGen native|correctness|max abs|rror" >> $L
done
if [ -n "${PROBE:-}" ]; then
  echo "=== $PROBE --dispatch-probe" >> $L
  timeout 60 /tmp/pub-$PROBE/EfficientNetBench --fixture $D --no-ort --batch 1 --warmup 2 --reps 3 --no-profile --dispatch-probe --out /tmp/probe 2>&1 | grep -E "dispatch probe|rror" >> $L
fi
nvidia-smi --query-gpu=clocks.sm,temperature.gpu --format=csv >> $L
cat $L | tail -80
