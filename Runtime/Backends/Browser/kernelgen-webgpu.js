// KernelGen's browser backend: the JavaScript half, imported by BrowserWebGpu.cs through [JSImport]. A thin
// executor: .NET records the command list, owns the ids and the caches (pipelines, bind groups) and decides what to
// create and release; this module holds the WebGPU objects behind the ids and encodes a whole list per call.
// Pipelines compile with createComputePipelineAsync, in parallel; work that needs one still compiling waits for it,
// and every later queue operation waits behind that work, so the queue order is the order .NET recorded.

let device = null;
let lostMessage = "";
const buffers = new Map();        // id -> GPUBuffer
const pipelines = new Map();      // id -> { pipeline (null until compiled), layout, name, location, ready: Promise, failed }
const bindGroups = new Map();     // id -> GPUBindGroup
const pendingErrors = [];         // promises resolving to null or an error { status, message }
const readbacks = new Map();      // token -> { staging, skip, length }
const uncaptured = [];
let nextReadback = 1;
let behind = null;                // queue work waiting for pipelines; later queue operations run after it
// For the page, to show what is happening while it loads: pipelines asked for, compiled and refused so far.
const pipelineStatus = globalThis.kernelgenWebGpuStatus = { requested: 0, compiled: 0, refused: 0 };

// Errors cross to .NET as JSON { status, message }: the status is BrowserErrorStatus (BrowserError.cs), so a lost
// device or a refused shader raises the same exception type as on the native backend.
const ErrorStatus = { validation: 1, compilation: 2, deviceLost: 3, outOfMemory: 4, internal: 5 };
const Op = { dispatch: 1, copy: 2, clear: 3 };

function statusOf(error) {
    if (typeof GPUOutOfMemoryError !== "undefined" && error instanceof GPUOutOfMemoryError) return ErrorStatus.outOfMemory;
    if (typeof GPUInternalError !== "undefined" && error instanceof GPUInternalError) return ErrorStatus.internal;
    return ErrorStatus.validation;
}

function failure(status, message) { return { status, message }; }

/** Runs fn now, or after the queue work that waits for pipelines (fn must not rely on .NET memory then). */
function inOrder(fn) {
    if (!behind) return fn();
    const mine = behind = behind.then(fn).catch(e => { pendingErrors.push(Promise.resolve(failure(ErrorStatus.validation, String(e && e.message || e)))); });
    mine.then(() => { if (behind === mine) behind = null; });
    return mine;
}

const limitNames = [
    "maxComputeWorkgroupsPerDimension", "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX",
    "maxComputeWorkgroupSizeY", "maxComputeWorkgroupSizeZ", "maxComputeWorkgroupStorageSize",
    "maxStorageBufferBindingSize", "maxBufferSize", "maxStorageBuffersPerShaderStage",
    "maxUniformBufferBindingSize", "minUniformBufferOffsetAlignment",
];

/** Requests the adapter and device; returns JSON: { ok, reason } or { ok, info, limits, features }. */
export async function requestDevice(powerPreference) {
    if (device) return JSON.stringify({ ok: false, reason: "A KernelGen WebGPU device already exists on this page; dispose it first." });
    if (!globalThis.navigator || !navigator.gpu) {
        return JSON.stringify({
            ok: false,
            reason: globalThis.isSecureContext === false
                ? "WebGPU is unavailable: the page is not a secure context (navigator.gpu exists only on https:// or http://localhost pages)."
                : "WebGPU is unavailable: this browser does not expose navigator.gpu. Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+ on Windows) with hardware acceleration on.",
        });
    }
    let adapter;
    try {
        adapter = await navigator.gpu.requestAdapter(powerPreference ? { powerPreference } : undefined);
    } catch (e) {
        return JSON.stringify({ ok: false, reason: `WebGPU is unavailable: navigator.gpu.requestAdapter() failed: ${e && e.message || e}` });
    }
    if (!adapter) {
        return JSON.stringify({
            ok: false,
            reason: "WebGPU is unavailable: navigator.gpu.requestAdapter() returned no adapter (the GPU or its driver is blocklisted, or hardware acceleration is off; " +
                "Chromium without a GPU needs --enable-unsafe-webgpu to offer its SwiftShader adapter).",
        });
    }
    const requiredLimits = {};
    for (const name of limitNames) {
        if (name !== "minUniformBufferOffsetAlignment" && adapter.limits[name] !== undefined) requiredLimits[name] = adapter.limits[name];
    }
    const wanted = ["shader-f16", "timestamp-query", "subgroups"].filter(f => adapter.features.has(f));
    try {
        device = await adapter.requestDevice({ label: "KernelGen device", requiredFeatures: wanted, requiredLimits });
    } catch (e) {
        return JSON.stringify({ ok: false, reason: `WebGPU is unavailable: adapter.requestDevice() failed: ${e && e.message || e}` });
    }
    lostMessage = "";
    const mine = device;
    device.lost.then(info => { if (device === mine) lostMessage = `${info.reason || "unknown"}: ${info.message}`; });
    device.addEventListener("uncapturederror", e => uncaptured.push(failure(e.error ? statusOf(e.error) : ErrorStatus.validation, e.error && e.error.message || String(e))));
    const limits = {};
    for (const name of limitNames) limits[name] = device.limits[name];
    const i = adapter.info || {};
    const info = {
        vendor: i.vendor || "", architecture: i.architecture || "", device: i.device || "",
        description: i.description || "", isFallbackAdapter: !!(i.isFallbackAdapter ?? adapter.isFallbackAdapter),
    };
    return JSON.stringify({ ok: true, info, limits, features: [...device.features] });
}

export function destroyDevice() {
    if (!device) return;
    for (const b of buffers.values()) b.destroy();
    buffers.clear(); pipelines.clear(); bindGroups.clear(); readbacks.clear();
    pendingErrors.length = 0; uncaptured.length = 0;
    behind = null;
    device.destroy();
    device = null;
}

export function lostReason() { return lostMessage; }

/** uniform: a uniform buffer (a stream's or a graph's arena) instead of a storage buffer. */
export function createBuffer(id, size, label, uniform) {
    const aligned = Math.max(4, Math.ceil(size / 4) * 4);
    const usage = uniform ? GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST : GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    device.pushErrorScope("out-of-memory");
    buffers.set(id, device.createBuffer({ label, size: aligned, usage }));
    pendingErrors.push(device.popErrorScope().then(e => e ? failure(statusOf(e), `creating buffer '${label}' of ${size} bytes: ${e.message}`) : null));
}

export function destroyBuffer(id) {
    inOrder(() => {
        const b = buffers.get(id);
        buffers.delete(id);
        if (b) b.destroy();
    });
}

function bytesOf(view) {
    // A view straight onto .NET memory: valid during this call only (queue.writeBuffer copies at once).
    return typeof view._unsafe_create_view === "function" ? view._unsafe_create_view() : view.slice();
}

export function writeBuffer(id, offset, view) {
    const bytes = behind ? view.slice() : bytesOf(view);
    if (bytes.byteLength === 0) return;
    inOrder(() => device.queue.writeBuffer(buffers.get(id), offset, bytes, 0, bytes.byteLength));
}

/** kinds: one letter per binding, r = read-only storage, s = storage, u = uniform (dynamic offset). */
export function createPipeline(id, name, location, wgsl, entryPoint, kinds, constantsJson) {
    const label = name;
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ label, code: wgsl });
    const entries = [...kinds].map((k, binding) => ({
        binding, visibility: GPUShaderStage.COMPUTE,
        buffer: k === "u" ? { type: "uniform", hasDynamicOffset: true } : { type: k === "s" ? "storage" : "read-only-storage" },
    }));
    const layout = device.createBindGroupLayout({ label, entries });
    const pipelineLayout = device.createPipelineLayout({ label, bindGroupLayouts: [layout] });
    const scope = device.popErrorScope();
    const entry = { pipeline: null, layout, name, location, failed: false };
    const compiled = device.createComputePipelineAsync({
        label, layout: pipelineLayout, compute: { module, entryPoint, constants: JSON.parse(constantsJson || "{}") },
    }).then(p => { entry.pipeline = p; pipelineStatus.compiled++; return null; }, e => { entry.failed = true; pipelineStatus.refused++; return e; });
    pipelineStatus.requested++;
    entry.ready = compiled;
    pipelines.set(id, entry);
    const lines = wgsl.split("\n");
    pendingErrors.push(Promise.all([scope, module.getCompilationInfo(), compiled]).then(([error, info, refused]) => {
        const messages = info.messages.filter(m => m.type === "error").map(m => {
            let text = `${m.lineNum}:${m.linePos}: ${m.message}`;
            if (m.lineNum >= 1 && m.lineNum <= lines.length) text += `\n      | ${lines[m.lineNum - 1].trimEnd()}`;
            return text;
        });
        if (messages.length === 0 && !error && !refused) return null;
        const detail = messages.length ? messages.join("\n    ") : (error || refused).message;
        return failure(ErrorStatus.compilation, `The device refused the WGSL of kernel ${name} (${location}):\n    ${detail}`);
    }));
}

/** ids: the buffers in binding order; when uniformSize > 0 the last one is a uniform buffer bound with that size. */
export function createBindGroup(id, pipelineId, idView, uniformSize) {
    const ids = Array.from(idView.slice());
    const p = pipelines.get(pipelineId);
    const entries = ids.map((b, binding) => ({ binding, resource: { buffer: buffers.get(b) } }));
    if (uniformSize > 0) entries[entries.length - 1].resource.size = uniformSize;
    bindGroups.set(id, device.createBindGroup({ label: p.name, layout: p.layout, entries }));
}

export function destroyBindGroup(id) { inOrder(() => bindGroups.delete(id)); }

function encode(commands, uniformId, uniforms) {
    if (uniforms && uniforms.byteLength > 0) device.queue.writeBuffer(buffers.get(uniformId), 0, uniforms, 0, uniforms.byteLength);
    device.pushErrorScope("validation");
    const encoder = device.createCommandEncoder();
    const names = new Set();
    let pass = null, current = null;
    for (let i = 0; i < commands.length;) {
        const op = commands[i];
        if (op === Op.dispatch) {
            const p = pipelines.get(commands[i + 1]);
            if (!pass) { pass = encoder.beginComputePass(); current = null; }
            if (current !== p) { pass.setPipeline(p.pipeline); current = p; }
            const offset = commands[i + 3];
            if (offset >= 0) pass.setBindGroup(0, bindGroups.get(commands[i + 2]), [offset]);
            else pass.setBindGroup(0, bindGroups.get(commands[i + 2]));
            pass.dispatchWorkgroups(commands[i + 4], commands[i + 5], commands[i + 6]);
            names.add(`${p.name} (${p.location})`);
            i += 7;
            continue;
        }
        if (pass) { pass.end(); pass = null; }
        if (op === Op.copy) {
            encoder.copyBufferToBuffer(buffers.get(commands[i + 1]), commands[i + 2], buffers.get(commands[i + 3]), commands[i + 4], commands[i + 5]);
            names.add("a buffer copy");
            i += 6;
        } else {
            encoder.clearBuffer(buffers.get(commands[i + 1]), commands[i + 2], commands[i + 3]);
            names.add("a buffer clear");
            i += 4;
        }
    }
    if (pass) pass.end();
    device.queue.submit([encoder.finish()]);
    pendingErrors.push(device.popErrorScope().then(e => e
        ? failure(statusOf(e), `The device rejected the submitted work (${[...names].slice(0, 8).join(", ")}): ${e.message}`) : null));
}

/**
 * Encodes and submits one command list as one command buffer (see BrowserGpuStream.Serialize): per dispatch
 * 1, pipeline, bind group, uniform offset (-1: none), groups x, y, z; per copy 2, source, offset, destination,
 * offset, bytes; per clear 3, buffer, offset, bytes. uniforms (may be empty) is written to buffer uniformId first.
 */
export function submit(commandView, uniformId, uniformView) {
    const commands = commandView.slice();
    const waiting = [];
    for (let i = 0; i < commands.length; i += commands[i] === Op.dispatch ? 7 : commands[i] === Op.copy ? 6 : 4) {
        if (commands[i] !== Op.dispatch) continue;
        const p = pipelines.get(commands[i + 1]);
        if (!p.pipeline) waiting.push(p);
    }
    if (!behind && waiting.length === 0) { encode(commands, uniformId, uniformView.length ? bytesOf(uniformView) : null); return; }
    const uniforms = uniformView.length ? uniformView.slice() : null;
    const ready = Promise.all(waiting.map(p => p.ready));
    behind = (behind || Promise.resolve()).then(() => ready);
    inOrder(() => {
        const refused = waiting.find(p => p.failed);
        if (refused) {
            pendingErrors.push(Promise.resolve(failure(ErrorStatus.compilation, `The submitted work was dropped: the pipeline of kernel ${refused.name} (${refused.location}) was refused.`)));
            return;
        }
        encode(commands, uniformId, uniforms);
    });
}

async function drainErrors() {
    const all = await Promise.all(pendingErrors.splice(0));
    const first = all.find(m => m);
    if (first) return JSON.stringify(first);
    if (uncaptured.length) {
        const errors = uncaptured.splice(0);
        return JSON.stringify(failure(errors[0].status, `The device reported an error: ${errors.map(e => e.message).join("; ")}`));
    }
    return "";
}

/** Waits for the submitted work; resolves to "" or a JSON { status, message } (see ErrorStatus). */
export async function synchronize() {
    if (!device) return JSON.stringify(failure(ErrorStatus.deviceLost, "the device was destroyed"));
    while (behind) await behind;
    await device.queue.onSubmittedWorkDone();
    if (lostMessage) return JSON.stringify(failure(ErrorStatus.deviceLost, lostMessage));
    return await drainErrors();
}

/** Waits for the pipelines created so far (compilation errors) without waiting for submitted work. */
export async function checkErrors() {
    return await drainErrors();
}

/** Copies [offset, offset + length) of a buffer into a mapped staging buffer; resolves to a token for copyRead. */
export async function mapRead(id, offset, length) {
    while (behind) await behind;
    const b = buffers.get(id);
    const start = Math.floor(offset / 4) * 4;
    const end = Math.min(b.size, Math.ceil((offset + length) / 4) * 4);
    const staging = device.createBuffer({ label: "KernelGen readback", size: Math.max(4, end - start), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(b, start, staging, 0, end - start);
    device.queue.submit([encoder.finish()]);
    try {
        await staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
        staging.destroy();
        throw new Error(lostMessage ? `the device was lost (${lostMessage})` : `mapping the readback buffer failed: ${e && e.message || e}`);
    }
    const token = nextReadback++;
    readbacks.set(token, { staging, skip: offset - start, length });
    return token;
}

/** Copies a mapped readback into .NET memory and releases it. */
export function copyRead(token, view) {
    const r = readbacks.get(token);
    readbacks.delete(token);
    try {
        view.set(new Uint8Array(r.staging.getMappedRange(), r.skip, r.length));
    } finally {
        r.staging.unmap();
        r.staging.destroy();
    }
}

export function releaseRead(token) {
    const r = readbacks.get(token);
    if (!r) return;
    readbacks.delete(token);
    r.staging.destroy();
}
