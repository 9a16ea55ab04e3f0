using System.Threading;

namespace KernelGen;

/// <summary>
/// Atomic operations that <see cref="Interlocked"/> lacks, for kernels: minimum and maximum of <c>int</c>/<c>uint</c>
/// elements (WGSL <c>atomicMin</c>/<c>atomicMax</c>) and the addition of a <c>float</c> (a compare-exchange loop on
/// its bits). The location must be an element of a <c>Span&lt;int&gt;</c>/<c>Span&lt;uint&gt;</c>
/// (<c>Span&lt;float&gt;</c> for <see cref="Add(ref float, float)"/>) buffer or <c>[GroupShared]</c> array, e.g.
/// <c>Atomic.Max(ref best[0], v)</c>. On the CPU backend these are thread-safe and give the GPU's results.
/// </summary>
public static class Atomic
{
    /// <summary>Sets <paramref name="location"/> to the smaller of it and <paramref name="value"/>, atomically; returns the original value.</summary>
    /// <param name="location">An element of an int buffer or shared array.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The value <paramref name="location"/> held before.</returns>
    public static int Min(ref int location, int value)
    {
        int current = Volatile.Read(ref location);
        while (value < current)
        {
            int seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
                break;
            current = seen;
        }
        return current;
    }

    /// <summary>Sets <paramref name="location"/> to the smaller of it and <paramref name="value"/>, atomically; returns the original value.</summary>
    /// <param name="location">An element of a uint buffer or shared array.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The value <paramref name="location"/> held before.</returns>
    public static uint Min(ref uint location, uint value)
    {
        uint current = Volatile.Read(ref location);
        while (value < current)
        {
            uint seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
                break;
            current = seen;
        }
        return current;
    }

    /// <summary>Sets <paramref name="location"/> to the larger of it and <paramref name="value"/>, atomically; returns the original value.</summary>
    /// <param name="location">An element of an int buffer or shared array.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The value <paramref name="location"/> held before.</returns>
    public static int Max(ref int location, int value)
    {
        int current = Volatile.Read(ref location);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
                break;
            current = seen;
        }
        return current;
    }

    /// <summary>Sets <paramref name="location"/> to the larger of it and <paramref name="value"/>, atomically; returns the original value.</summary>
    /// <param name="location">An element of a uint buffer or shared array.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The value <paramref name="location"/> held before.</returns>
    public static uint Max(ref uint location, uint value)
    {
        uint current = Volatile.Read(ref location);
        while (value > current)
        {
            uint seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
                break;
            current = seen;
        }
        return current;
    }

    /// <summary>
    /// Adds <paramref name="value"/> to <paramref name="location"/> atomically, as <see cref="Interlocked.Add(ref int, int)"/>
    /// does for ints: a compare-exchange loop on the float's bits (WGSL has no float atomics). The order in which
    /// concurrent additions land is not defined, so a sum of many values can round differently from run to run.
    /// </summary>
    /// <param name="location">An element of a float buffer or shared array.</param>
    /// <param name="value">The value to add.</param>
    /// <returns>The new value (the original plus <paramref name="value"/>).</returns>
    public static float Add(ref float location, float value)
    {
        ref int bits = ref System.Runtime.CompilerServices.Unsafe.As<float, int>(ref location);
        int current = Volatile.Read(ref bits);
        while (true)
        {
            float sum = System.BitConverter.Int32BitsToSingle(current) + value;
            int seen = Interlocked.CompareExchange(ref bits, System.BitConverter.SingleToInt32Bits(sum), current);
            if (seen == current)
                return sum;
            current = seen;
        }
    }
}
