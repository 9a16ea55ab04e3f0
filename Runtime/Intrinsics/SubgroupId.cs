namespace KernelGen;

/// <summary>
/// The invocation's place in its subgroup: a kernel parameter like <see cref="LocalId"/>. Using it (or any
/// <see cref="Subgroup"/> operation) needs the adapter feature <c>subgroups</c>; the module gets <c>enable subgroups;</c>.
/// </summary>
/// <param name="Lane">The invocation's index in its subgroup (WGSL <c>subgroup_invocation_id</c>), 0 to <paramref name="Size"/> - 1.</param>
/// <param name="Size">The number of lanes of a subgroup (WGSL <c>subgroup_size</c>): a power of two from 4 to 128 on the GPU; the
/// CPU backend's <see cref="GpuDeviceOptions.CpuSubgroupSize"/> (32 by default).</param>
public readonly record struct SubgroupId(int Lane, int Size);
