// The page: starts .NET, asks it for a WebGPU device, loads weights (with a progress bar), decodes
// images with the browser's own decoder and hands RGBA pixels to .NET, which preprocesses them and runs
// EfficientNet-B0 through KernelGen's browser backend. globalThis.kernelgen is the tests' hook.
import { dotnet } from "./_framework/dotnet.js";

const $ = id => document.getElementById(id);
const hook = globalThis.kernelgen = { log: [] };
let api = null;
let weightsReady = false;
let busy = false;

function status(id, text, kind) {
    const el = $(id);
    el.textContent = text;
    el.className = "status" + (kind ? " " + kind : "");
}

function parse(json) {
    const answer = JSON.parse(json);
    if (!answer.ok) {
        const error = new Error(answer.reason);
        error.kind = answer.error;
        throw error;
    }
    return answer;
}

function describeAdapter(d) {
    const name = d.adapter || "unnamed adapter";
    return `${name}${d.fallbackAdapter ? " (a software fallback adapter: expect slow inference)" : ""}`;
}

async function startDotnet() {
    const runtime = await dotnet.create();
    const exports = await runtime.getAssemblyExports(runtime.getConfig().mainAssemblyName);
    api = exports.KernelGen.Samples.EfficientNet.Web.PageInterop;
    hook.api = api;
    await runtime.runMain();
}

async function startGpu() {
    const started = JSON.parse(await api.StartAsync());
    if (!started.ok) {
        status("gpu-status", `No WebGPU, and the CPU fallback failed: the network cannot run in this browser. ${started.reason}`, "error");
        for (const id of ["weights-url", "weights-load", "weights-file", "weights-torchvision", "image-file"]) $(id).disabled = true;
        $("drop").classList.add("disabled");
        return started;
    }
    if (started.cpuFallback) {
        status("gpu-status", `No WebGPU here (${started.webGpuMissing.replace(/\.+$/, "")}). The same C# kernels run on the CPU in .NET WebAssembly instead: ` +
            "slower (seconds per image) but the same answers. A browser with WebGPU (Chrome/Edge 113+, Safari 26+) runs it on the GPU.", "warn");
        return started;
    }
    status("gpu-status", `Running on ${describeAdapter(started)} via WebGPU (${started.backend} backend).`, "ok");
    return started;
}

/** torchvision's EfficientNet_B0_Weights.IMAGENET1K_V1, pinned as the native CLI pins it (Samples.EfficientNet/Download/WeightSource.cs). */
hook.torchvision = {
    url: "https://download.pytorch.org/models/efficientnet_b0_rwightman-7f5810bc.pth",
    sha256: "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934",
    name: "efficientnet_b0_rwightman-7f5810bc.pth",
};

async function sha256Hex(bytes) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(digest, b => b.toString(16).padStart(2, "0")).join("");
}

/** Downloads torchvision's weights (hook.torchvision: the tests point it at a loopback copy), checks the SHA-256, loads them. */
async function loadTorchvisionWeights() {
    const source = hook.torchvision;
    const started = performance.now();
    let bytes;
    try {
        bytes = await fetchWithProgress(source.url, showProgress);
    } catch (e) {
        if (e instanceof TypeError)
            throw new Error(`The browser could not download ${source.url} (${e.message}): no network, or the server does not allow ` +
                "this page to read it (CORS). Host the file, or a safetensors conversion, where the server sends Access-Control-Allow-Origin, and paste its URL.");
        throw e;
    }
    status("weights-status", "Checking the SHA-256…");
    const sha = await sha256Hex(bytes);
    if (sha !== source.sha256)
        throw new Error(`${source.name}: SHA-256 ${sha.slice(0, 8)}… instead of ${source.sha256.slice(0, 8)}…; the download was discarded.`);
    const answer = await loadWeights(bytes, source.name);
    return { ...answer, bytes: bytes.length, sha256: sha, totalMs: performance.now() - started };
}

/** Fetches a URL into one Uint8Array, reporting progress (bytes so far, total or 0). */
async function fetchWithProgress(url, progress) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
    const total = Number(response.headers.get("Content-Length")) || 0;
    progress(0, total);
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        progress(received, total);
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    return bytes;
}

let progressStart = 0;
function showProgress(received, total) {
    const bar = $("weights-progress");
    bar.hidden = false;
    if (received === 0) progressStart = performance.now();
    if (total > 0) { bar.max = total; bar.value = received; }
    else bar.removeAttribute("value");
    const mb = x => (x / 1e6).toFixed(1);
    const seconds = (performance.now() - progressStart) / 1000;
    const rate = seconds > 0.2 ? received / seconds : 0;
    const speed = rate > 0 ? `, ${mb(rate)} MB/s` : "";
    const eta = rate > 0 && total > 0 ? `, ${Math.ceil((total - received) / rate)} s left` : "";
    status("weights-status", (total > 0 ? `Downloading weights… ${mb(received)} of ${mb(total)} MB` : `Downloading weights… ${mb(received)} MB`) + speed + eta + pipelineText());
}

/** "; 40 of 81 pipelines compiled" while the runtime's pipelines compile (kernelgen-webgpu.js counts them), "" once done. */
function pipelineText() {
    const p = globalThis.kernelgenWebGpuStatus;
    if (!p || p.requested === 0 || p.compiled + p.refused >= p.requested) return "";
    return `; ${p.compiled} of ${p.requested} GPU pipelines compiled meanwhile`;
}

// The pipelines depend on the kernels only: they compile as soon as the device exists, while the weights download.
let precompile = null;
function startPrecompile() {
    precompile ??= api.PrecompileAsync().then(json => { hook.precompiled = JSON.parse(json); return hook.precompiled; });
    return precompile;
}

async function loadWeights(bytes, name) {
    status("weights-status", `Preparing ${name} on the GPU…`);
    const started = performance.now();
    // Not waiting for the precompile: weights parse and upload while the pipelines compile, and the first forward pass
    // waits only for the pipelines it uses (a refused kernel surfaces there, with its name).
    const answer = parse(await api.LoadWeightsAsync(bytes, name));
    weightsReady = true;
    $("weights-needed").hidden = true;
    const ms = Math.round(performance.now() - started);
    const pending = pipelineText();
    status("weights-status", `Loaded ${name}: ${answer.summary} (${ms} ms)${pending ? pending.replace(" meanwhile", "; the first answer starts with the layers that are ready") : ""}. Now choose or drop an image.`, "ok");
    return answer;
}

async function loadWeightsFromUrl(url) {
    const started = performance.now();
    const bytes = await fetchWithProgress(url, showProgress);
    const downloadMs = performance.now() - started;
    const name = decodeURIComponent(url.split("/").pop().split("?")[0]) || url;
    const answer = await loadWeights(bytes, name);
    return { ...answer, downloadMs, bytes: bytes.length, totalMs: performance.now() - started };
}

async function loadWeightsFromFile(file) {
    $("weights-progress").hidden = false;
    $("weights-progress").max = 1;
    $("weights-progress").value = 0;
    status("weights-status", `Reading ${file.name}…`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    $("weights-progress").value = 1;
    return await loadWeights(bytes, file.name);
}

/** Decodes an image with the browser (createImageBitmap) and returns its RGBA pixels. */
async function decodeImage(blob) {
    let bitmap;
    try {
        bitmap = await createImageBitmap(blob);
    } catch (e) {
        throw new Error(`This file is not an image the browser can decode (${blob.type || "unknown type"}).`);
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return { rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: canvas.width, height: canvas.height };
}

async function classify(blob, name) {
    if (!weightsReady) {
        status("image-status", "Load the weights first (above).", "error");
        return null;
    }
    if (busy) return null;
    busy = true;
    try {
        const preview = $("preview");
        if (preview.src) URL.revokeObjectURL(preview.src);
        preview.src = URL.createObjectURL(blob);
        preview.alt = name;
        preview.hidden = false;
        status("image-status", `Classifying ${name}…${pipelineText().replace(" meanwhile", "; later layers wait for theirs")}`);
        const image = await decodeImage(blob);
        const started = performance.now();
        const answer = parse(await api.ClassifyAsync(image.rgba, image.width, image.height));
        const pageMs = performance.now() - started;
        showResult(answer);
        status("image-status", "");
        return { ...answer, pageMs };
    } catch (e) {
        $("result").hidden = true;
        status("image-status", e.message, "error");
        throw e;
    } finally {
        busy = false;
    }
}

function showResult(answer) {
    const best = answer.top[0];
    $("answer").innerHTML = "";
    $("answer").append("The image contains a — ");
    const strong = document.createElement("strong");
    strong.textContent = best.label;
    $("answer").append(strong);
    const list = $("top5");
    list.innerHTML = "";
    for (const t of answer.top) {
        const li = document.createElement("li");
        const label = document.createElement("span");
        label.textContent = t.label;
        const pct = document.createElement("span");
        pct.textContent = `${(100 * t.probability).toFixed(1)}%`;
        const bar = document.createElement("span");
        bar.className = "bar";
        bar.style.width = `${Math.max(1, 100 * t.probability / answer.top[0].probability)}%`; // relative to the top answer
        li.append(label, pct, bar);
        list.append(li);
    }
    $("timing").textContent = `Computed in ${Math.round(answer.milliseconds)} ms on ${answer.adapter}.`;
    $("result").hidden = false;
}

function wireUi() {
    $("weights-form").addEventListener("submit", async e => {
        e.preventDefault();
        const url = $("weights-url").value.trim();
        if (!url) { status("weights-status", "Enter the URL of a .safetensors file, or choose a file.", "error"); return; }
        try { await loadWeightsFromUrl(url); } catch (err) { status("weights-status", err.message, "error"); }
    });
    $("weights-torchvision").addEventListener("click", async () => {
        try { await loadTorchvisionWeights(); } catch (err) { status("weights-status", err.message, "error"); }
    });
    $("weights-file").addEventListener("change", async e => {
        const file = e.target.files[0];
        e.target.value = ""; // choosing the same file again must fire "change" again
        if (!file) return;
        try { await loadWeightsFromFile(file); } catch (err) { status("weights-status", err.message, "error"); }
    });
    $("image-file").addEventListener("change", e => {
        const file = e.target.files[0];
        e.target.value = ""; // choosing the same file again must fire "change" again
        if (file) classify(file, file.name).catch(() => { });
    });
    const drop = $("drop");
    drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", e => {
        e.preventDefault();
        drop.classList.remove("over");
        const file = e.dataTransfer.files[0];
        if (file) classify(file, file.name).catch(() => { });
    });
}

function showPayload() {
    const entries = performance.getEntriesByType("resource").filter(r => r.name.includes("/_framework/"));
    const bytes = entries.reduce((sum, r) => sum + (r.transferSize || 0), 0);
    if (bytes > 0) $("payload").textContent = `App download: ${(bytes / 1e6).toFixed(1)} MB.`;
    return bytes;
}

hook.ready = (async () => {
    wireUi();
    const t0 = performance.now();
    try {
        await startDotnet();
    } catch (e) {
        status("gpu-status", `.NET failed to start: ${e.message}`, "error");
        throw e;
    }
    const dotnetMs = performance.now() - t0;
    const dotnetReadyMs = performance.now(); // since navigation start
    const gpu = await startGpu();
    if (gpu.ok && !gpu.cpuFallback) startPrecompile();
    const payloadBytes = showPayload();
    const initial = new URLSearchParams(location.search).get("weights");
    if (initial && gpu.ok) {
        $("weights-url").value = initial;
        loadWeightsFromUrl(initial).catch(err => status("weights-status", err.message, "error"));
    }
    // Ready once the pipelines are compiled (the download above goes on meanwhile): the tests' hooks then never
    // race the precompile's error check.
    if (precompile) await precompile;
    return { ...gpu, dotnetMs, dotnetReadyMs, payloadBytes };
})();

hook.loadWeightsFromUrl = loadWeightsFromUrl;
hook.loadTorchvisionWeights = loadTorchvisionWeights;
hook.classifyUrl = async url => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return await classify(await response.blob(), url.split("/").pop());
};
hook.test = {
    runTestKernels: async (a, b, scale, shift) => JSON.parse(await api.RunTestKernelsAsync(a, b, scale, shift)),
    blockingCallMessages: () => JSON.parse(api.BlockingCallMessages()),
    runChainAndGraph: async (a, dispatches, scale, shift) => JSON.parse(await api.RunChainAndGraphAsync(a, dispatches, scale, shift)),
    brokenKernel: async () => JSON.parse(await api.BrokenKernelMessageAsync()),
    /** Runs the loaded network on every input of a reference_io.safetensors (fetched from url); returns the logits. */
    referenceLogits: async url => {
        const bytes = await fetchWithProgress(url, () => { });
        return JSON.parse(await api.ReferenceLogitsAsync(bytes));
    },
};
