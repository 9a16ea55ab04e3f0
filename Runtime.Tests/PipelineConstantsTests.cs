namespace KernelGen.Runtime.Tests;

/// <summary>WGSL <c>override</c> constants get the values given at the dispatch: one pipeline per distinct set, natively and on the CPU.</summary>
public class PipelineConstantsTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    internal static readonly KernelInfo Scaled = TestKernels.Make("OverrideScale", """
        override scale: f32 = 1.0;
        override shift: i32 = 0;
        @group(0) @binding(0) var<storage, read> x: array<f32>;
        @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            let i = i32(id.x);
            if (i >= i32(arrayLength(&y))) { return; }
            y[i] = x[i] * scale + f32(shift);
        }
        """, 64, [new(0, "x", BindingKind.ReadOnlyStorage, typeof(float), 4), new(1, "y", BindingKind.Storage, typeof(float), 4)],
        static (in CpuInvocation inv) =>
        {
            var i = inv.Thread.X;
            var y = inv.Buffer<float>(1);
            if (i >= y.Length) return;
            y[i] = inv.ReadOnlyBuffer<float>(0)[i] * (float)inv.Constant("scale", 1.0) + (int)inv.Constant("shift", 0);
        });

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Override_constants_take_the_values_of_each_dispatch(GpuBackend backend)
    {
        var device = backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;
        using var x = device.Upload<float>([1f, 2f, 3f]);
        using var a = device.Allocate<float>(3);
        using var b = device.Allocate<float>(3);
        using var c = device.Allocate<float>(3);
        using var d = device.Allocate<float>(3);
        using var stream = device.CreateStream();
        stream.Dispatch(Scaled, [x, a], [], 3);                                                          // WGSL defaults
        stream.Dispatch(Scaled, [x, b], [], 3, PipelineConstants.Of(("scale", 2.5)));
        stream.Dispatch(Scaled, [x, c], [], 3, PipelineConstants.Of(("shift", -4), ("scale", -1)));
        using var graph = stream.Capture(s => s.Dispatch(Scaled, [x, d], [], 3, PipelineConstants.Of(("scale", -1), ("shift", -4))));
        graph.Replay();
        stream.Synchronize();
        Assert.Equal([1f, 2f, 3f], a.ToArray());
        Assert.Equal([2.5f, 5f, 7.5f], b.ToArray());
        Assert.Equal([-5f, -6f, -7f], c.ToArray());
        Assert.Equal([-5f, -6f, -7f], d.ToArray());
    }

    [Fact]
    public void Equal_sets_are_one_key_regardless_of_order_and_bad_sets_are_refused()
    {
        Assert.Equal(PipelineConstants.Of(("a", 1), ("b", 2)), PipelineConstants.Of(("b", 2), ("a", 1)));
        Assert.Equal(PipelineConstants.Of(("a", 1), ("b", 2)).GetHashCode(), PipelineConstants.Of(("b", 2), ("a", 1)).GetHashCode());
        Assert.NotEqual(PipelineConstants.Of(("a", 1)), PipelineConstants.Of(("a", 2)));
        Assert.Equal(new PipelineKey(Scaled, PipelineConstants.Of(("scale", 2))), new PipelineKey(Scaled, PipelineConstants.Of(("scale", 2))));
        Assert.NotEqual(new PipelineKey(Scaled, PipelineConstants.Empty), new PipelineKey(TestKernels.VectorAdd, PipelineConstants.Empty));
        Assert.Throws<ArgumentException>(() => PipelineConstants.Of(("a", 1), ("a", 2)));
        Assert.Throws<ArgumentException>(() => PipelineConstants.Of(("a", double.NaN)));
    }

    [Fact]
    public void An_unknown_constant_name_is_refused_by_the_device_with_the_kernel_named()
    {
        using var x = fixture.Device.Upload<float>([1f]);
        using var y = fixture.Device.Allocate<float>(1);
        using var stream = fixture.Device.CreateStream();
        var error = Assert.Throws<GpuCompilationException>(() => stream.Dispatch(Scaled, [x, y], [], 1, PipelineConstants.Of(("no_such_constant", 1))));
        Assert.Contains("OverrideScale", error.Message);
        Assert.Contains("no_such_constant", error.Message);
    }
}
