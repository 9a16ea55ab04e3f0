namespace KernelGen.Generator.Tests.Infrastructure;

/// <summary>
/// Runs a kernel's generated CPU delegate over a grid, one invocation at a time, the way the CPU
/// backend does for kernels without barriers. Only what these tests need; the runtime owns the real backend.
/// </summary>
public static class CpuGrid
{
    public static void Run(KernelInfo kernel, (int X, int Y, int Z) groups, Memory<byte>[] buffers, byte[] uniforms)
    {
        Assert.False(kernel.UsesBarriers, "this runner runs invocations one at a time");
        var data = new CpuDispatchData(buffers, uniforms);
        var count = new GroupCount(groups.X, groups.Y, groups.Z);
        for (int gz = 0; gz < groups.Z; gz++)
        for (int gy = 0; gy < groups.Y; gy++)
        for (int gx = 0; gx < groups.X; gx++)
        {
            var shared = kernel.SharedArrays.Select(s => new byte[s.ElementSize * s.Length]).ToArray();
            int index = 0;
            for (int lz = 0; lz < kernel.WorkgroupSizeZ; lz++)
            for (int ly = 0; ly < kernel.WorkgroupSizeY; ly++)
            for (int lx = 0; lx < kernel.WorkgroupSizeX; lx++)
            {
                var thread = new ThreadId(gx * kernel.WorkgroupSizeX + lx, gy * kernel.WorkgroupSizeY + ly, gz * kernel.WorkgroupSizeZ + lz);
                var invocation = new CpuInvocation(data, shared, thread, new LocalId(lx, ly, lz, index++), new GroupId(gx, gy, gz), count);
                kernel.Cpu(in invocation);
            }
        }
    }

    public static Memory<byte> Bytes<T>(T[] values) where T : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static T[] Read<T>(Memory<byte> bytes) where T : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray();
}
