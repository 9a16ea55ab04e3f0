using KernelGen.Corpus;
using KernelGen.Runtime.Tests.CorpusTests;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The CPU backend's subgroup emulation at other sizes than the adapter's (32 by default, 4, and 64: a subgroup larger
/// than the workgroup, so partial), against the same plain C# model; the size option; the missing-feature error.
/// </summary>
public class SubgroupEmulationTests
{
    private static GpuDevice Cpu(int? size) => GpuDevice.Create(new GpuDeviceOptions
    {
        Backend = GpuBackend.Cpu,
        CpuSubgroupSize = size,
        WaitTimeout = NativeDeviceFixture.WaitTimeout,
    });

    [Theory]
    [InlineData(null, 32)]
    [InlineData(4, 4)]
    [InlineData(64, 64)]
    public void Cpu_lane_reads_votes_and_reductions_follow_the_emulated_size(int? option, int size)
    {
        using var device = Cpu(option);
        Assert.True(device.Features.Subgroups);
        Assert.Equal(size, device.Features.SubgroupMinSize);
        Assert.Equal(size, device.Features.SubgroupMaxSize);

        var x = new SeededInputs(4601).Ints(128, -1000, 1000);
        ResultComparison.Exact<int>(SubgroupsCorpusTests.LaneReadsModel(x, 5, size), SubgroupsCorpusTests.LaneReads(device, x, 5), "lane reads");
        ResultComparison.Exact<int>(SubgroupsCorpusTests.LaneReadsModel(x, 40, size), SubgroupsCorpusTests.LaneReads(device, x, 40), "lane reads of lane 40");

        var votes = new SeededInputs(4602).Ints(64, -30, 100);
        ResultComparison.Exact<uint>(SubgroupsCorpusTests.VotesModel(votes, size), SubgroupsCorpusTests.Votes(device, votes), "votes");

        var small = new SeededInputs(4603).Ints(100, -40, 40);
        var (ints, uints) = SubgroupsCorpusTests.IntReductions(device, small);
        var model = SubgroupsCorpusTests.IntReductionsModel(small, 100, 128, size);
        ResultComparison.Exact<int>(model.Ints, ints, "ints");
        ResultComparison.Exact<uint>(model.UInts, uints, "uints");

        var floats = new SeededInputs(4604).Ints(96, -8, 9).Select(v => (float)v).ToArray();
        var (y, v) = SubgroupsCorpusTests.Scans(device, floats);
        var scans = SubgroupsCorpusTests.ScansModel(floats, size);
        ResultComparison.Close(scans.Y, y, FloatTolerance.Exact, "scans");
        ResultComparison.Exact<System.Numerics.Vector4>(scans.V, v, "vector reductions");
    }

    [Fact]
    public void Partial_subgroups_leave_out_the_missing_lanes()
    {
        // Workgroups of 32 in subgroups of 64: lanes 32-63 do not exist, so a read of lane 40 keeps the own value and
        // the ballot's second word is empty.
        using var device = Cpu(64);
        var x = Enumerable.Range(1, 64).ToArray();
        var votes = SubgroupsCorpusTests.Votes(device, x);
        for (var i = 0; i < 64; i++)
        {
            Assert.Equal(uint.MaxValue, votes[i * 4]);
            Assert.Equal(0u, votes[i * 4 + 1]);
            Assert.Equal(i % 32 == 0 ? 1u : 0u, votes[i * 4 + 2]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    [InlineData(256)]
    public void Cpu_subgroup_size_must_be_a_power_of_two_from_4_to_128(int size)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu(size).Dispose());
        Assert.Contains("CpuSubgroupSize", error.Message);
        Assert.Contains("powers of two from 4 to 128", error.Message);
    }

    [Fact]
    public void Subgroup_operation_outside_a_dispatch_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Subgroup.Add(1f));
        Assert.Contains("inside a kernel dispatch", error.Message);
    }

    [Fact]
    public void Subgroup_kernel_on_a_device_without_the_feature_names_the_kernel_and_the_feature()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WithoutSubgroups = true, WaitTimeout = NativeDeviceFixture.WaitTimeout });
        Assert.False(device.Features.Subgroups);
        var kernel = CorpusCatalog.Kernels.Single(k => k.Name == "KernelGen.Corpus.Subgroups.SubgroupSums");
        Assert.True(kernel.UsesSubgroups);
        // The one feature check of every backend (KernelInfo.RequiredFeatures lists "subgroups").
        var error = Assert.Throws<GpuFeatureNotSupportedException>(() => device.Compile(kernel));
        Assert.Contains("KernelGen.Corpus.Subgroups.SubgroupSums", error.Message);
        Assert.Equal("subgroups", error.Feature);
        Assert.Contains("'subgroups'", error.Message);

        // At a dispatch as well, before any shader module reaches Dawn.
        using var x = device.Upload<float>(new float[64]);
        using var sums = device.Allocate<float>(64);
        using var stream = device.CreateStream();
        var atDispatch = Assert.ThrowsAny<Exception>(() =>
        {
            Subgroups.Gpu.SubgroupSums(stream, x, sums, 64);
            stream.Synchronize();
        });
        Assert.Contains("'subgroups'", atDispatch.Message);
        Assert.DoesNotContain("enable", atDispatch.Message); // not Dawn's WGSL error about the enable directive
    }

    [Fact]
    public void Kernels_without_subgroups_do_not_say_they_use_them()
    {
        Assert.False(CorpusCatalog.Kernels.Single(k => k.Name == "KernelGen.Corpus.Workgroups.BlockSum").UsesSubgroups);
        Assert.All(CorpusCatalog.Kernels.Where(k => k.Name.StartsWith("KernelGen.Corpus.Subgroups.", StringComparison.Ordinal)), k =>
        {
            Assert.True(k.UsesSubgroups, k.Name);
            Assert.Contains("enable subgroups;", k.Wgsl);
            Assert.Null(k.CpuPhased);
        });
    }
}
