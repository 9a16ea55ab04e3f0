using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Ids.cs on Dawn and on the CPU backend: built-in ids, checked against their definitions.</summary>
public class IdsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Ids), nameof(Ids.Volume3D))]
    public void Volume3D_writes_every_global_id_once()
    {
        const int Width = 9, Height = 6, Depth = 5; // none a multiple of the 4x4x4 workgroup
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var volume = device.Allocate<int>(Width * Height * Depth);
            using var stream = device.CreateStream();
            Ids.Gpu.Volume3D(stream, volume, Width, Height, Depth, Grid.Threads(Width, Height, Depth));
            stream.Synchronize();
            return volume.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "volume");
        var expected = new int[Width * Height * Depth];
        for (var z = 0; z < Depth; z++)
            for (var y = 0; y < Height; y++)
                for (var x = 0; x < Width; x++)
                    expected[(z * Height + y) * Width + x] = x + 100 * y + 10000 * z;
        ResultComparison.Exact<int>(expected, native, "volume vs ids");
    }

    [Fact]
    [CorpusCase(typeof(Ids), nameof(Ids.AllIds))]
    public void AllIds_local_group_and_count_ids()
    {
        const int GroupsX = 3, GroupsY = 2, Width = GroupsX * 8, Threads = Width * GroupsY * 2;
        const int Length = Threads * 4 - 3; // the last invocation is guarded out
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var output = device.Allocate<int>(Length);
            using var stream = device.CreateStream();
            Ids.Gpu.AllIds(stream, output, Grid.Groups(GroupsX, GroupsY));
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        var expected = new int[Length];
        for (var flat = 0; flat < Threads - 1; flat++)
        {
            int x = flat % Width, y = flat / Width;
            expected[flat * 4] = x % 8 + 10 * (y % 2);
            expected[flat * 4 + 1] = x % 8 + 8 * (y % 2);
            expected[flat * 4 + 2] = x / 8 + 10 * (y / 2);
            expected[flat * 4 + 3] = GroupsX * GroupsY;
        }
        ResultComparison.Exact<int>(expected, native, "output vs ids");
    }

    [Fact]
    [CorpusCase(typeof(Ids), nameof(Ids.IdsInHelpers))]
    public void IdsInHelpers_see_the_callers_ids()
    {
        const int GroupsX = 3, GroupsY = 2, Width = GroupsX * 8, Threads = Width * GroupsY * 2;
        const int Length = Threads * 4 - 3; // the last invocation is guarded out
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var output = device.Allocate<int>(Length);
            using var stream = device.CreateStream();
            Ids.Gpu.IdsInHelpers(stream, output, Grid.Groups(GroupsX, GroupsY));
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        var expected = new int[Length];
        for (var flat = 0; flat < Threads - 1; flat++)
        {
            int x = flat % Width, y = flat / Width, lx = x % 8;
            expected[flat * 4] = lx + 10 * (y % 2);
            expected[flat * 4 + 1] = lx + 8 * (y % 2);
            expected[flat * 4 + 2] = x / 8 + 10 * (y / 2);
            expected[flat * 4 + 3] = lx * 10 + x % 3; // LocalCode(l, 0) = l.X > k for every k < l.X
        }
        ResultComparison.Exact<int>(expected, native, "output vs ids");
    }

    [Fact]
    [CorpusCase(typeof(Ids), nameof(Ids.Transpose))]
    public void Transpose_of_a_non_square_matrix()
    {
        const int Rows = 19, Columns = 23;
        var input = new SeededInputs(701).Floats(Rows * Columns);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var output = device.Allocate<float>(Rows * Columns);
            using var stream = device.CreateStream();
            Ids.Gpu.Transpose(stream, gi, output, Rows, Columns, Grid.Threads(Columns, Rows));
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "output"); // copies only
        var expected = new float[Rows * Columns];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
                expected[c * Rows + r] = input[r * Columns + c];
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "output vs transpose");
    }
}
