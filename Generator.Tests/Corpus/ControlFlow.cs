// Corpus: statements (loops, switch, break/continue, early return, compound assignment).
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class ControlFlow
{
    /// <summary>Maps an integer code to a value with a switch (grouped cases, default).</summary>
    [Kernel]
    public static void SwitchOnCode(ThreadId id, ReadOnlySpan<int> codes, Span<float> values)
    {
        int i = id.X;
        if (i >= codes.Length)
            return;
        float v;
        switch (codes[i])
        {
            case 0:
                v = 1f;
                break;
            case 1:
            case 2:
                v = 2.5f;
                break;
            case -1:
                v = -1f;
                break;
            default:
                v = 0f;
                break;
        }
        values[i] = v;
    }

    /// <summary>Switch over uint without default; a case that returns.</summary>
    [Kernel]
    public static void SwitchWithoutDefault(ThreadId id, ReadOnlySpan<uint> codes, Span<uint> output)
    {
        int i = id.X;
        if (i >= codes.Length)
            return;
        uint result = 7u;
        switch (codes[i])
        {
            case 3u:
                result = 30u;
                break;
            case 4u:
                output[i] = 40u;
                return;
        }
        output[i] = result;
    }

    /// <summary>Collatz steps (bounded): while loop with break, do/while, modulo.</summary>
    [Kernel]
    public static void CollatzSteps(ThreadId id, ReadOnlySpan<int> start, Span<int> steps, int maxSteps)
    {
        int i = id.X;
        if (i >= start.Length)
            return;
        int n = start[i];
        int count = 0;
        while (n != 1)
        {
            if (count >= maxSteps)
                break;
            n = n % 2 == 0 ? n / 2 : 3 * n + 1;
            count++;
        }
        steps[i] = count;
    }

    /// <summary>Digit sum with do/while (runs at least once, also for 0).</summary>
    [Kernel]
    public static void DigitSum(ThreadId id, ReadOnlySpan<int> values, Span<int> sums)
    {
        int i = id.X;
        if (i >= values.Length)
            return;
        int n = Math.Abs(values[i]);
        int sum = 0;
        do
        {
            sum += n % 10;
            n /= 10;
        }
        while (n > 0);
        sums[i] = sum;
    }

    /// <summary>Counts primes below n with nested loops, continue and break.</summary>
    [Kernel]
    public static void CountPrimes(ThreadId id, ReadOnlySpan<int> limits, Span<int> counts)
    {
        int i = id.X;
        if (i >= limits.Length)
            return;
        int limit = limits[i];
        int found = 0;
        for (int n = 2; n < limit; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n; d++)
            {
                if (n % d != 0)
                    continue;
                prime = false;
                break;
            }
            if (prime)
                found++;
        }
        counts[i] = found;
    }

    /// <summary>A for loop with two variables and two updates (the general loop form).</summary>
    [Kernel]
    public static void ReverseCopy(ThreadId id, ReadOnlySpan<float> x, Span<float> y, int rowLength)
    {
        int row = id.X;
        if ((row + 1) * rowLength > x.Length)
            return;
        int start = row * rowLength;
        for (int a = start, b = start + rowLength - 1; a < start + rowLength; a++, b--)
            y[b] = x[a];
    }

    /// <summary>Compound assignments and ++/-- on locals, buffer elements and floats.</summary>
    [Kernel]
    public static void CompoundAssignments(ThreadId id, Span<int> ints, Span<float> floats)
    {
        int i = id.X;
        if (i >= ints.Length || i >= floats.Length)
            return;
        int k = ints[i];
        k += 3;
        k *= 2;
        k -= 1;
        k /= 3;
        k %= 5;
        k <<= 2;
        k >>= 1;
        k |= 1;
        k &= 7;
        k ^= 2;
        k++;
        ints[i] = k;
        ints[i]--;
        float f = floats[i];
        f++;
        f *= 0.5f;
        f += k;            // float += int
        floats[i] = f;
        floats[i] -= 0.25f;
    }

    /// <summary>Writes a value into a uniform parameter copy (C# parameters are assignable).</summary>
    [Kernel]
    public static void AssignToParameter(ThreadId id, Span<int> output, int offset)
    {
        int i = id.X;
        if (i >= output.Length)
            return;
        offset += i;
        output[i] = offset;
    }

    /// <summary>Infinite loop left by break; logical operators with short-circuit guards.</summary>
    [Kernel]
    public static void FirstAboveThreshold(ThreadId id, ReadOnlySpan<float> rows, Span<int> firstIndex, int rowLength, float threshold)
    {
        int row = id.X;
        if (row * rowLength >= rows.Length)
            return;
        int j = 0;
        while (true)
        {
            if (j >= rowLength || rows[row * rowLength + j] > threshold)
                break;
            j++;
        }
        firstIndex[row] = j < rowLength && !(rows[row * rowLength + j] <= threshold) ? j : -1;
    }

    /// <summary>Constants: const locals, const fields, int.MaxValue and float limits.</summary>
    [Kernel]
    public static void Constants(ThreadId id, Span<int> ints, Span<float> floats)
    {
        const int Stride = 3;
        const float Half = 0.5f;
        int i = id.X;
        if (i * Stride + 2 >= ints.Length || i >= floats.Length)
            return;
        ints[i * Stride] = int.MaxValue;
        ints[i * Stride + 1] = int.MinValue;
        ints[i * Stride + 2] = Tile * Stride;
        floats[i] = Half * Scale + 1e-7f;
    }

    private const int Tile = 16;
    private const float Scale = 1.5e10f;

    /// <summary>
    /// goto case and goto default in switch statements (integer and pattern labels): the target section runs in
    /// place, chains of them too, from inside an if; break, continue and return keep their C# meaning.
    /// </summary>
    [Kernel]
    public static void GotoCase(ThreadId id, ReadOnlySpan<int> x, Span<int> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        int total = 0;
        for (int k = 0; k < 4; k++)
        {
            int v = (x[i] + k) % 7;
            switch (v)
            {
                case 0:
                    total += 1;
                    goto case 2;
                case 1:
                    total += 10;
                    if (k == 1)
                        goto default;
                    break;
                case 2:
                    total += 100;
                    goto case 3;
                case 3:
                    total += 1000;
                    if (x[i] > 50)
                        continue;
                    break;
                case 4:
                    goto default;
                default:
                    total += 10000;
                    break;
            }
            total *= 2;
        }
        switch (x[i])
        {
            case < 0:
                total = -total;
                goto case 5;
            case 5:
                total += 3;
                break;
            case > 90:
                goto default;
            default:
                total += 7;
                break;
        }
        y[i] = total;
    }
}
