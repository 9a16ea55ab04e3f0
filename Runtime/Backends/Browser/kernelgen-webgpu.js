// KernelGen's browser backend: the JavaScript half, imported by BrowserWebGpu.cs through [JSImport].
// .NET owns the ids (buffers, pipelines, streams); this module owns the WebGPU objects behind them.
// One device per page. Dispatches arrive in batches (one call per submit), never one by one.

let device = null;
let lostMessage = "";
const buffers = new Map();        // id -> { buffer, size, groups: Set<string> }
const pipelines = new Map();      // id -> { pipeline, layout, name, location, hasUniform }
const streams = new Map();        // id -> { arena }
const bindGroups = new Map();     // key -> GPUBindGroup
const pendingErrors = [];         // promises resolving to null or an error { status, message }
const readbacks = new Map();      // token -> { staging, skip, length }
const uncaptured = [];
let nextReadback = 1;

// Errors cross to .NET as JSON { status, message }: the status is BrowserErrorStatus (BrowserGpuDevice.cs), so a
// lost device or a refused shader raises the same exception type as on the native backend.
const ErrorStatus = { validation: 1, compilation: 2, deviceLost: 3, outOfMemory: 4, internal: 5 };

function statusOf(error) {
    if (typeof GPUOutOfMemoryError !== "undefined" && error instanceof GPUOutOfMemoryError) return ErrorStatus.outOfMemory;
    if (typeof GPUInternalError !== "undefined" && error instanceof GPUInternalError) return ErrorStatus.internal;
    return ErrorStatus.validation;
}

function failure(status, message) { return { status, message }; }

function describeAdapter(adapter) {
    const i = adapter.info || {};
    return {
        vendor: i.vendor || "", architecture: i.architecture || "", device: i.device || "",
        description: i.description || "", isFallbackAdapter: !!(i.isFallbackAdapter ?? adapter.isFallbackAdapter),
    };
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
        const secure = globalThis.isSecureContext;
        return JSON.stringify({
            ok: false,
            reason: secure === false
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
    return JSON.stringify({ ok: true, info: describeAdapter(adapter), limits, features: [...device.features] });
}

export function destroyDevice() {
    if (!device) return;
    for (const b of buffers.values()) b.buffer.destroy();
    for (const s of streams.values()) s.arena.destroy();
    buffers.clear(); pipelines.clear(); streams.clear(); bindGroups.clear(); readbacks.clear();
    pendingErrors.length = 0; uncaptured.length = 0;
    device.destroy();
    device = null;
}

export function lostReason() { return lostMessage; }

export function createBuffer(id, size, label) {
    const aligned = Math.max(4, Math.ceil(size / 4) * 4);
    device.pushErrorScope("out-of-memory");
    const buffer = device.createBuffer({
        label, size: aligned, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    pendingErrors.push(device.popErrorScope().then(e => e ? failure(statusOf(e), `creating buffer '${label}' of ${size} bytes: ${e.message}`) : null));
    buffers.set(id, { buffer, size: aligned, groups: new Set() });
}

export function destroyBuffer(id) {
    const b = buffers.get(id);
    if (!b) return;
    for (const key of b.groups) bindGroups.delete(key);
    buffers.delete(id);
    b.buffer.destroy();
}

function bytesOf(view) {
    // A view straight onto .NET memory: valid during this call only, and writeBuffer copies at once.
    return typeof view._unsafe_create_view === "function" ? view._unsafe_create_view() : view.slice();
}

export function writeBuffer(id, offset, view) {
    const b = buffers.get(id);
    const bytes = bytesOf(view);
    if (bytes.byteLength === 0) return;
    device.queue.writeBuffer(b.buffer, offset, bytes, 0, bytes.byteLength);
}

/** kinds: one letter per binding, r = read-only storage, s = storage, u = uniform (dynamic offset). */
export function createPipeline(id, name, location, wgsl, entryPoint, kinds, uniformSize, constantsJson) {
    const label = name;
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ label, code: wgsl });
    const entries = [...kinds].map((k, binding) => ({
        binding, visibility: GPUShaderStage.COMPUTE,
        buffer: k === "u" ? { type: "uniform", hasDynamicOffset: true } : { type: k === "s" ? "storage" : "read-only-storage" },
    }));
    const layout = device.createBindGroupLayout({ label, entries });
    const pipeline = device.createComputePipeline({
        label, layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
        compute: { module, entryPoint, constants: JSON.parse(constantsJson || "{}") },
    });
    const scope = device.popErrorScope();
    const lines = wgsl.split("\n");
    pendingErrors.push(Promise.all([scope, module.getCompilationInfo()]).then(([error, info]) => {
        const messages = info.messages.filter(m => m.type === "error").map(m => {
            let text = `${m.lineNum}:${m.linePos}: ${m.message}`;
            if (m.lineNum >= 1 && m.lineNum <= lines.length) text += `\n      | ${lines[m.lineNum - 1].trimEnd()}`;
            return text;
        });
        if (messages.length === 0 && !error) return null;
        return failure(ErrorStatus.compilation, `The device refused the WGSL of kernel ${name} (${location}):\n    ${messages.length ? messages.join("\n    ") : error.message}`);
    }));
    pipelines.set(id, { pipeline, layout, name, location, hasUniform: kinds.endsWith("u"), uniformSize: Math.max(16, Math.ceil(uniformSize / 16) * 16) });
}

export function createStream(id, arenaBytes) {
    const arena = device.createBuffer({ label: "KernelGen uniform arena", size: arenaBytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    streams.set(id, { arena, groups: new Set() });
}

export function destroyStream(id) {
    const s = streams.get(id);
    if (!s) return;
    streams.delete(id);
    for (const key of s.groups) bindGroups.delete(key);
    s.arena.destroy();
}

function bindGroupFor(p, pipelineId, streamId, arena, ids) {
    const key = `${pipelineId}|${p.hasUniform ? streamId : ""}|${ids.join(",")}`;
    let group = bindGroups.get(key);
    if (group) return group;
    const entries = ids.map((id, binding) => ({ binding, resource: { buffer: buffers.get(id).buffer } }));
    if (p.hasUniform) entries.push({ binding: ids.length, resource: { buffer: arena, offset: 0, size: p.uniformSize } });
    group = device.createBindGroup({ label: p.name, layout: p.layout, entries });
    bindGroups.set(key, group);
    for (const id of ids) buffers.get(id).groups.add(key);
    if (p.hasUniform) streams.get(streamId).groups.add(key);
    return group;
}

/**
 * Records and submits a batch of commands as one command buffer. commands holds, per dispatch:
 * pipeline id (>= 1), uniform offset (-1: none), groups x, y, z, buffer count, buffer ids...;
 * per copy: -1, source id, source offset, destination id, destination offset, bytes; per clear: -2, id, offset, bytes.
 * uniforms holds the stream's uniform arena bytes (written before the command buffer runs).
 */
export function submit(streamId, commandView, uniformView) {
    const commands = commandView.slice();
    const s = streams.get(streamId);
    device.pushErrorScope("validation");
    const uniforms = bytesOf(uniformView);
    if (uniforms.byteLength > 0) device.queue.writeBuffer(s.arena, 0, uniforms, 0, uniforms.byteLength);
    const encoder = device.createCommandEncoder();
    let pass = null;
    const names = new Set();
    let current = null;
    for (let i = 0; i < commands.length;) {
        if (commands[i] < 0) {
            if (pass) { pass.end(); pass = null; }
            if (commands[i] === -1) {
                encoder.copyBufferToBuffer(buffers.get(commands[i + 1]).buffer, commands[i + 2], buffers.get(commands[i + 3]).buffer, commands[i + 4], commands[i + 5]);
                names.add("a buffer copy");
                i += 6;
            } else {
                encoder.clearBuffer(buffers.get(commands[i + 1]).buffer, commands[i + 2], commands[i + 3]);
                names.add("a buffer clear");
                i += 4;
            }
            continue;
        }
        if (!pass) { pass = encoder.beginComputePass(); current = null; }
        const pipelineId = commands[i], uniformOffset = commands[i + 1];
        const gx = commands[i + 2], gy = commands[i + 3], gz = commands[i + 4], count = commands[i + 5];
        const ids = Array.from(commands.subarray(i + 6, i + 6 + count));
        i += 6 + count;
        const p = pipelines.get(pipelineId);
        names.add(`${p.name} (${p.location})`);
        if (current !== p) { pass.setPipeline(p.pipeline); current = p; }
        const group = bindGroupFor(p, pipelineId, streamId, s.arena, ids);
        if (p.hasUniform) pass.setBindGroup(0, group, [uniformOffset]);
        else pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(gx, gy, gz);
    }
    if (pass) pass.end();
    device.queue.submit([encoder.finish()]);
    pendingErrors.push(device.popErrorScope().then(e => e
        ? failure(statusOf(e), `The device rejected the submitted work (${[...names].slice(0, 8).join(", ")}): ${e.message}`) : null));
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
    const b = buffers.get(id);
    const start = Math.floor(offset / 4) * 4;
    const end = Math.min(b.size, Math.ceil((offset + length) / 4) * 4);
    const staging = device.createBuffer({ label: "KernelGen readback", size: Math.max(4, end - start), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(b.buffer, start, staging, 0, end - start);
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
