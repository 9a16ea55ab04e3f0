// Corpus: conditional expressions whose branches call helpers with side effects. C# evaluates only the
// branch it takes, so these become if/else (WGSL select() would run both helpers).
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class LazyConditionals
{
    /// <summary>
    /// Each helper call logs itself in a buffer: the log shows which branches ran. Two conditionals
    /// in one expression (run in order), one nested in a branch of another, one in a declaration.
    /// </summary>
    [Kernel]
    public static void LoggedChoice(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<int> log)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v = i % 2 == 0 ? Logged(log, 3 * i, x[i]) : -x[i];
        y[i] = (i % 3 == 0 ? Logged(log, 3 * i + 1, v) : v) + (i % 4 == 0 ? (i % 8 == 0 ? Logged(log, 3 * i + 2, 1f) : 2f) : 0f);
    }

    /// <summary>Helper calls in conditionals in while, do-while and for conditions and an else-if condition.</summary>
    [Kernel]
    public static void CountedConditions(ThreadId id, Span<int> calls, Span<int> results, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        int k = 0;
        while (i % 3 == 0 ? Tick(calls, 4 * i, k < 4) : k < 2)
            k++;
        int m = 0;
        do
        {
            m++;
        }
        while (i % 2 == 1 ? Tick(calls, 4 * i + 1, m < 3) : false);
        int s = 0;
        for (int j = 0; i % 4 == 0 ? Tick(calls, 4 * i + 2, j < 5) : j < 1; j++)
            s += j;
        int e;
        if (i == 1)
            e = 10;
        else if (i % 5 == 0 ? Tick(calls, 4 * i + 3, true) : false)
            e = 20;
        else
            e = 30;
        results[4 * i] = k;
        results[4 * i + 1] = m;
        results[4 * i + 2] = s;
        results[4 * i + 3] = e;
    }

    private static float Logged(Span<int> log, int slot, float value)
    {
        log[slot] = 1;
        return 2f * value;
    }

    private static bool Tick(Span<int> calls, int slot, bool value)
    {
        calls[slot] += 1;
        return value;
    }
}
