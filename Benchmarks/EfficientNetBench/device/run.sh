#!/bin/bash
# H200 run of EfficientNetBench (ours, Dawn/Vulkan) and the PyTorch peers, in one call. Results in $OUT.
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
timeout 240 python3 $D/torch_peers.py --fixture $D --out $OUT/torch.json --batch 1,64 --warmup 20 --reps 100 --budget 8 2>&1 | tee $OUT/torch.log
PEER=""; [ -s $OUT/torch.json ] && PEER="--peer-json $OUT/torch.json"
timeout 150 $B --fixture $D --no-ort --batch 1,64 --warmup 20 --reps 200 --budget 10 $PEER \
  --label "NVIDIA H200 via device (Dawn Vulkan)" --out $OUT/efficientnet-h200 2>&1 | tee $OUT/bench.log
for v in "--prefetch off" "--large-min 2147483647 --prefetch off" "--narrow off" "--pooled-min 1024" "--sliding on"; do
  echo "=== variant: $v"; timeout 60 $B --fixture $D --no-ort --batch 1,64 --warmup 10 --reps 100 --budget 5 --no-profile $v --out /tmp/variant 2>&1 | grep -E "^- ours|KernelGen native|correctness"
done 2>&1 | tee $OUT/variants.log
nvidia-smi --query-gpu=clocks.sm,temperature.gpu --format=csv >> $OUT/machine.txt
