using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Conditional expressions whose branches call helpers that write buffers, on Dawn and on the CPU
/// backend: only the branch C# takes may run (WGSL select() would run both and log every call).
/// </summary>
public class LazyConditionalsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(LazyConditionals), nameof(LazyConditionals.LoggedChoice))]
    public void LoggedChoice_runs_only_the_helper_of_the_taken_branch()
    {
        const int N = 70;
        var x = new SeededInputs(1701).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var log = device.Upload<int>(new int[3 * N]);
            using var stream = device.CreateStream();
            LazyConditionals.Gpu.LoggedChoice(stream, gx, y, log, N);
            stream.Synchronize();
            return (Y: y.ToArray(), Log: log.ToArray());
        });
        var expectedLog = new int[3 * N];
        var expectedY = new float[N];
        for (int i = 0; i < N; i++)
        {
            expectedLog[3 * i] = i % 2 == 0 ? 1 : 0;
            expectedLog[3 * i + 1] = i % 3 == 0 ? 1 : 0;
            expectedLog[3 * i + 2] = i % 8 == 0 ? 1 : 0;
            float v = i % 2 == 0 ? 2f * x[i] : -x[i];
            expectedY[i] = (i % 3 == 0 ? 2f * v : v) + (i % 4 == 0 ? 2f : 0f);
        }
        ResultComparison.Exact<int>(expectedLog, cpu.Log, "log (CPU)");
        ResultComparison.Exact<int>(expectedLog, native.Log, "log (Dawn)");
        ResultComparison.Close(cpu.Y, native.Y, FloatTolerance.Exact, "y");
        ResultComparison.Close(expectedY, native.Y, FloatTolerance.Exact, "y vs C# expectation");
    }

    [Fact]
    [CorpusCase(typeof(LazyConditionals), nameof(LazyConditionals.CountedConditions))]
    public void CountedConditions_calls_helpers_in_loop_and_else_if_conditions_only_when_taken()
    {
        const int N = 70;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var calls = device.Upload<int>(new int[4 * N]);
            using var results = device.Upload<int>(new int[4 * N]);
            using var stream = device.CreateStream();
            LazyConditionals.Gpu.CountedConditions(stream, calls, results, N, N);
            stream.Synchronize();
            return (Calls: calls.ToArray(), Results: results.ToArray());
        });
        var expectedCalls = new int[4 * N];
        var expectedResults = new int[4 * N];
        for (int i = 0; i < N; i++)
        {
            // while: with the helper, k counts to 4 (4 true calls and the false one); else to 2.
            expectedResults[4 * i] = i % 3 == 0 ? 4 : 2;
            expectedCalls[4 * i] = i % 3 == 0 ? 5 : 0;
            // do-while: the condition runs after each pass: m = 1, 2, 3.
            expectedResults[4 * i + 1] = i % 2 == 1 ? 3 : 1;
            expectedCalls[4 * i + 1] = i % 2 == 1 ? 3 : 0;
            // for: j = 0..4 summed (6 condition calls) or j = 0 only.
            expectedResults[4 * i + 2] = i % 4 == 0 ? 10 : 0;
            expectedCalls[4 * i + 2] = i % 4 == 0 ? 6 : 0;
            // else-if: its condition runs only when the first if fails.
            expectedResults[4 * i + 3] = i == 1 ? 10 : i % 5 == 0 ? 20 : 30;
            expectedCalls[4 * i + 3] = i != 1 && i % 5 == 0 ? 1 : 0;
        }
        ResultComparison.Exact<int>(expectedCalls, cpu.Calls, "calls (CPU)");
        ResultComparison.Exact<int>(expectedResults, cpu.Results, "results (CPU)");
        ResultComparison.Exact<int>(expectedCalls, native.Calls, "calls (Dawn)");
        ResultComparison.Exact<int>(expectedResults, native.Results, "results (Dawn)");
    }
}
