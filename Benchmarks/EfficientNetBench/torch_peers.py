"""PyTorch peers for EfficientNetBench on a CUDA machine: eager and torch.compile(mode="reduce-overhead").

Loads the fixture weights (torchvision state-dict names, F16 safetensors, widened to f32) into
torchvision's efficientnet_b0, checks the logits against the fixture's float64 reference, then times
batch 1 latency and batch-N throughput the same way EfficientNetBench times our device-resident runner:
input already on the device, host wall clock around one call followed by torch.cuda.synchronize().
Writes {"meta": {...}, "results": [{"runner", "batch", "residency", "samples_ms"}]} for --peer-json.

Three precision modes, each eager and compiled: fp32 (TF32 off: our arithmetic class), tf32 (PyTorch's defaults:
convolutions on TF32 tensor cores), fp16 (model.half(), channels_last).

usage: python3 torch_peers.py --fixture DIR --out FILE.json [--batch 1,64] [--warmup 20] [--reps 100] [--no-compile] [--modes fp32,tf32,fp16]
"""
import argparse
import json
import struct
import sys
import time

import torch
import torchvision


def read_safetensors(path):
    """Tiny safetensors reader (no dependency on the safetensors package): name -> f32 tensor."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    dtypes = {"F16": torch.float16, "F32": torch.float32, "BF16": torch.bfloat16, "F64": torch.float64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + begin:base + end]), dtype=dtypes[info["dtype"]])
        out[name] = t.reshape(info["shape"]).to(torch.float32)
    return out


def timed(call, warmup, reps, budget_s):
    for _ in range(warmup):
        call()
    torch.cuda.synchronize()
    samples = []
    start_all = time.perf_counter()
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        torch.cuda.synchronize()
        samples.append((time.perf_counter() - t0) * 1000.0)
        if len(samples) >= 3 and time.perf_counter() - start_all > budget_s:
            break
    return samples


def median(v):
    s = sorted(v)
    return s[len(s) // 2] if len(s) % 2 else 0.5 * (s[len(s) // 2 - 1] + s[len(s) // 2])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", default="1,64")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--budget", type=float, default=20.0)
    ap.add_argument("--no-compile", action="store_true")
    ap.add_argument("--modes", default="fp32,tf32,fp16", help="comma-separated: fp32 (TF32 off), tf32 (defaults), fp16 (half, channels_last)")
    a = ap.parse_args()
    batches = [int(b) for b in a.batch.split(",")]
    dev = torch.device("cuda")

    state = read_safetensors(f"{a.fixture}/weights.f16.safetensors")
    ref = read_safetensors(f"{a.fixture}/reference_io.safetensors")
    images, ref_logits = ref["input"], ref["logits"]
    torch.backends.cudnn.benchmark = True

    meta = {
        "torch": torch.__version__, "torchvision": torchvision.__version__, "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(), "gpu": torch.cuda.get_device_name(0),
        "timing": "host wall clock around one call + torch.cuda.synchronize(); input resident on the GPU",
        "modes": {
            "fp32": "cudnn.allow_tf32=False, cuda.matmul.allow_tf32=False, float32_matmul_precision=highest",
            "tf32": "PyTorch defaults (cudnn.allow_tf32=True: convolutions on TF32 tensor cores)",
            "fp16": "model.half(), channels_last model and input, PyTorch defaults otherwise",
        },
    }
    results = []
    for mode in [m for m in a.modes.split(",") if m]:
        torch._dynamo.reset()
        tf32 = mode != "fp32"
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
        model = torchvision.models.efficientnet_b0(weights=None)
        model.load_state_dict(state, strict=True)
        model = model.eval().to(dev)
        dtype = torch.float16 if mode == "fp16" else torch.float32
        fmt = torch.channels_last if mode == "fp16" else torch.contiguous_format
        if mode == "fp16":
            model = model.half().to(memory_format=fmt)

        def batch_of(b):
            return images[torch.arange(b) % images.shape[0]].to(dtype).to(dev).contiguous(memory_format=fmt)

        with torch.inference_mode():
            out = model(batch_of(images.shape[0])).float().cpu()
            meta[f"{mode}_eager_max_abs_vs_reference"] = float((out - ref_logits).abs().max())
            meta[f"{mode}_eager_top1_vs_reference"] = int((out.argmax(1) == ref_logits.argmax(1)).sum())
            print(f"{mode} eager vs reference: max_abs={meta[f'{mode}_eager_max_abs_vs_reference']:.3e} top1 {meta[f'{mode}_eager_top1_vs_reference']}/8", flush=True)
            for b in batches:
                x = batch_of(b)
                s = timed(lambda: model(x), a.warmup, a.reps, a.budget)
                name = f"PyTorch {mode} eager"
                results.append({"runner": name, "batch": b, "residency": "device", "samples_ms": s})
                print(f"{name} batch {b}: median {median(s):.3f} ms min {min(s):.3f} n={len(s)}", flush=True)

            if not a.no_compile:
                compiled = torch.compile(model, mode="reduce-overhead")
                for b in batches:
                    x = batch_of(b)
                    t0 = time.perf_counter()
                    y = compiled(x)
                    torch.cuda.synchronize()
                    meta[f"{mode}_compile_first_call_s_batch{b}"] = time.perf_counter() - t0
                    if b >= images.shape[0]:
                        y8 = y[: images.shape[0]].float().cpu()
                        meta[f"{mode}_compiled_max_abs_vs_reference_batch{b}"] = float((y8 - ref_logits).abs().max())
                    s = timed(lambda: compiled(x), a.warmup, a.reps, a.budget)
                    name = f"PyTorch {mode} torch.compile reduce-overhead"
                    results.append({"runner": name, "batch": b, "residency": "device", "samples_ms": s})
                    print(f"{name} batch {b}: median {median(s):.3f} ms min {min(s):.3f} n={len(s)}", flush=True)
        del model

    with open(a.out, "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    print(json.dumps(meta, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
