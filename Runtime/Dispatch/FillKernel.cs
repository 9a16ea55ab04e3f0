namespace KernelGen;

/// <summary>
/// The runtime's own kernel behind <see cref="GpuStream.Fill{T}(GpuBuffer{T}, T)"/>: writes a pattern of one to four
/// 32-bit words over a word range, on every backend (WebGPU has no fill command; clearBuffer writes zeros only).
/// </summary>
internal static class FillKernel
{
    /// <summary>Uniform block: pattern (4 words), then word offset, word count, pattern period, words per grid row.</summary>
    public const int UniformSize = 32;

    private const int WorkgroupSize = 64;

    public static readonly KernelInfo Kernel = new()
    {
        Name = "KernelGen.GpuStream.Fill",
        SourceLocation = "KernelGen.Runtime (built in)",
        Wgsl = """
            // KernelGen built-in: GpuStream.Fill
            struct Uniforms { pattern: vec4<u32>, offset: u32, count: u32, period: u32, row_words: u32 }
            @group(0) @binding(0) var<storage, read_write> data: array<u32>;
            @group(0) @binding(1) var<uniform> u: Uniforms;
            @compute @workgroup_size(64)
            fn main(@builtin(global_invocation_id) id: vec3<u32>) {
                let i = id.x + id.y * u.row_words;
                if (i >= u.count) { return; }
                data[u.offset + i] = u.pattern[i % u.period];
            }
            """,
        EntryPoint = "main",
        WorkgroupSizeX = WorkgroupSize,
        WorkgroupSizeY = 1,
        WorkgroupSizeZ = 1,
        Bindings = [new(0, "data", BindingKind.Storage, null, 4), new(1, "uniforms", BindingKind.Uniform, null, UniformSize)],
        UniformSize = UniformSize,
        Cpu = static (in CpuInvocation inv) =>
        {
            var rowWords = inv.Uniform<uint>(28);
            var i = (uint)inv.Thread.X + (uint)inv.Thread.Y * rowWords;
            if (i >= inv.Uniform<uint>(20)) return;
            var period = inv.Uniform<uint>(24);
            inv.Buffer<uint>(0)[(int)(inv.Uniform<uint>(16) + i)] = inv.Uniform<uint>((int)(i % period * 4));
        },
    };

    /// <summary>The uniform block and the workgroups that fill <paramref name="words"/> words from word <paramref name="offset"/>.</summary>
    public static (byte[] Uniforms, WorkgroupCount Groups) Plan(ReadOnlySpan<uint> pattern, long offset, long words, uint maxPerDimension)
    {
        var groups = (words + WorkgroupSize - 1) / WorkgroupSize;
        var x = Math.Min(groups, maxPerDimension);
        var y = (groups + x - 1) / x;
        if (y > maxPerDimension)
            throw new ArgumentOutOfRangeException(nameof(words), $"A fill of {words} words needs more workgroups than the device allows ({maxPerDimension} per dimension).");
        var uniforms = new byte[UniformSize];
        var u = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(uniforms.AsSpan());
        pattern.CopyTo(u);
        u[4] = checked((uint)offset);
        u[5] = checked((uint)words);
        u[6] = (uint)pattern.Length;
        u[7] = checked((uint)(x * WorkgroupSize));
        return (uniforms, new WorkgroupCount((uint)x, (uint)y, 1));
    }
}
