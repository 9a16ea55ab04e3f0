#!/bin/bash
# H200 run of EfficientNetBench (ours, Dawn/Vulkan) and the PyTorch peers, in one call. Results in $OUT.
# Usage: [TORCH_MODES=fp32,...] [VARIANTS="opts|opts..."] run.sh [full|ours]  (ours: no PyTorch peers).
PHASE=${1:-full}
cd "$(dirname "$0")"
D=$PWD
for f in $D/*.deb; do dpkg -x $f /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
export XDG_RUNTIME_DIR=/tmp/xdg PYTHONUNBUFFERED=1
mkdir -p -m 700 /tmp/xdg
tar -xJf $D/bench.tar.xz -C /tmp && xz -dc $D/libwebgpu_wrapper.so.xz > /tmp/perf-publish/libwebgpu_wrapper.so
for f in $D/overlay/*.dll; do [ -e "$f" ] && cp "$f" /tmp/perf-publish/; done
{ date -u; uname -r; nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv; ldconfig -p | grep -E "libvulkan|GLdispatch|libGLX"; nproc; } > $OUT/machine.txt 2>&1
cat $OUT/machine.txt
B=/tmp/perf-publish/EfficientNetBench
# Ours first, alone: if Vulkan fails, stop before spending time on the peers.
timeout 60 $B --fixture $D --no-ort --batch 1 --warmup 2 --reps 3 --no-profile --out /tmp/smoke > $OUT/bench-smoke.log 2>&1 || { cat $OUT/bench-smoke.log; exit 1; }
head -8 $OUT/bench-smoke.log
# What the adapter offers for chromium-experimental-subgroup-matrix (cooperative matrices), with the toggles.
[ -x $D/subgroup_matrix_probe ] && timeout 30 $D/subgroup_matrix_probe /tmp/perf-publish/libwebgpu_wrapper.so > $OUT/subgroup-matrix.txt 2>&1
[ -s $OUT/subgroup-matrix.txt ] && grep -v "^ *at \|^$" $OUT/subgroup-matrix.txt | head -40
[ "$PHASE" = full ] && timeout 330 python3 $D/torch_peers.py --fixture $D --out $OUT/torch.json --batch 1,64 --warmup 20 --reps 100 --budget 4 --modes ${TORCH_MODES:-fp32,tf32,fp16} 2>&1 | tee $OUT/torch.log
PEER=""; [ -s $OUT/torch.json ] && PEER="--peer-json $OUT/torch.json"
# The execution plan tuned on the device (full), cached in $OUT/tuning.json; then variants around it.
timeout 200 $B --fixture $D --no-ort --batch 1,64 --warmup 20 --reps 200 --budget 8 $PEER --tune full --tune-cache $OUT/tuning.json \
  --label "NVIDIA H200 via device (Dawn Vulkan), tuned plan" --out $OUT/efficientnet-h200 2>&1 | tee $OUT/bench.log
VARIANTS=${VARIANTS:-"--tune quick --tune-cache $OUT/tuning.json|--tune full --tune-cache $OUT/tuning.json --fold-expand off|--tune full --tune-cache $OUT/tuning.json --fold-expand on|--tune off|--tune full --tune-cache $OUT/tuning.json --splits 1"}
IFS='|' read -ra VLIST <<< "$VARIANTS"
for v in "${VLIST[@]}"; do
  echo "=== variant: $v"; timeout 60 $B --fixture $D --no-ort --batch 1,64 --warmup 10 --reps 100 --budget 4 --no-profile $v --out /tmp/variant 2>&1 | grep -E "^- ours|^- plan|^Execution plan|KernelGen native|correctness|max abs"
done 2>&1 | tee $OUT/variants.log
nvidia-smi --query-gpu=clocks.sm,temperature.gpu --format=csv >> $OUT/machine.txt
