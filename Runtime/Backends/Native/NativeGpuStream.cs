using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// Encodes a command list into one Dawn command encoder (dispatches in compute passes, copies and clears between
/// them) and submits it. A stream's list brings its uniforms in its arena, written to the stream's uniform buffer with
/// one queue write before the command buffer; a graph's list uses the uniform buffer and bind groups prepared for it
/// once. Steady state allocates nothing per dispatch, managed or native.
/// </summary>
internal sealed unsafe class NativeGpuStream : GpuStream
{
    private const int ProfiledDispatchesPerSubmit = 1024;

    private readonly NativeGpuDevice device;
    private readonly NativeBufferStorage arenaBuffer;
    private readonly List<KernelInfo> timedKernels = [];
    private readonly List<KernelTiming> pendingTimings = [];
    private IReadOnlyList<KernelTiming> timings = [];
    private WGPUCommandEncoder encoder;
    private WGPUComputePassEncoder pass;
    private WGPUComputePipeline currentPipeline;

    // Profiling: one pass per timed dispatch with timestamps at its start and end.
    private WGPUQuerySet querySet;
    private WGPUBuffer queryResolve;
    private WGPUBuffer queryReadback;

    public NativeGpuStream(NativeGpuDevice device) : base(device)
    {
        this.device = device;
        arenaBuffer = NativeBufferStorage.Create(device, device.UniformArenaBytes, WGPUBufferUsage.Uniform | WGPUBufferUsage.CopyDst, "KernelGen uniform arena");
    }

    public override IReadOnlyList<KernelTiming> Timings => timings;

    private protected override void ExecuteCore(CommandList list, PreparedCommands? prepared)
    {
        var graph = (NativePreparedGraph?)prepared;
        var uniforms = graph?.Uniforms ?? arenaBuffer;
        var bytes = list.Uniforms;
        if (graph is null && !bytes.IsEmpty)
        {
            // Ordered before the command buffer below, and after every earlier submit that read the arena.
            fixed (byte* p = bytes) Wgpu.QueueWriteBuffer(device.Queue, arenaBuffer.Handle, 0, p, (nuint)bytes.Length);
        }
        var first = 0;
        try
        {
            var commands = list.Commands;
            for (var i = 0; i < commands.Length; i++)
            {
                ref readonly var c = ref commands[i];
                if (encoder.IsNull) encoder = Wgpu.DeviceCreateCommandEncoder(device.Handle, null);
                if (c.Kind != CommandKind.Dispatch)
                {
                    EncodeTransfer(list, c);
                    continue;
                }
                var pipeline = (NativePipeline)c.Pipeline!;
                var timed = c.Timed || IsProfiling;
                if (timed && timedKernels.Count == ProfiledDispatchesPerSubmit)
                {
                    Submit(list, first, i);
                    first = i;
                    encoder = Wgpu.DeviceCreateCommandEncoder(device.Handle, null);
                }
                if (pass.IsNull) BeginPass(timed);
                if (pipeline.Handle != currentPipeline)
                {
                    Wgpu.ComputePassEncoderSetPipeline(pass, pipeline.Handle);
                    currentPipeline = pipeline.Handle;
                }
                var group = graph is not null ? graph.BindGroups[i] : device.GetBindGroup(pipeline, list.BuffersOf(c), c.UniformOffset >= 0 ? uniforms : null);
                var dynamicOffset = (uint)Math.Max(0, c.UniformOffset);
                Wgpu.ComputePassEncoderSetBindGroup(pass, 0, group, c.UniformOffset >= 0 ? 1u : 0u, &dynamicOffset);
                Wgpu.ComputePassEncoderDispatchWorkgroups(pass, c.Groups.X, c.Groups.Y, c.Groups.Z);
                if (timed)
                {
                    timedKernels.Add(pipeline.Kernel);
                    EndPass();
                }
            }
        }
        catch
        {
            Abandon();
            throw;
        }
        Submit(list, first, list.Count);
    }

    private void BeginPass(bool timed)
    {
        if (timed)
        {
            EnsureQueries();
            var index = (uint)(2 * timedKernels.Count);
            var writes = new WGPUPassTimestampWrites { QuerySet = querySet, BeginningOfPassWriteIndex = index, EndOfPassWriteIndex = index + 1 };
            var descriptor = new WGPUComputePassDescriptor { Label = WGPUStringView.Null, TimestampWrites = &writes };
            pass = Wgpu.CommandEncoderBeginComputePass(encoder, &descriptor);
        }
        else
        {
            pass = Wgpu.CommandEncoderBeginComputePass(encoder, null);
        }
        currentPipeline = default;
    }

    private void EncodeTransfer(CommandList list, in RecordedCommand c)
    {
        EndPass();
        var buffers = list.BuffersOf(c);
        if (c.Kind == CommandKind.Copy)
        {
            Wgpu.CommandEncoderCopyBufferToBuffer(encoder, ((NativeBufferStorage)buffers[0].RawStorage).Handle, (ulong)c.SourceOffset,
                ((NativeBufferStorage)buffers[1].RawStorage).Handle, (ulong)c.DestinationOffset, (ulong)c.Bytes);
        }
        else
        {
            Wgpu.CommandEncoderClearBuffer(encoder, ((NativeBufferStorage)buffers[0].RawStorage).Handle, (ulong)c.DestinationOffset, (ulong)c.Bytes);
        }
    }

    private void EndPass()
    {
        if (pass.IsNull) return;
        Wgpu.ComputePassEncoderEnd(pass);
        pass.Release();
        pass = default;
    }

    /// <summary>Drops a half-encoded command buffer (an encoding call threw).</summary>
    private void Abandon()
    {
        if (!pass.IsNull)
        {
            Wgpu.ComputePassEncoderEnd(pass);
            pass.Release();
        }
        encoder.Release();
        pass = default;
        encoder = default;
        currentPipeline = default;
        timedKernels.Clear();
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

    /// <summary>Finishes the encoder and submits it; commands [from, to) of the list went into it (for error messages).</summary>
    private void Submit(CommandList list, int from, int to)
    {
        if (encoder.IsNull) return;
        EndPass();
        var profiled = timedKernels.Count;
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
        Wgpu.QueueSubmit(device.Queue, 1, &commands);
        commands.Release();
        var error = device.PopErrorScope($"submitting {to - from} command(s)");
        if (error != null)
        {
            timedKernels.Clear();
            var kernels = new List<KernelInfo>();
            var all = list.Commands[from..to];
            foreach (ref readonly var c in all)
                if (c.IsDispatch) kernels.Add(c.Kernel);
            throw new GpuValidationException($"Dawn rejected the submitted work ({kernels.Count} dispatch(es) of {DispatchValidation.KernelList(kernels)}): {error}")
            {
                KernelName = kernels.Count > 0 ? kernels[0].Name : null,
            };
        }
        if (profiled > 0)
        {
            try
            {
                ReadTimestamps();
            }
            finally
            {
                timedKernels.Clear();
            }
        }
    }

    private void ReadTimestamps()
    {
        var kernels = timedKernels;
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

    /// <summary>A graph's own uniform buffer (written once) and its bind groups, taken from the device's cache once.</summary>
    private protected override PreparedCommands? PrepareCore(CommandList list)
    {
        var bytes = list.Uniforms;
        var uniforms = bytes.IsEmpty ? null
            : NativeBufferStorage.Create(device, bytes.Length + 256, WGPUBufferUsage.Uniform | WGPUBufferUsage.CopyDst, "KernelGen graph uniforms");
        try
        {
            uniforms?.Write(0, bytes);
            var groups = new WGPUBindGroup[list.Count];
            var commands = list.Commands;
            for (var i = 0; i < commands.Length; i++)
            {
                ref readonly var c = ref commands[i];
                if (c.IsDispatch)
                    groups[i] = device.GetBindGroup((NativePipeline)c.Pipeline!, list.BuffersOf(c), c.UniformOffset >= 0 ? uniforms : null);
            }
            return new NativePreparedGraph(uniforms, groups);
        }
        catch
        {
            uniforms?.Release(fromFinalizer: false);
            throw;
        }
    }

    private protected override void DisposeCore()
    {
        if (device.TimedOut) return; // the device and everything on it are abandoned (see NativeGpuDevice.Wait)
        pass.Release();
        encoder.Release();
        pass = default;
        encoder = default;
        arenaBuffer.Release(fromFinalizer: false);
        querySet.Release();
        queryResolve.Release();
        queryReadback.Release();
        querySet = default;
        queryResolve = default;
        queryReadback = default;
    }
}

/// <summary>
/// What a captured graph gets once natively: its own uniform buffer and the bind groups of its dispatches (one per
/// command; from the device's cache, so they die with their buffers; a replay first checks that none was disposed).
/// </summary>
internal sealed class NativePreparedGraph(NativeBufferStorage? uniforms, WGPUBindGroup[] bindGroups) : PreparedCommands
{
    public NativeBufferStorage? Uniforms { get; } = uniforms;

    public WGPUBindGroup[] BindGroups { get; } = bindGroups;

    /// <summary>Releases the uniform buffer, and with it the bind groups that bind it.</summary>
    public override void Release()
    {
        if (Uniforms is { Device: NativeGpuDevice { TimedOut: true } }) return; // abandoned with the device
        Uniforms?.Release(fromFinalizer: false);
    }
}
