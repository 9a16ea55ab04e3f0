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
    private WGPUCommandEncoder encoder;
    private WGPUComputePassEncoder pass;
    private WGPUComputePipeline currentPipeline;
    private List<CapturedDispatch>? capture;
    private List<byte>? captureUniforms;

    // Profiling: one pass per dispatch with timestamps at its start and end.
    private WGPUQuerySet querySet;
    private WGPUBuffer queryResolve;
    private WGPUBuffer queryReadback;
    private int profiledInSubmit;

    public NativeGpuStream(NativeGpuDevice device) : base(device)
    {
        this.device = device;
        arena = new byte[device.UniformArenaBytes];
        arenaBuffer = NativeBufferStorage.Create(device, arena.Length, WGPUBufferUsage.Uniform | WGPUBufferUsage.CopyDst, "KernelGen uniform arena");
    }

    public override int PendingDispatches => recorded.Count + pendingTransfers;

    private int pendingTransfers;

    public override IReadOnlyList<KernelTiming> Timings => timings;

    private protected override void DispatchCore(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
    {
        var pipeline = device.GetPipeline(kernel, constants);
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
    internal void Record(NativePipeline pipeline, WGPUBindGroup bindGroup, uint uniformOffset, WorkgroupCount groups)
    {
        if (IsProfiling && profiledInSubmit == ProfiledDispatchesPerSubmit) SubmitCore();
        if (encoder.IsNull) encoder = Wgpu.DeviceCreateCommandEncoder(device.Handle, null);
        if (pass.IsNull)
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
            currentPipeline = default;
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
        if (pass.IsNull) return;
        Wgpu.ComputePassEncoderEnd(pass);
        pass.Release();
        pass = default;
    }

    private void EnsureQueries()
    {
        if (!querySet.IsNull) return;
        var descriptor = new WGPUQuerySetDescriptor { Label = WGPUStringView.Null, Type = WGPUQueryType.Timestamp, Count = 2 * ProfiledDispatchesPerSubmit };
        device.PushErrorScope();
        querySet = Wgpu.DeviceCreateQuerySet(device.Handle, &descriptor);
        var error = device.PopErrorScope("creating the timestamp query set");
        if (error != null) throw new GpuValidationException($"Dawn could not create a timestamp query set: {error}");
        var bytes = 2UL * ProfiledDispatchesPerSubmit * sizeof(ulong);
        queryResolve = device.CreateRawBuffer(bytes, WGPUBufferUsage.QueryResolve | WGPUBufferUsage.CopySrc, "KernelGen timestamps");
        queryReadback = device.CreateRawBuffer(bytes, WGPUBufferUsage.MapRead | WGPUBufferUsage.CopyDst, "KernelGen timestamp readback");
    }

    private protected override void SubmitCore()
    {
        if (encoder.IsNull) return;
        EndPass();
        var profiled = profiledInSubmit;
        if (profiled > 0)
        {
            Wgpu.CommandEncoderResolveQuerySet(encoder, querySet, 0, (uint)(2 * profiled), queryResolve, 0);
            Wgpu.CommandEncoderCopyBufferToBuffer(encoder, queryResolve, 0, queryReadback, 0, (ulong)(2 * profiled * sizeof(ulong)));
        }
        device.PushErrorScope();
        var commands = Wgpu.CommandEncoderFinish(encoder, null);
        encoder.Release();
        encoder = default;
        currentPipeline = default;
        if (arenaUsed > 0)
        {
            // Ordered before the command buffer below, and after every earlier submit that read the arena.
            fixed (byte* p = arena) Wgpu.QueueWriteBuffer(device.Queue, arenaBuffer.Handle, 0, p, (nuint)Align(arenaUsed, 4));
            arenaUsed = 0;
        }
        Wgpu.QueueSubmit(device.Queue, 1, &commands);
        commands.Release();
        var count = recorded.Count;
        var error = device.PopErrorScope($"submitting {count} dispatch(es)");
        var kernels = error != null ? DispatchValidation.KernelList(recorded) : null;
        var firstKernel = error != null && recorded.Count > 0 ? recorded[0].Name : null;
        var profiledKernels = profiled > 0 ? recorded.GetRange(recorded.Count - profiled, profiled) : null;
        recorded.Clear();
        pendingTransfers = 0;
        profiledInSubmit = 0;
        if (error != null)
            throw new GpuValidationException($"Dawn rejected the submitted work ({count} dispatch(es) of {kernels}): {error}") { KernelName = firstKernel };
        if (profiledKernels != null) ReadTimestamps(profiledKernels);
    }

    private void ReadTimestamps(List<KernelInfo> kernels)
    {
        var bytes = (nuint)(2 * kernels.Count * sizeof(ulong));
        var call = DawnCall.Start(DawnCallbackKind.Status);
        var future = Wgpu.BufferMapAsync(queryReadback, WGPUMapMode.Read, 0, bytes, call.Info);
        device.Wait(call, future, $"the timestamps of {kernels.Count} profiled dispatch(es)");
        if (call.Status != WGPUStatus.Success)
            throw new GpuValidationException($"Reading timestamps failed with status {call.Status}: {call.Message}");
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
        var call = DawnCall.Start(DawnCallbackKind.Status);
        var future = Wgpu.QueueOnSubmittedWorkDone(device.Queue, call.Info);
        device.Wait(call, future, "the device to finish the submitted dispatches (wgpuQueueOnSubmittedWorkDone)");
        device.ThrowIfUnusable();
        if (call.Status != WGPUStatus.Success)
            throw new GpuException($"Waiting for the queue failed with status {call.Status}: {call.Message}");
        timings = pendingTimings.ToArray();
        pendingTimings.Clear();
    }

    private protected override void CaptureDispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
    {
        var pipeline = device.GetPipeline(kernel, constants);
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

    private protected override void CaptureTransfer(in BufferTransfer transfer)
        => capture!.Add(new CapturedDispatch(null, null, [], 0, default) { Transfer = transfer });

    private protected override void TransferCore(in BufferTransfer transfer) => RecordTransfer(transfer);

    /// <summary>Records a copy or clear into the encoder, between compute passes (also the replay path of captured graphs).</summary>
    internal void RecordTransfer(in BufferTransfer transfer)
    {
        if (encoder.IsNull) encoder = Wgpu.DeviceCreateCommandEncoder(device.Handle, null);
        EndPass();
        var destination = (NativeBufferStorage)transfer.Destination.Storage;
        if (transfer.Source is { } source)
        {
            Wgpu.CommandEncoderCopyBufferToBuffer(encoder, ((NativeBufferStorage)source.Storage).Handle, (ulong)transfer.SourceOffset,
                destination.Handle, (ulong)transfer.DestinationOffset, (ulong)transfer.Bytes);
            source.RawStorage.LastStream = this;
        }
        else
        {
            Wgpu.CommandEncoderClearBuffer(encoder, destination.Handle, (ulong)transfer.DestinationOffset, (ulong)transfer.Bytes);
        }
        destination.LastStream = this;
        pendingTransfers++;
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
        if (device.TimedOut) return; // the device and everything on it are abandoned (see NativeGpuDevice.Wait)
        pass.Release();
        encoder.Release();
        pass = default;
        encoder = default;
        recorded.Clear();
        arenaBuffer.Release(fromFinalizer: false);
        querySet.Release();
        queryResolve.Release();
        queryReadback.Release();
        querySet = default;
        queryResolve = default;
        queryReadback = default;
    }

    internal static int Align(int value, uint alignment) => (int)((value + alignment - 1) / alignment * alignment);
}

/// <summary>One dispatch recorded during a capture.</summary>
internal sealed record CapturedDispatch(KernelInfo? Kernel, NativePipeline? Pipeline, GpuBuffer[] Buffers, uint UniformOffset, WorkgroupCount Groups)
{
    /// <summary>Set for a captured copy or clear (then there is no kernel).</summary>
    public BufferTransfer? Transfer { get; init; }
}

/// <summary>
/// A captured graph: its own uniform buffer (written once) and its own bind groups (built once,
/// owned by the graph), replayed into the stream's encoder and submitted at once.
/// </summary>
internal sealed class NativeGpuGraph : GpuGraph
{
    private readonly NativeGpuStream stream;
    private readonly NativeGpuDevice device;
    private readonly List<CapturedDispatch> dispatches;
    private readonly WGPUBindGroup[] bindGroups;
    private readonly NativeBufferStorage? uniforms;

    public NativeGpuGraph(NativeGpuStream stream, NativeGpuDevice device, List<CapturedDispatch> dispatches, ReadOnlySpan<byte> uniformBytes)
        : base(stream, dispatches.Where(d => d.Transfer is null).Select(d => d.Kernel!).ToArray())
    {
        this.stream = stream;
        this.device = device;
        this.dispatches = dispatches;
        bindGroups = new WGPUBindGroup[dispatches.Count];
        if (!uniformBytes.IsEmpty)
        {
            uniforms = NativeBufferStorage.Create(device, uniformBytes.Length + 256, WGPUBufferUsage.Uniform | WGPUBufferUsage.CopyDst, "KernelGen graph uniforms");
            uniforms.Write(0, uniformBytes);
        }
        var shared = new Dictionary<(NativePipeline, string), WGPUBindGroup>();
        try
        {
            for (var i = 0; i < dispatches.Count; i++)
            {
                var d = dispatches[i];
                if (d.Transfer is not null) continue;
                var key = (d.Pipeline!, string.Join(",", d.Buffers.Select(b => b.RawStorage.Id)));
                if (!shared.TryGetValue(key, out var group))
                {
                    var storages = d.Buffers.Select(b => (NativeBufferStorage)b.Storage).ToList();
                    var hasUniform = d.Kernel!.UniformSize > 0;
                    if (hasUniform) storages.Add(uniforms!);
                    group = d.Pipeline!.CreateBindGroup(storages.ToArray(), hasUniform);
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
        bufferChecks = dispatches.Where(d => d.Transfer is null).Select(d => (d.Kernel!, d.Buffers)).ToArray();
        transferChecks = dispatches.Where(d => d.Transfer is not null).Select(d => RecordedCommand.Of(d.Transfer!.Value)).ToArray();
    }

    private readonly WGPUBindGroup[] distinctGroups;

    // Built once, so that a replay allocates nothing.
    private readonly (KernelInfo Kernel, GpuBuffer[] Buffers)[] bufferChecks;
    private readonly RecordedCommand[] transferChecks;

    private protected override void ReplayCore()
    {
        CheckBuffers(bufferChecks);
        RecordedGraph.CheckCommands(transferChecks);
        for (var i = 0; i < dispatches.Count; i++)
        {
            var d = dispatches[i];
            if (d.Transfer is { } transfer)
            {
                stream.RecordTransfer(transfer);
                continue;
            }
            stream.Record(d.Pipeline!, bindGroups[i], d.UniformOffset, d.Groups);
            foreach (var b in d.Buffers) b.RawStorage.LastStream = stream;
        }
        stream.Submit();
    }

    private protected override void ReleaseFromFinalizer() => device.Defer(DisposeCore);

    private protected override void DisposeCore()
    {
        if (device.TimedOut) return; // abandoned with the device
        foreach (var g in distinctGroups) ReleaseBindGroup(g);
        uniforms?.Release(fromFinalizer: false);
    }

    private static void ReleaseBindGroup(WGPUBindGroup group)
    {
        group.Release();
        Interlocked.Decrement(ref NativeGpuDevice.LiveBindGroups);
    }
}
