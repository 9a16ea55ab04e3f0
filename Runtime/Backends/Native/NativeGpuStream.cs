using System.Runtime.InteropServices;
using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// Records dispatches into one command encoder and one compute pass, and submits them at once.
/// Uniform blocks go into a per-stream arena (host staging + one GPU buffer, bound with dynamic
/// offsets); the arena is written with one queue write just before the submit, so the steady state
/// allocates nothing per dispatch, managed or native.
/// </summary>
internal sealed unsafe class NativeGpuStream : GpuStream
{
    private const int ProfiledDispatchesPerSubmit = 1024;

    private readonly NativeGpuDevice device;
    private readonly byte[] arena;
    private readonly NativeBufferStorage arenaBuffer;
    private readonly List<KernelInfo> recorded = [];
    private readonly List<KernelTiming> pendingTimings = [];
    private IReadOnlyList<KernelTiming> timings = [];
    private int arenaUsed;
    private nint encoder;
    private nint pass;
    private nint currentPipeline;
    private List<CapturedDispatch>? capture;
    private List<byte>? captureUniforms;

    // Profiling: one pass per dispatch with timestamps at its start and end.
    private nint querySet;
    private nint queryResolve;
    private nint queryReadback;
    private int profiledInSubmit;

    public NativeGpuStream(NativeGpuDevice device) : base(device)
    {
        this.device = device;
        arena = new byte[device.UniformArenaBytes];
        arenaBuffer = NativeBufferStorage.Create(device, arena.Length, Wgpu.BufferUsageUniform | Wgpu.BufferUsageCopyDst, "KernelGen uniform arena");
    }

    public override int PendingDispatches => recorded.Count;

    public override IReadOnlyList<KernelTiming> Timings => timings;

    private protected override void DispatchCore(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, (uint X, uint Y, uint Z) groups)
    {
        var pipeline = device.GetPipeline(kernel);
        var offset = 0u;
        if (kernel.UniformSize > 0)
        {
            var slot = Align(kernel.UniformSize, device.UniformAlignment);
            if (arenaUsed + slot > arena.Length) SubmitCore();
            offset = (uint)arenaUsed;
            uniforms.CopyTo(arena.AsSpan(arenaUsed));
            arenaUsed += slot;
        }
        var bindGroup = device.GetBindGroup(pipeline, buffers, kernel.UniformSize > 0 ? arenaBuffer : null);
        Record(pipeline, bindGroup, offset, groups);
        foreach (var b in buffers) b.RawStorage.LastStream = this;
    }

    /// <summary>Records one prebuilt dispatch (also the replay path of captured graphs).</summary>
    internal void Record(NativePipeline pipeline, nint bindGroup, uint uniformOffset, (uint X, uint Y, uint Z) groups)
    {
        if (IsProfiling && profiledInSubmit == ProfiledDispatchesPerSubmit) SubmitCore();
        if (encoder == 0) encoder = Wgpu.DeviceCreateCommandEncoder(device.Handle, null);
        if (pass == 0)
        {
            if (IsProfiling)
            {
                EnsureQueries();
                var writes = new WGPUPassTimestampWrites
                {
                    QuerySet = querySet,
                    BeginningOfPassWriteIndex = (uint)(2 * profiledInSubmit),
                    EndOfPassWriteIndex = (uint)(2 * profiledInSubmit + 1),
                };
                var descriptor = new WGPUComputePassDescriptor { Label = WGPUStringView.Null, TimestampWrites = &writes };
                pass = Wgpu.CommandEncoderBeginComputePass(encoder, &descriptor);
            }
            else
            {
                pass = Wgpu.CommandEncoderBeginComputePass(encoder, null);
            }
            currentPipeline = 0;
        }
        if (pipeline.Handle != currentPipeline)
        {
            Wgpu.ComputePassEncoderSetPipeline(pass, pipeline.Handle);
            currentPipeline = pipeline.Handle;
        }
        var dynamicOffset = uniformOffset;
        Wgpu.ComputePassEncoderSetBindGroup(pass, 0, bindGroup, pipeline.Kernel.UniformSize > 0 ? 1u : 0u, &dynamicOffset);
        Wgpu.ComputePassEncoderDispatchWorkgroups(pass, groups.X, groups.Y, groups.Z);
        recorded.Add(pipeline.Kernel);
        if (IsProfiling)
        {
            EndPass();
            profiledInSubmit++;
        }
    }

    private void EndPass()
    {
        if (pass == 0) return;
        Wgpu.ComputePassEncoderEnd(pass);
        Wgpu.ComputePassEncoderRelease(pass);
        pass = 0;
    }

    private void EnsureQueries()
    {
        if (querySet != 0) return;
        var descriptor = new WGPUQuerySetDescriptor { Label = WGPUStringView.Null, Type = Wgpu.QueryTypeTimestamp, Count = 2 * ProfiledDispatchesPerSubmit };
        device.PushErrorScope();
        querySet = Wgpu.DeviceCreateQuerySet(device.Handle, &descriptor);
        var error = device.PopErrorScope("creating the timestamp query set");
        if (error != null) throw new GpuValidationException($"Dawn could not create a timestamp query set: {error}");
        var bytes = 2UL * ProfiledDispatchesPerSubmit * sizeof(ulong);
        queryResolve = device.CreateRawBuffer(bytes, Wgpu.BufferUsageQueryResolve | Wgpu.BufferUsageCopySrc, "KernelGen timestamps");
        queryReadback = device.CreateRawBuffer(bytes, Wgpu.BufferUsageMapRead | Wgpu.BufferUsageCopyDst, "KernelGen timestamp readback");
    }

    private protected override void SubmitCore()
    {
        if (encoder == 0) return;
        EndPass();
        var profiled = profiledInSubmit;
        if (profiled > 0)
        {
            Wgpu.CommandEncoderResolveQuerySet(encoder, querySet, 0, (uint)(2 * profiled), queryResolve, 0);
            Wgpu.CommandEncoderCopyBufferToBuffer(encoder, queryResolve, 0, queryReadback, 0, (ulong)(2 * profiled * sizeof(ulong)));
        }
        device.PushErrorScope();
        var commands = Wgpu.CommandEncoderFinish(encoder, null);
        Wgpu.CommandEncoderRelease(encoder);
        encoder = 0;
        currentPipeline = 0;
        if (arenaUsed > 0)
        {
            // Ordered before the command buffer below, and after every earlier submit that read the arena.
            fixed (byte* p = arena) Wgpu.QueueWriteBuffer(device.Queue, arenaBuffer.Handle, 0, p, (nuint)Align(arenaUsed, 4));
            arenaUsed = 0;
        }
        Wgpu.QueueSubmit(device.Queue, 1, &commands);
        Wgpu.CommandBufferRelease(commands);
        var count = recorded.Count;
        var error = device.PopErrorScope($"submitting {count} dispatch(es)");
        var kernels = error != null ? DispatchValidation.KernelList(recorded) : null;
        var firstKernel = error != null && recorded.Count > 0 ? recorded[0].Name : null;
        var profiledKernels = profiled > 0 ? recorded.GetRange(recorded.Count - profiled, profiled) : null;
        recorded.Clear();
        profiledInSubmit = 0;
        if (error != null)
            throw new GpuValidationException($"Dawn rejected the submitted work ({count} dispatch(es) of {kernels}): {error}") { KernelName = firstKernel };
        if (profiledKernels != null) ReadTimestamps(profiledKernels);
    }

    private void ReadTimestamps(List<KernelInfo> kernels)
    {
        var bytes = (nuint)(2 * kernels.Count * sizeof(ulong));
        var result = NativeInstance.Begin(out var gc);
        var future = Wgpu.BufferMapAsync(queryReadback, Wgpu.MapModeRead, 0, bytes, WgpuCallbacks.Info(WgpuCallbacks.Status, gc));
        NativeInstance.Wait(future, device.Timeout, $"the timestamps of {kernels.Count} profiled dispatch(es)", result, gc);
        if (result.Status != Wgpu.StatusSuccess)
            throw new GpuValidationException($"Reading timestamps failed with status {result.Status}: {result.Message}");
        var ticks = new ReadOnlySpan<ulong>(Wgpu.BufferGetConstMappedRange(queryReadback, 0, bytes), 2 * kernels.Count);
        for (var i = 0; i < kernels.Count; i++)
        {
            var begin = ticks[2 * i];
            var end = ticks[2 * i + 1];
            pendingTimings.Add(new KernelTiming(kernels[i].Name, end >= begin ? (end - begin) / 1000.0 : 0));
        }
        Wgpu.BufferUnmap(queryReadback);
    }

    private protected override void SynchronizeCore()
    {
        SubmitCore();
        var result = NativeInstance.Begin(out var gc);
        var future = Wgpu.QueueOnSubmittedWorkDone(device.Queue, WgpuCallbacks.Info(WgpuCallbacks.Status, gc));
        NativeInstance.Wait(future, device.Timeout, "the device to finish the submitted dispatches (wgpuQueueOnSubmittedWorkDone)", result, gc);
        device.ThrowIfUnusable();
        if (result.Status != Wgpu.StatusSuccess)
            throw new GpuException($"Waiting for the queue failed with status {result.Status}: {result.Message}");
        timings = pendingTimings.ToArray();
        pendingTimings.Clear();
    }

    private protected override void CaptureDispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, (uint X, uint Y, uint Z) groups)
    {
        var pipeline = device.GetPipeline(kernel);
        var offset = 0u;
        if (kernel.UniformSize > 0)
        {
            var u = captureUniforms!;
            offset = (uint)u.Count;
            u.AddRange(uniforms);
            while (u.Count % device.UniformAlignment != 0) u.Add(0);
        }
        capture!.Add(new CapturedDispatch(kernel, pipeline, buffers.ToArray(), offset, groups));
    }

    private protected override void BeginCaptureCore()
    {
        capture = [];
        captureUniforms = [];
    }

    private protected override GpuGraph EndCaptureCore()
    {
        var dispatches = capture!;
        var uniformBytes = captureUniforms!;
        capture = null;
        captureUniforms = null;
        return new NativeGpuGraph(this, device, dispatches, CollectionsMarshal.AsSpan(uniformBytes));
    }

    private protected override void ReleaseFromFinalizer() => device.Defer(DisposeCore);

    private protected override void DisposeCore()
    {
        if (pass != 0) Wgpu.ComputePassEncoderRelease(pass);
        if (encoder != 0) Wgpu.CommandEncoderRelease(encoder);
        pass = encoder = 0;
        recorded.Clear();
        arenaBuffer.Release(fromFinalizer: false);
        if (querySet != 0) Wgpu.QuerySetRelease(querySet);
        if (queryResolve != 0) Wgpu.BufferRelease(queryResolve);
        if (queryReadback != 0) Wgpu.BufferRelease(queryReadback);
        querySet = queryResolve = queryReadback = 0;
    }

    internal static int Align(int value, uint alignment) => (int)((value + alignment - 1) / alignment * alignment);
}

/// <summary>One dispatch recorded during a capture.</summary>
internal sealed record CapturedDispatch(KernelInfo Kernel, NativePipeline Pipeline, GpuBuffer[] Buffers, uint UniformOffset, (uint X, uint Y, uint Z) Groups);

/// <summary>
/// A captured graph: its own uniform buffer (written once) and its own bind groups (built once,
/// owned by the graph), replayed into the stream's encoder and submitted at once.
/// </summary>
internal sealed class NativeGpuGraph : GpuGraph
{
    private readonly NativeGpuStream stream;
    private readonly NativeGpuDevice device;
    private readonly List<CapturedDispatch> dispatches;
    private readonly nint[] bindGroups;
    private readonly NativeBufferStorage? uniforms;

    public NativeGpuGraph(NativeGpuStream stream, NativeGpuDevice device, List<CapturedDispatch> dispatches, ReadOnlySpan<byte> uniformBytes)
        : base(stream, dispatches.Select(d => d.Kernel).ToArray())
    {
        this.stream = stream;
        this.device = device;
        this.dispatches = dispatches;
        bindGroups = new nint[dispatches.Count];
        if (!uniformBytes.IsEmpty)
        {
            uniforms = NativeBufferStorage.Create(device, uniformBytes.Length + 256, Wgpu.BufferUsageUniform | Wgpu.BufferUsageCopyDst, "KernelGen graph uniforms");
            uniforms.Write(0, uniformBytes);
        }
        var shared = new Dictionary<(NativePipeline, string), nint>();
        try
        {
            for (var i = 0; i < dispatches.Count; i++)
            {
                var d = dispatches[i];
                var key = (d.Pipeline, string.Join(",", d.Buffers.Select(b => b.RawStorage.Id)));
                if (!shared.TryGetValue(key, out var group))
                {
                    var storages = d.Buffers.Select(b => (NativeBufferStorage)b.Storage).ToList();
                    var hasUniform = d.Kernel.UniformSize > 0;
                    if (hasUniform) storages.Add(uniforms!);
                    group = d.Pipeline.CreateBindGroup(storages.ToArray(), hasUniform);
                    shared.Add(key, group);
                }
                bindGroups[i] = group;
            }
        }
        catch
        {
            foreach (var g in shared.Values) ReleaseBindGroup(g);
            uniforms?.Release(fromFinalizer: false);
            throw;
        }
        distinctGroups = shared.Values.ToArray();
        bufferChecks = dispatches.Select(d => (d.Kernel, d.Buffers)).ToArray();
    }

    private readonly nint[] distinctGroups;

    // Built once, so that a replay allocates nothing.
    private readonly (KernelInfo Kernel, GpuBuffer[] Buffers)[] bufferChecks;

    private protected override void ReplayCore()
    {
        CheckBuffers(bufferChecks);
        for (var i = 0; i < dispatches.Count; i++)
        {
            var d = dispatches[i];
            stream.Record(d.Pipeline, bindGroups[i], d.UniformOffset, d.Groups);
            foreach (var b in d.Buffers) b.RawStorage.LastStream = stream;
        }
        stream.Submit();
    }

    private protected override void ReleaseFromFinalizer() => device.Defer(DisposeCore);

    private protected override void DisposeCore()
    {
        foreach (var g in distinctGroups) ReleaseBindGroup(g);
        uniforms?.Release(fromFinalizer: false);
    }

    private static void ReleaseBindGroup(nint group)
    {
        Wgpu.BindGroupRelease(group);
        Interlocked.Decrement(ref NativeGpuDevice.LiveBindGroups);
    }
}
