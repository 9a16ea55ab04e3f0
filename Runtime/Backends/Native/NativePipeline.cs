using System.Text;
using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// A kernel compiled for one device: shader module, bind-group layout (storage buffers in order,
/// then the uniform block with a dynamic offset), pipeline layout, compute pipeline, and the cache of
/// bind groups made for it.
/// </summary>
internal sealed unsafe class NativePipeline
{
    private static long nextId;
    private readonly NativeGpuDevice device;
    private readonly Dictionary<ulong, CachedBindGroup> bindGroups = [];
    private WGPUShaderModule module;
    private WGPUBindGroupLayout bindGroupLayout;
    private WGPUPipelineLayout pipelineLayout;

    private NativePipeline(NativeGpuDevice device, KernelInfo kernel, PipelineConstants constants)
    {
        this.device = device;
        Kernel = kernel;
        Constants = constants;
        Id = (ulong)Interlocked.Increment(ref nextId);
        UniformBindingSize = (ulong)((kernel.UniformSize + 15) & ~15);
    }

    public KernelInfo Kernel { get; }

    /// <summary>The values given to the kernel's WGSL override constants.</summary>
    public PipelineConstants Constants { get; }

    public ulong Id { get; }

    public WGPUComputePipeline Handle { get; private set; }

    /// <summary>Bytes bound for the uniform block (its size rounded up to 16).</summary>
    public ulong UniformBindingSize { get; }

    public static NativePipeline Create(NativeGpuDevice device, KernelInfo kernel, PipelineConstants constants)
    {
        var pipeline = new NativePipeline(device, kernel, constants);
        try
        {
            pipeline.Compile();
            return pipeline;
        }
        catch
        {
            pipeline.Release();
            throw;
        }
    }

    private void Compile()
    {
        var kernel = Kernel;
        var label = Encoding.UTF8.GetBytes(kernel.Name);
        var code = Encoding.UTF8.GetBytes(kernel.Wgsl);
        var entry = Encoding.UTF8.GetBytes(kernel.EntryPoint);
        fixed (byte* labelBytes = label)
        fixed (byte* codeBytes = code)
        fixed (byte* entryBytes = entry)
        {
            var labelView = new WGPUStringView { Data = labelBytes, Length = (nuint)label.Length };
            var source = new WGPUShaderSourceWGSL
            {
                Chain = new WGPUChainedStruct { SType = WGPUSType.ShaderSourceWGSL },
                Code = new WGPUStringView { Data = codeBytes, Length = (nuint)code.Length },
            };
            var moduleDescriptor = new WGPUShaderModuleDescriptor { NextInChain = &source.Chain, Label = labelView };
            device.PushErrorScope();
            module = Wgpu.DeviceCreateShaderModule(device.Handle, &moduleDescriptor);
            var scopeError = device.PopErrorScope($"compiling {DispatchValidation.Describe(kernel)}");
            var messages = CompilationMessages();
            var errors = messages.Where(m => m.Type == WGPUCompilationMessageType.Error).ToList();
            if (errors.Count > 0 || scopeError != null)
            {
                var lines = kernel.Wgsl.Split('\n');
                var formatted = errors.Select(m =>
                {
                    var text = $"{m.Line}:{m.Column}: {m.Text}";
                    if (m.Line >= 1 && m.Line <= (ulong)lines.Length) text += $"\n      | {lines[m.Line - 1].TrimEnd()}";
                    return text;
                }).ToList();
                var detail = formatted.Count > 0 ? string.Join("\n    ", formatted) : scopeError!;
                throw new GpuCompilationException($"The device refused the WGSL of {DispatchValidation.Describe(kernel)}:\n    {detail}")
                {
                    KernelName = kernel.Name,
                    CompilerMessages = formatted.Count > 0 ? formatted : [scopeError!],
                };
            }

            var entries = stackalloc WGPUBindGroupLayoutEntry[kernel.Bindings.Length];
            for (var i = 0; i < kernel.Bindings.Length; i++)
            {
                var binding = kernel.Bindings[i];
                entries[i] = new WGPUBindGroupLayoutEntry
                {
                    Binding = (uint)binding.Binding,
                    Visibility = WGPUShaderStage.Compute,
                    Buffer = new WGPUBufferBindingLayout
                    {
                        Type = binding.Kind switch
                        {
                            BindingKind.Storage => WGPUBufferBindingType.Storage,
                            BindingKind.ReadOnlyStorage => WGPUBufferBindingType.ReadOnlyStorage,
                            _ => WGPUBufferBindingType.Uniform,
                        },
                        HasDynamicOffset = binding.Kind == BindingKind.Uniform ? 1u : 0u,
                    },
                };
            }
            device.PushErrorScope();
            var layoutDescriptor = new WGPUBindGroupLayoutDescriptor { Label = labelView, EntryCount = (nuint)kernel.Bindings.Length, Entries = entries };
            bindGroupLayout = Wgpu.DeviceCreateBindGroupLayout(device.Handle, &layoutDescriptor);
            var layouts = bindGroupLayout;
            var pipelineLayoutDescriptor = new WGPUPipelineLayoutDescriptor { Label = labelView, BindGroupLayoutCount = 1, BindGroupLayouts = &layouts };
            pipelineLayout = Wgpu.DeviceCreatePipelineLayout(device.Handle, &pipelineLayoutDescriptor);
            // Override constants: names as UTF-8 in one pinned block, one WGPUConstantEntry each.
            var constantCount = Constants.Count;
            var names = Constants.Select(c => Encoding.UTF8.GetBytes(c.Key)).ToArray();
            var nameBytes = new byte[Math.Max(1, names.Sum(n => n.Length))];
            var constantEntries = new WGPUConstantEntry[Math.Max(1, constantCount)];
            fixed (byte* namesBase = nameBytes)
            fixed (WGPUConstantEntry* constants = constantEntries)
            {
                var at = 0;
                for (var i = 0; i < constantCount; i++)
                {
                    names[i].CopyTo(nameBytes, at);
                    constants[i] = new WGPUConstantEntry
                    {
                        Key = new WGPUStringView { Data = namesBase + at, Length = (nuint)names[i].Length },
                        Value = Constants[i].Value,
                    };
                    at += names[i].Length;
                }
                var pipelineDescriptor = new WGPUComputePipelineDescriptor
                {
                    Label = labelView,
                    Layout = pipelineLayout,
                    Compute = new WGPUComputeState
                    {
                        Module = module,
                        EntryPoint = new WGPUStringView { Data = entryBytes, Length = (nuint)entry.Length },
                        ConstantCount = (nuint)constantCount,
                        Constants = constantCount > 0 ? constants : null,
                    },
                };
                Handle = Wgpu.DeviceCreateComputePipeline(device.Handle, &pipelineDescriptor);
            }
            var pipelineError = device.PopErrorScope($"creating the pipeline of {DispatchValidation.Describe(kernel)}");
            if (pipelineError != null)
            {
                throw new GpuCompilationException(
                    $"Dawn could not create the compute pipeline of {DispatchValidation.Describe(kernel)} (entry point '{kernel.EntryPoint}', {kernel.Bindings.Length} bindings, override constants {Constants}): {pipelineError}")
                {
                    KernelName = kernel.Name,
                    CompilerMessages = [pipelineError],
                };
            }
        }
    }

    private IReadOnlyList<DawnCompilationMessage> CompilationMessages()
    {
        var call = DawnCall.Start(DawnCallbackKind.CompilationInfo);
        var future = Wgpu.ShaderModuleGetCompilationInfo(module, call.Info);
        device.Wait(call, future, $"the compilation messages of {DispatchValidation.Describe(Kernel)}");
        return call.CompilationMessages;
    }

    /// <summary>Finds or creates the bind group of these buffers (caller holds the device's cache lock).</summary>
    public WGPUBindGroup GetOrCreateBindGroup(ReadOnlySpan<GpuBuffer> buffers, NativeBufferStorage? uniforms)
    {
        var hash = Id * 0x9E3779B97F4A7C15UL;
        foreach (var b in buffers) hash = (hash ^ (ulong)b.RawStorage.Id) * 0x100000001B3UL;
        if (uniforms != null) hash = (hash ^ (ulong)uniforms.Id) * 0x100000001B3UL;
        bindGroups.TryGetValue(hash, out var head);
        for (var e = head; e != null; e = e.Next)
            if (e.Matches(buffers, uniforms)) return e.Handle;

        var storages = new NativeBufferStorage[buffers.Length + (uniforms is null ? 0 : 1)];
        for (var i = 0; i < buffers.Length; i++) storages[i] = (NativeBufferStorage)buffers[i].Storage;
        if (uniforms != null) storages[^1] = uniforms;
        var handle = CreateBindGroup(storages, uniforms != null);
        var created = new CachedBindGroup(this, hash, handle, storages) { Next = head };
        bindGroups[hash] = created;
        foreach (var s in storages)
            if (!s.BindGroups.Contains(created)) s.BindGroups.Add(created);
        return handle;
    }

    /// <summary>Creates a bind group that no cache owns (captured graphs own theirs).</summary>
    public WGPUBindGroup CreateBindGroup(NativeBufferStorage[] storages, bool lastIsUniform)
    {
        var entries = stackalloc WGPUBindGroupEntry[storages.Length];
        for (var i = 0; i < storages.Length; i++)
        {
            var isUniform = lastIsUniform && i == storages.Length - 1;
            entries[i] = new WGPUBindGroupEntry
            {
                Binding = (uint)Kernel.Bindings[i].Binding,
                Buffer = storages[i].Handle,
                Offset = 0,
                Size = isUniform ? UniformBindingSize : Wgpu.WholeSize,
            };
        }
        var descriptor = new WGPUBindGroupDescriptor { Label = WGPUStringView.Null, Layout = bindGroupLayout, EntryCount = (nuint)storages.Length, Entries = entries };
        device.PushErrorScope();
        var handle = Wgpu.DeviceCreateBindGroup(device.Handle, &descriptor);
        var error = device.PopErrorScope($"binding the buffers of {DispatchValidation.Describe(Kernel)}");
        if (error != null)
        {
            handle.Release();
            throw new GpuValidationException($"Dawn refused the buffers of {DispatchValidation.Describe(Kernel)}: {error}") { KernelName = Kernel.Name };
        }
        Interlocked.Increment(ref NativeGpuDevice.LiveBindGroups);
        return handle;
    }

    /// <summary>Removes a cached bind group from the hash chains (caller holds the cache lock).</summary>
    public void Forget(CachedBindGroup entry)
    {
        if (!bindGroups.TryGetValue(entry.Hash, out var head)) return;
        if (ReferenceEquals(head, entry))
        {
            if (entry.Next is null) bindGroups.Remove(entry.Hash);
            else bindGroups[entry.Hash] = entry.Next;
            return;
        }
        for (var e = head; e.Next != null; e = e.Next)
        {
            if (ReferenceEquals(e.Next, entry))
            {
                e.Next = entry.Next;
                return;
            }
        }
    }

    public void Release()
    {
        foreach (var head in bindGroups.Values.ToList())
            for (var e = head; e != null;)
            {
                var next = e.Next;
                e.Release();
                e = next;
            }
        bindGroups.Clear();
        Handle.Release();
        pipelineLayout.Release();
        bindGroupLayout.Release();
        module.Release();
        Handle = default;
        pipelineLayout = default;
        bindGroupLayout = default;
        module = default;
    }
}
