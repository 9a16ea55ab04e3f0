// onnxruntime-web on the fixture network, for WebBench's side-by-side comparison.
// Served by the bench: /ort/ = onnxruntime-web's dist folder, /model.onnx and /reference_io.safetensors = the
// fixture files. One page per configuration (ORT's wasm settings are fixed at its first session).
const params = new URLSearchParams(location.search);
const ep = params.get("ep") ?? "webgpu";
const threads = Number(params.get("threads") ?? "1");

/** IEEE half -> float. */
function halfToFloat(h) {
    const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
    if (e === 0) return s * f * 2 ** -24;
    if (e === 31) return f ? NaN : s * Infinity;
    return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Reads one tensor of a safetensors file as Float32Array (F16 or F32), plus its shape. */
function readTensor(bytes, name) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = Number(view.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    const entry = header[name];
    if (!entry) throw new Error(`reference_io.safetensors has no '${name}' tensor.`);
    const [begin, end] = entry.data_offsets;
    const base = 8 + headerLength + begin;
    const count = (end - begin) / (entry.dtype === "F16" ? 2 : 4);
    const out = new Float32Array(count);
    if (entry.dtype === "F16") for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(base + 2 * i, true));
    else if (entry.dtype === "F32") for (let i = 0; i < count; i++) out[i] = view.getFloat32(base + 4 * i, true);
    else throw new Error(`reference_io.safetensors: '${name}' has dtype ${entry.dtype}; expected F16 or F32.`);
    return { data: out, shape: entry.shape };
}

async function fetchBytes(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
}

const argmax = a => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

async function run({ runs = 3, image = 0 } = {}) {
    const status = document.getElementById("status");
    const module = ep === "webgpu" ? "/ort/ort.webgpu.min.mjs" : "/ort/ort.wasm.min.mjs";
    const ort = await import(module);
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.wasmPaths = "/ort/";
    ort.env.wasm.proxy = false;
    let adapter = null;
    if (ep === "webgpu") {
        const a = await navigator.gpu?.requestAdapter();
        if (!a) throw new Error("navigator.gpu.requestAdapter() returned null: no WebGPU adapter for the webgpu EP.");
        adapter = `${a.info.vendor} ${a.info.architecture}`.trim();
    }
    const model = await fetchBytes("/model.onnx");
    const reference = await fetchBytes("/reference_io.safetensors");
    const input = readTensor(reference, "input");
    const logits = readTensor(reference, "logits");
    const inputSize = 3 * 224 * 224;
    const x = input.data.slice(image * inputSize, (image + 1) * inputSize);
    const expected = logits.data.slice(image * 1000, (image + 1) * 1000);

    status.textContent = `creating the ${ep} session…`;
    let t = performance.now();
    const session = await ort.InferenceSession.create(model, { executionProviders: [ep], graphOptimizationLevel: "all" });
    const createMs = performance.now() - t;
    const feeds = () => ({ [session.inputNames[0]]: new ort.Tensor("float32", x, [1, 3, 224, 224]) });
    const infer = async () => {
        const started = performance.now();
        const out = await session.run(feeds());
        const data = out[session.outputNames[0]].data; // on the CPU: the readback is part of the time
        return { ms: performance.now() - started, data };
    };
    status.textContent = "first inference…";
    const first = await infer();
    const firstAnswerMs = performance.now(); // from navigation: ORT's start, model download, session, first inference
    const warm = [];
    let last = first.data;
    for (let i = 0; i < runs; i++) {
        status.textContent = `warm inference ${i + 1} of ${runs}…`;
        const r = await infer();
        warm.push(r.ms);
        last = r.data;
    }
    let maxAbs = 0;
    for (let i = 0; i < 1000; i++) maxAbs = Math.max(maxAbs, Math.abs(last[i] - expected[i]));
    await session.release();
    status.textContent = "done";
    return {
        ok: true, ep, threads, crossOriginIsolated: globalThis.crossOriginIsolated === true,
        ortVersion: ort.env.versions?.web ?? null, adapter, image,
        modelBytes: model.length, createMs, firstMs: first.ms, firstAnswerMs, warmMs: warm,
        maxAbsDiff: maxAbs, top1: argmax(last), referenceTop1: argmax(expected),
    };
}

globalThis.ortBench = {
    run: async options => {
        try {
            return await run(options);
        } catch (e) {
            return { ok: false, ep, threads, error: String(e?.stack ?? e) };
        }
    },
};
document.getElementById("status").textContent = "ready";
