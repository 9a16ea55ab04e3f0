using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout2;

/// <summary>
/// Assignments and ++/-- used as values, in the positions C# allows them: each result must be C#'s, evaluated once,
/// left to right, and only where C# evaluates it (right of &amp;&amp;, a branch of ?:, a loop condition).
/// </summary>
public static partial class SideEffectValues
{
    public struct Counter
    {
        public int Count;
        public float Total;
    }

    static int Twice(int a, int b) => 2 * a + b;

    static int Drain(Span<int> stack, ref int top)
    {
        var sum = 0;
        while (top > 0) sum += stack[--top] * (top + 1);
        return sum;
    }

    [Kernel]
    public static void Mixed(ThreadId id, ReadOnlySpan<int> input, Span<int> output, Span<float> floats, Span<byte> bytes, Span<int> log)
    {
        var t = id.X;
        if (t >= input.Length) return;
        var x = input[t];
        var o = t * 16;
        var i = x & 7;
        output[o + 0] = i + i++;              // old + old
        output[o + 1] = i++ * 10 + i;         // old * 10 + new
        var j = x & 3;
        j += j++;                             // old + old
        output[o + 2] = j;
        Span<int> a = stackalloc int[8];
        var k = x & 3;
        a[k] = k++;                           // target index before the value
        output[o + 3] = a[(x & 3)] * 100 + k;
        var n = 0;
        var hit = (x & 1) == 1 && n++ == 0;   // n++ only when the left side holds
        output[o + 4] = n * 10 + (hit ? 1 : 0);
        var m = 5;
        var pick = x > 0 ? m++ : --m;         // one branch runs
        output[o + 5] = pick * 10 + m;
        var c = 0;
        while (c++ < (x & 7)) { }
        output[o + 6] = c;
        var d = 0;
        do { } while (++d < 3);
        output[o + 7] = d;
        var e = 1;
        output[o + 8] = Twice(e++, e);         // arguments in order
        int p, q;
        p = q = x * 3;                          // chained assignment
        output[o + 9] = p - q + (p = 7) + p;
        var counter = new Counter();
        output[o + 10] = counter.Count++ + ++counter.Count + (counter.Count += 5);
        floats[t] = (counter.Total += 1.5f) * 2f + counter.Total;
        var b = (byte)(250 + (x & 3));
        var wrapped = b++ + (b += 10);        // byte wraps: (250..253) then +1, then +10 mod 256
        output[o + 11] = wrapped * 1000 + b;
        Span<int> stack = stackalloc int[8];
        var sp = 0;
        for (var s = 0; s < (x & 7) + 1; s++) stack[sp++] = s + x;
        output[o + 12] = Drain(stack, ref sp) * 100 + sp;
        output[o + 13] = (log[t] += x) + log[t]++; // buffer element: new value, then old value
        bytes[t] = (byte)((bytes[t] = (byte)(x + 200)) / 2); // narrow store of a chained assignment
        var z = 0;
        for (var r = 0; (z += r) < 20 && r < 100; r++) { }
        output[o + 14] = z;
        var v = Vector2.Zero;
        output[o + 15] = (int)((v.X = x) + (v.Y += 2f) + v.X * v.Y);
    }
}
