namespace KernelGen;

/// <summary>
/// Marks an <c>int</c>, <c>uint</c>, <c>float</c> or <c>bool</c> kernel parameter as a specialisation constant: a WGSL
/// <c>override</c> whose value is fixed when the pipeline is created, so the GPU compiler sees it as a constant (loop bounds
/// unrolled, branches folded). The dispatch stub takes it like any argument; the runtime keeps one pipeline per kernel and
/// set of values (<see cref="KernelInfo.Specialize"/>, <see cref="GpuDevice.Compile(KernelInfo, PipelineConstants)"/>); the
/// CPU backend passes the plain value. A specialised parameter can also size the workgroup
/// (<see cref="KernelAttribute.WorkgroupSizeFrom"/>) and workgroup arrays (<see cref="GroupSharedAttribute(string)"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class SpecializeAttribute : Attribute
{
}
