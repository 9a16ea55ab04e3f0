using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Uniformity.cs: barriers next to uniform exits (break, continue, switch, a barrier helper in a
/// conditional's branch and after &amp;&amp;), which Dawn's uniformity analysis accepts, on Dawn and the CPU against
/// plain C#.
/// </summary>
public class UniformityCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Theory]
    [CorpusCase(typeof(Uniformity), nameof(Uniformity.UniformExits))]
    [InlineData(0, 0)]
    [InlineData(3, 1)]
    [InlineData(5, 3)]
    [InlineData(8, 2)]
    public void UniformExits_runs_every_exit_as_CSharp_does(int rounds, int mode)
    {
        const int Groups = 3, N = Groups * 64;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Uniformity.Gpu.UniformExits(stream, y, rounds, mode, Grid.Groups(Groups));
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = new float[N];
        for (int g = 0; g < Groups; g++)
        {
            for (int lane = 0; lane < 64; lane++)
            {
                float T(int i) => i + 64 * g;
                float acc = 0f;
                for (int k = 0; k < 8 && k != rounds; k++)
                    acc += T((lane + k) % 64) + (mode == 3 ? 0f : 0.5f);
                acc += mode == 1 ? T(63 - lane) : 2f;
                float extra = rounds > 2 ? T((lane + 1) % 64) : -1f;
                if (mode > 0)
                    acc += extra;
                expected[g * 64 + lane] = acc + extra;
            }
        }
        ResultComparison.Exact<float>(cpu, native, "y");
        ResultComparison.Exact<float>(expected, native, "y vs C#");
    }

    [Fact]
    [CorpusCase(typeof(Uniformity), nameof(Uniformity.ReconvergingExits))]
    public void ReconvergingExits_waits_after_each_early_exit_as_CSharp_does()
    {
        const int Groups = 2, N = Groups * 64;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Upload(new float[N]);
            using var stream = device.CreateStream();
            Uniformity.Gpu.ReconvergingExits(stream, y, Grid.Groups(Groups));
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = new float[N];
        for (int g = 0; g < Groups; g++)
        {
            for (int lane = 0; lane < 64; lane++)
            {
                float acc = (lane + 1) % 64 % 5 + (63 - lane) % 5;
                acc += lane % 3 == 0 ? 1f : lane % 3 == 1 ? 2f : 0f;
                acc += 2 * 0.25f * (lane % 4 + 1);
                expected[g * 64 + lane] = acc + (lane % 2 == 0 ? lane * 2f : 0f);
            }
        }
        ResultComparison.Exact<float>(cpu, native, "y");
        ResultComparison.Exact<float>(expected, native, "y vs C#");
    }
}
