using System.Numerics;

namespace KernelGen.Benchmarks;

/// <summary>
/// Kernels of the benchmark, written by hand as the generator would emit them (WGSL + CPU body).
/// The lead switches them to C# [Kernel] methods once the generator lands.
/// </summary>
internal static class BenchKernels
{
    /// <summary>y[i] = scale * x[i] + bias: the smallest useful dispatch, for per-dispatch overhead.</summary>
    public static void Axpb(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float scale, float bias)
    {
        var i = id.X;
        if (i >= y.Length) return;
        y[i] = scale * x[i] + bias;
    }

    public static readonly KernelInfo AxpbKernel = new()
    {
        Name = "KernelGen.Benchmarks.BenchKernels.Axpb",
        SourceLocation = "BenchKernels.cs(14)",
        Wgsl = """
            struct Uniforms { scale: f32, bias: f32 }
            @group(0) @binding(0) var<storage, read> x: array<f32>;
            @group(0) @binding(1) var<storage, read_write> y: array<f32>;
            @group(0) @binding(2) var<uniform> u: Uniforms;
            @compute @workgroup_size(64)
            fn main(@builtin(global_invocation_id) id: vec3<u32>) {
                let i = i32(id.x);
                if (i >= i32(arrayLength(&y))) { return; }
                y[i] = u.scale * x[i] + u.bias;
            }
            """,
        EntryPoint = "main",
        WorkgroupSizeX = 64,
        WorkgroupSizeY = 1,
        WorkgroupSizeZ = 1,
        Bindings = [new(0, "x", BindingKind.ReadOnlyStorage, typeof(float), 4), new(1, "y", BindingKind.Storage, typeof(float), 4), new(2, "uniforms", BindingKind.Uniform, null, 8)],
        UniformSize = 8,
        Cpu = static (in CpuInvocation inv) => Axpb(inv.Thread, inv.ReadOnlyBuffer<float>(0), inv.Buffer<float>(1), inv.Uniform<float>(0), inv.Uniform<float>(4)),
    };

    /// <summary>
    /// C = A x B (row-major, M x K times K x N), register-blocked: each invocation computes a 4x4 block of C
    /// from one float of A per row and one Vector4 of B per k. N must be a multiple of 4, M of 4.
    /// </summary>
    public static void Matmul4x4(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<Vector4> b, Span<Vector4> c, int m, int n, int k)
    {
        var col4 = id.X;
        var row0 = id.Y * 4;
        var n4 = n / 4;
        if (col4 >= n4 || row0 >= m) return;
        Vector4 acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        for (var kk = 0; kk < k; kk++)
        {
            var bv = b[kk * n4 + col4];
            acc0 += a[(row0 + 0) * k + kk] * bv;
            acc1 += a[(row0 + 1) * k + kk] * bv;
            acc2 += a[(row0 + 2) * k + kk] * bv;
            acc3 += a[(row0 + 3) * k + kk] * bv;
        }
        c[(row0 + 0) * n4 + col4] = acc0;
        c[(row0 + 1) * n4 + col4] = acc1;
        c[(row0 + 2) * n4 + col4] = acc2;
        c[(row0 + 3) * n4 + col4] = acc3;
    }

    public static readonly KernelInfo MatmulKernel = new()
    {
        Name = "KernelGen.Benchmarks.BenchKernels.Matmul4x4",
        SourceLocation = "BenchKernels.cs(45)",
        Wgsl = """
            struct Dims { m: i32, n: i32, k: i32 }
            @group(0) @binding(0) var<storage, read> a: array<f32>;
            @group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
            @group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
            @group(0) @binding(3) var<uniform> d: Dims;
            @compute @workgroup_size(16, 16)
            fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
                let col4 = i32(gid.x);
                let row0 = i32(gid.y) * 4;
                let n4 = d.n / 4;
                if (col4 >= n4 || row0 >= d.m) { return; }
                var acc0 = vec4<f32>(0.0);
                var acc1 = vec4<f32>(0.0);
                var acc2 = vec4<f32>(0.0);
                var acc3 = vec4<f32>(0.0);
                for (var kk = 0; kk < d.k; kk = kk + 1) {
                    let bv = b[kk * n4 + col4];
                    acc0 = acc0 + a[(row0 + 0) * d.k + kk] * bv;
                    acc1 = acc1 + a[(row0 + 1) * d.k + kk] * bv;
                    acc2 = acc2 + a[(row0 + 2) * d.k + kk] * bv;
                    acc3 = acc3 + a[(row0 + 3) * d.k + kk] * bv;
                }
                c[(row0 + 0) * n4 + col4] = acc0;
                c[(row0 + 1) * n4 + col4] = acc1;
                c[(row0 + 2) * n4 + col4] = acc2;
                c[(row0 + 3) * n4 + col4] = acc3;
            }
            """,
        EntryPoint = "main",
        WorkgroupSizeX = 16,
        WorkgroupSizeY = 16,
        WorkgroupSizeZ = 1,
        Bindings =
        [
            new(0, "a", BindingKind.ReadOnlyStorage, typeof(float), 4),
            new(1, "b", BindingKind.ReadOnlyStorage, typeof(Vector4), 16),
            new(2, "c", BindingKind.Storage, typeof(Vector4), 16),
            new(3, "uniforms", BindingKind.Uniform, null, 12),
        ],
        UniformSize = 12,
        Cpu = static (in CpuInvocation inv) => Matmul4x4(inv.Thread, inv.ReadOnlyBuffer<float>(0), inv.ReadOnlyBuffer<Vector4>(1), inv.Buffer<Vector4>(2),
            inv.Uniform<int>(0), inv.Uniform<int>(4), inv.Uniform<int>(8)),
    };

    /// <summary>
    /// C = A x B with shared-memory tiles and register blocking: a 16x16 workgroup computes a 64x64 block of C,
    /// staging 64x16 of A and 16x64 of B in workgroup memory per step of 16 along K; each invocation
    /// accumulates a 4x4 block. N must be a multiple of 4.
    /// </summary>
    public static void MatmulTiled(LocalId local, GroupId group, ReadOnlySpan<float> a, ReadOnlySpan<Vector4> b, Span<Vector4> c,
        Span<float> tileA, Span<Vector4> tileB, int m, int n, int k)
    {
        var tx = local.X;
        var ty = local.Y;
        var t = ty * 16 + tx;
        var row0 = group.Y * 64;
        var col0 = group.X * 64;
        var n4 = n / 4;
        Vector4 acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        for (var k0 = 0; k0 < k; k0 += 16)
        {
            for (var i = 0; i < 4; i++)
            {
                var idx = t + i * 256;
                var ar = row0 + idx / 16;
                var ak = k0 + idx % 16;
                tileA[idx] = ar < m && ak < k ? a[ar * k + ak] : 0f;
            }
            var bk = k0 + t / 16;
            var bc4 = col0 / 4 + t % 16;
            tileB[t] = bk < k && bc4 < n4 ? b[bk * n4 + bc4] : default;
            Workgroup.Barrier();
            for (var kk = 0; kk < 16; kk++)
            {
                var bv = tileB[kk * 16 + tx];
                acc0 += tileA[(ty * 4 + 0) * 16 + kk] * bv;
                acc1 += tileA[(ty * 4 + 1) * 16 + kk] * bv;
                acc2 += tileA[(ty * 4 + 2) * 16 + kk] * bv;
                acc3 += tileA[(ty * 4 + 3) * 16 + kk] * bv;
            }
            Workgroup.Barrier();
        }
        var col4 = col0 / 4 + tx;
        if (col4 >= n4) return;
        var row = row0 + ty * 4;
        if (row + 0 < m) c[(row + 0) * n4 + col4] = acc0;
        if (row + 1 < m) c[(row + 1) * n4 + col4] = acc1;
        if (row + 2 < m) c[(row + 2) * n4 + col4] = acc2;
        if (row + 3 < m) c[(row + 3) * n4 + col4] = acc3;
    }

    public static readonly KernelInfo MatmulTiledKernel = new()
    {
        Name = "KernelGen.Benchmarks.BenchKernels.MatmulTiled",
        SourceLocation = "BenchKernels.cs(120)",
        Wgsl = """
            struct Dims { m: i32, n: i32, k: i32 }
            @group(0) @binding(0) var<storage, read> a: array<f32>;
            @group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
            @group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
            @group(0) @binding(3) var<uniform> d: Dims;
            var<workgroup> tileA: array<f32, 1024>;
            var<workgroup> tileB: array<vec4<f32>, 256>;
            @compute @workgroup_size(16, 16)
            fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
                let tx = i32(lid.x);
                let ty = i32(lid.y);
                let t = ty * 16 + tx;
                let row0 = i32(wid.y) * 64;
                let col0 = i32(wid.x) * 64;
                let n4 = d.n / 4;
                var acc0 = vec4<f32>(0.0);
                var acc1 = vec4<f32>(0.0);
                var acc2 = vec4<f32>(0.0);
                var acc3 = vec4<f32>(0.0);
                for (var k0 = 0; k0 < d.k; k0 = k0 + 16) {
                    for (var i = 0; i < 4; i = i + 1) {
                        let idx = t + i * 256;
                        let ar = row0 + idx / 16;
                        let ak = k0 + idx % 16;
                        if (ar < d.m && ak < d.k) { tileA[idx] = a[ar * d.k + ak]; } else { tileA[idx] = 0.0; }
                    }
                    let bk = k0 + t / 16;
                    let bc4 = col0 / 4 + t % 16;
                    if (bk < d.k && bc4 < n4) { tileB[t] = b[bk * n4 + bc4]; } else { tileB[t] = vec4<f32>(0.0); }
                    workgroupBarrier();
                    for (var kk = 0; kk < 16; kk = kk + 1) {
                        let bv = tileB[kk * 16 + tx];
                        acc0 = acc0 + tileA[(ty * 4 + 0) * 16 + kk] * bv;
                        acc1 = acc1 + tileA[(ty * 4 + 1) * 16 + kk] * bv;
                        acc2 = acc2 + tileA[(ty * 4 + 2) * 16 + kk] * bv;
                        acc3 = acc3 + tileA[(ty * 4 + 3) * 16 + kk] * bv;
                    }
                    workgroupBarrier();
                }
                let col4 = col0 / 4 + tx;
                if (col4 >= n4) { return; }
                let row = row0 + ty * 4;
                if (row + 0 < d.m) { c[(row + 0) * n4 + col4] = acc0; }
                if (row + 1 < d.m) { c[(row + 1) * n4 + col4] = acc1; }
                if (row + 2 < d.m) { c[(row + 2) * n4 + col4] = acc2; }
                if (row + 3 < d.m) { c[(row + 3) * n4 + col4] = acc3; }
            }
            """,
        EntryPoint = "main",
        WorkgroupSizeX = 16,
        WorkgroupSizeY = 16,
        WorkgroupSizeZ = 1,
        Bindings =
        [
            new(0, "a", BindingKind.ReadOnlyStorage, typeof(float), 4),
            new(1, "b", BindingKind.ReadOnlyStorage, typeof(Vector4), 16),
            new(2, "c", BindingKind.Storage, typeof(Vector4), 16),
            new(3, "uniforms", BindingKind.Uniform, null, 12),
        ],
        UniformSize = 12,
        SharedArrays = [new GroupSharedArray("tileA", 4, 1024), new GroupSharedArray("tileB", 16, 256)],
        UsesBarriers = true,
        Cpu = static (in CpuInvocation inv) => MatmulTiled(inv.Local, inv.Group, inv.ReadOnlyBuffer<float>(0), inv.ReadOnlyBuffer<Vector4>(1), inv.Buffer<Vector4>(2),
            inv.Shared<float>(0), inv.Shared<Vector4>(1), inv.Uniform<int>(0), inv.Uniform<int>(4), inv.Uniform<int>(8)),
    };

    /// <summary>Dispatches the matmul for M x K times K x N.</summary>
    public static void Matmul(GpuStream stream, KernelInfo kernel, GpuBuffer<float> a, GpuBuffer<Vector4> b, GpuBuffer<Vector4> c, int m, int n, int k)
    {
        Span<byte> uniforms = stackalloc byte[12];
        BitConverter.TryWriteBytes(uniforms, m);
        BitConverter.TryWriteBytes(uniforms[4..], n);
        BitConverter.TryWriteBytes(uniforms[8..], k);
        var grid = ReferenceEquals(kernel, MatmulTiledKernel)
            ? Grid.Groups((n + 63) / 64, (m + 63) / 64)
            : Grid.Threads(n / 4, (m + 3) / 4);
        stream.Dispatch(kernel, [a, b, c], uniforms, grid);
    }

    /// <summary>Dispatches y = scale * x + bias.</summary>
    public static void AxpbDispatch(GpuStream stream, GpuBuffer<float> x, GpuBuffer<float> y, float scale, float bias)
    {
        Span<byte> uniforms = stackalloc byte[8];
        BitConverter.TryWriteBytes(uniforms, scale);
        BitConverter.TryWriteBytes(uniforms[4..], bias);
        stream.Dispatch(AxpbKernel, [x, y], uniforms, y.Length);
    }
}
