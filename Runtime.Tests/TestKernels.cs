using System.Collections.Immutable;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// Kernels written by hand the way the generator emits them (WGSL + a CPU body calling a C# method),
/// until the generator lands.
/// </summary>
internal static class TestKernels
{
    public static KernelInfo Make(string name, string wgsl, int wx, KernelBinding[] bindings, CpuKernelBody cpu,
        int uniformSize = 0, int wy = 1, int wz = 1, GroupSharedArray[]? shared = null, bool barriers = false, string entry = "main")
        => new()
        {
            Name = $"KernelGen.Runtime.Tests.TestKernels.{name}",
            SourceLocation = $"TestKernels.cs({name})",
            Wgsl = wgsl,
            EntryPoint = entry,
            WorkgroupSizeX = wx,
            WorkgroupSizeY = wy,
            WorkgroupSizeZ = wz,
            Bindings = [.. bindings],
            UniformSize = uniformSize,
            SharedArrays = shared is null ? [] : [.. shared],
            UsesBarriers = barriers,
            Cpu = cpu,
        };

    // ---- c[i] = a[i] + b[i] (int) ----
    public static void AddInts(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> c)
    {
        var i = id.X;
        if (i >= c.Length) return;
        c[i] = a[i] + b[i];
    }

    public static readonly KernelInfo VectorAdd = Make("AddInts", """
        @group(0) @binding(0) var<storage, read> a: array<i32>;
        @group(0) @binding(1) var<storage, read> b: array<i32>;
        @group(0) @binding(2) var<storage, read_write> c: array<i32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            let i = i32(id.x);
            if (i >= i32(arrayLength(&c))) { return; }
            c[i] = a[i] + b[i];
        }
        """, 64,
        [new(0, "a", BindingKind.ReadOnlyStorage, typeof(int), 4), new(1, "b", BindingKind.ReadOnlyStorage, typeof(int), 4), new(2, "c", BindingKind.Storage, typeof(int), 4)],
        static (in CpuInvocation inv) => AddInts(inv.Thread, inv.ReadOnlyBuffer<int>(0), inv.ReadOnlyBuffer<int>(1), inv.Buffer<int>(2)));

    // ---- y[i] = scale * x[i] + bias (float, uniforms) ----
    public static void Scale(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float scale, float bias)
    {
        var i = id.X;
        if (i >= y.Length) return;
        y[i] = scale * x[i] + bias;
    }

    public static readonly KernelInfo ScaleBias = Make("Scale", """
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
        """, 64,
        [new(0, "x", BindingKind.ReadOnlyStorage, typeof(float), 4), new(1, "y", BindingKind.Storage, typeof(float), 4), new(2, "uniforms", BindingKind.Uniform, null, 8)],
        static (in CpuInvocation inv) => Scale(inv.Thread, inv.ReadOnlyBuffer<float>(0), inv.Buffer<float>(1), inv.Uniform<float>(0), inv.Uniform<float>(4)),
        uniformSize: 8);

    public static byte[] ScaleUniforms(float scale, float bias)
    {
        var bytes = new byte[8];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), scale);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), bias);
        return bytes;
    }

    // ---- 2D: out[y * width + x] = x * 1000 + y + groups.x * 1000000 (ids and group counts) ----
    public static void Ids2D(ThreadId id, GroupCount groups, Span<uint> output, int width, int height)
    {
        if (id.X >= width || id.Y >= height) return;
        output[id.Y * width + id.X] = (uint)(id.X * 1000 + id.Y + groups.X * 1000000 + groups.Y * 100000000);
    }

    public static readonly KernelInfo TwoD = Make("Ids2D", """
        struct Uniforms { width: i32, height: i32 }
        @group(0) @binding(0) var<storage, read_write> output: array<u32>;
        @group(0) @binding(1) var<uniform> u: Uniforms;
        @compute @workgroup_size(8, 4)
        fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
            let x = i32(gid.x);
            let y = i32(gid.y);
            if (x >= u.width || y >= u.height) { return; }
            output[y * u.width + x] = u32(x * 1000 + y + i32(groups.x) * 1000000 + i32(groups.y) * 100000000);
        }
        """, 8,
        [new(0, "output", BindingKind.Storage, typeof(uint), 4), new(1, "uniforms", BindingKind.Uniform, null, 8)],
        static (in CpuInvocation inv) => Ids2D(inv.Thread, inv.Groups, inv.Buffer<uint>(0), inv.Uniform<int>(0), inv.Uniform<int>(4)),
        uniformSize: 8, wy: 4);

    // ---- shared-memory tree reduction with barriers: sums[group] = sum of x over the group's 64 elements ----
    public static void BlockSum(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<int> x, Span<int> sums, Span<int> tile)
    {
        var i = id.X;
        tile[local.X] = i < x.Length ? x[i] : 0;
        Workgroup.Barrier();
        for (var stride = 32; stride > 0; stride >>= 1)
        {
            if (local.X < stride) tile[local.X] += tile[local.X + stride];
            Workgroup.Barrier();
        }
        if (local.X == 0 && group.X < sums.Length) sums[group.X] = tile[0];
    }

    public static readonly KernelInfo Reduction = Make("BlockSum", """
        @group(0) @binding(0) var<storage, read> x: array<i32>;
        @group(0) @binding(1) var<storage, read_write> sums: array<i32>;
        var<workgroup> tile: array<i32, 64>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
            let i = i32(gid.x);
            let l = i32(lid.x);
            if (i < i32(arrayLength(&x))) { tile[l] = x[i]; } else { tile[l] = 0; }
            workgroupBarrier();
            for (var stride = 32; stride > 0; stride = stride >> 1u) {
                if (l < stride) { tile[l] = tile[l] + tile[l + stride]; }
                workgroupBarrier();
            }
            if (l == 0 && i32(wid.x) < i32(arrayLength(&sums))) { sums[wid.x] = tile[0]; }
        }
        """, 64,
        [new(0, "x", BindingKind.ReadOnlyStorage, typeof(int), 4), new(1, "sums", BindingKind.Storage, typeof(int), 4)],
        static (in CpuInvocation inv) => BlockSum(inv.Thread, inv.Local, inv.Group, inv.ReadOnlyBuffer<int>(0), inv.Buffer<int>(1), inv.Shared<int>(0)),
        shared: [new GroupSharedArray("tile", 4, 64)], barriers: true);

    // ---- float math with transcendental functions: y = silu(x) ----
    public static void Silu(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = id.X;
        if (i >= y.Length) return;
        var v = x[i];
        y[i] = v / (1f + MathF.Exp(-v));
    }

    public static readonly KernelInfo SiluKernel = Make("Silu", """
        @group(0) @binding(0) var<storage, read> x: array<f32>;
        @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            let i = i32(id.x);
            if (i >= i32(arrayLength(&y))) { return; }
            let v = x[i];
            y[i] = v / (1.0 + exp(-v));
        }
        """, 64,
        [new(0, "x", BindingKind.ReadOnlyStorage, typeof(float), 4), new(1, "y", BindingKind.Storage, typeof(float), 4)],
        static (in CpuInvocation inv) => Silu(inv.Thread, inv.ReadOnlyBuffer<float>(0), inv.Buffer<float>(1)));

    // ---- 2D shared-memory transpose: output (cols x rows) = input (rows x cols)^T, 16x16 tiles, barrier ----
    public static void Transpose(LocalId local, GroupId group, ReadOnlySpan<float> input, Span<float> output, Span<float> tile, int rows, int cols)
    {
        var x = group.X * 16 + local.X; // column in input
        var y = group.Y * 16 + local.Y; // row in input
        tile[local.Y * 17 + local.X] = x < cols && y < rows ? input[y * cols + x] : 0f;
        Workgroup.Barrier();
        var ox = group.Y * 16 + local.X; // column in output = row in input
        var oy = group.X * 16 + local.Y; // row in output = column in input
        if (ox < rows && oy < cols) output[oy * rows + ox] = tile[local.X * 17 + local.Y];
    }

    public static readonly KernelInfo TransposeKernel = Make("Transpose", """
        struct Uniforms { rows: i32, cols: i32 }
        @group(0) @binding(0) var<storage, read> input: array<f32>;
        @group(0) @binding(1) var<storage, read_write> output: array<f32>;
        @group(0) @binding(2) var<uniform> u: Uniforms;
        var<workgroup> tile: array<f32, 272>;
        @compute @workgroup_size(16, 16)
        fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
            let lx = i32(lid.x);
            let ly = i32(lid.y);
            let x = i32(wid.x) * 16 + lx;
            let y = i32(wid.y) * 16 + ly;
            if (x < u.cols && y < u.rows) { tile[ly * 17 + lx] = input[y * u.cols + x]; } else { tile[ly * 17 + lx] = 0.0; }
            workgroupBarrier();
            let ox = i32(wid.y) * 16 + lx;
            let oy = i32(wid.x) * 16 + ly;
            if (ox < u.rows && oy < u.cols) { output[oy * u.rows + ox] = tile[lx * 17 + ly]; }
        }
        """, 16,
        [new(0, "input", BindingKind.ReadOnlyStorage, typeof(float), 4), new(1, "output", BindingKind.Storage, typeof(float), 4), new(2, "uniforms", BindingKind.Uniform, null, 8)],
        static (in CpuInvocation inv) => Transpose(inv.Local, inv.Group, inv.ReadOnlyBuffer<float>(0), inv.Buffer<float>(1), inv.Shared<float>(0), inv.Uniform<int>(0), inv.Uniform<int>(4)),
        uniformSize: 8, wy: 16, shared: [new GroupSharedArray("tile", 4, 272)], barriers: true);

    /// <summary>A kernel whose WGSL has a type error on line 4.</summary>
    public static readonly KernelInfo BadWgsl = Make("Broken", """
        @group(0) @binding(0) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            let v: f32 = vec2<i32>(1, 2);
            y[id.x] = v;
        }
        """, 64,
        [new(0, "y", BindingKind.Storage, typeof(float), 4)],
        static (in CpuInvocation inv) => { });

    /// <summary>A CPU body that throws (index out of range at thread 5).</summary>
    public static readonly KernelInfo ThrowsOnCpu = Make("Throws", VectorAdd.Wgsl, 64, [.. VectorAdd.Bindings],
        static (in CpuInvocation inv) =>
        {
            if (inv.Thread.X == 5) throw new InvalidOperationException("index 99 is outside the span");
        });
}
