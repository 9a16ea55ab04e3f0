using System.Text;
using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// A kernel compiled for one device: shader module, bind-group layout (storage buffers in order,
/// then the uniform block with a dynamic offset), pipeline layout and compute pipeline.
/// </summary>
internal sealed unsafe class NativePipeline : CompiledPipeline
{
    private readonly NativeGpuDevice device;
    private WGPUShaderModule module;
    private WGPUBindGroupLayout bindGroupLayout;
    private WGPUPipelineLayout pipelineLayout;

    private NativePipeline(NativeGpuDevice device, KernelInfo kernel, PipelineConstants constants) : base(kernel, constants)
    {
        this.device = device;
        UniformBindingSize = (ulong)((kernel.UniformSize + 15) & ~15);
    }

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

    /// <summary>Creates the bind group of these buffers (the device's bind-group cache calls this); a uniform buffer comes last.</summary>
    public WGPUBindGroup CreateBindGroup(BufferStorage[] storages)
    {
        var lastIsUniform = Kernel.UniformSize > 0;
        var entries = stackalloc WGPUBindGroupEntry[storages.Length];
        for (var i = 0; i < storages.Length; i++)
        {
            var isUniform = lastIsUniform && i == storages.Length - 1;
            entries[i] = new WGPUBindGroupEntry
            {
                Binding = (uint)Kernel.Bindings[i].Binding,
                Buffer = ((NativeBufferStorage)storages[i]).Handle,
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

    public override void Release()
    {
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
