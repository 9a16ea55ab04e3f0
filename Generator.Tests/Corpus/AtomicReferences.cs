// Corpus: atomics (and plain accesses) through references: ref locals to elements and fields of arrays atomics use,
// helpers' ref parameters given such places, and such calls in a for loop's update; the same for buffers in C#'s byte
// layout (byte fields, 28-byte structs), whose places WGSL cannot point to either.
using System;
using System.Numerics;
using System.Threading;
using KernelGen;

namespace KernelGen.Corpus;

public struct RefCell
{
    public int Count;
    public float Sum;
    public int Min;
    public uint Seen;
}

/// <summary>A 4-byte pixel: its buffer is in C#'s byte layout, stores of one byte are atomicAnd/atomicOr.</summary>
public struct RefPixel
{
    public byte R, G, B, A;
}

/// <summary>28 bytes in C# (Vector3 is 12), so its buffer is in C#'s byte layout too (whole words).</summary>
public struct RefBody
{
    public Vector3 Pos;
    public float Mass;
    public Vector3 Vel;
}

public static partial class AtomicReferences
{
    /// <summary>A histogram through ref locals: Increment on a ref int, Atomic.Max on a ref uint, with contention.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RefLocalHistogram(ThreadId id, ReadOnlySpan<int> keys, Span<int> bins, Span<uint> maxima)
    {
        int i = id.X;
        if (i >= keys.Length)
            return;
        ref int bin = ref bins[keys[i] % bins.Length];
        Interlocked.Increment(ref bin);
        ref uint max = ref maxima[keys[i] & 3];
        Atomic.Max(ref max, (uint)keys[i]);
        ref int again = ref bin; // a ref local to a ref local: the same element
        Interlocked.Add(ref again, 2);
    }

    /// <summary>Plain reads and writes through a ref local of an atomic array (atomicLoad/atomicStore), each element one invocation's.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RefLocalReadsAndWrites(ThreadId id, Span<int> counts, Span<int> snapshot)
    {
        int i = id.X;
        if (i >= counts.Length)
            return;
        ref int c = ref counts[i];
        c += 3;
        c++;
        snapshot[i] = c;
        c = c * 2;
        int old = Interlocked.Add(ref c, 1);
        snapshot[i] += old;
    }

    /// <summary>A [GroupShared] histogram through a ref local, summed into the buffer.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SharedRefLocal(ThreadId id, LocalId local, ReadOnlySpan<int> x, Span<int> result, [GroupShared(8)] Span<int> bins)
    {
        if (local.Index < bins.Length)
            bins[local.Index] = 0;
        Workgroup.Barrier();
        int i = id.X;
        if (i < x.Length)
        {
            ref int b = ref bins[x[i] & 7];
            Interlocked.Increment(ref b);
        }
        Workgroup.Barrier();
        if (local.Index < bins.Length)
        {
            ref int total = ref result[local.Index];
            Interlocked.Add(ref total, bins[local.Index]);
        }
    }

    /// <summary>Field atomics through a ref local to a struct element, and through a ref local to one field.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RefLocalCells(ThreadId id, ReadOnlySpan<int> keys, Span<RefCell> cells)
    {
        int i = id.X;
        if (i >= keys.Length)
            return;
        ref RefCell cell = ref cells[keys[i] % cells.Length];
        Interlocked.Increment(ref cell.Count);
        Atomic.Add(ref cell.Sum, 0.5f);
        ref int min = ref cell.Min;
        Atomic.Min(ref min, keys[i]);
        Interlocked.Or(ref cell.Seen, 1u << (i & 31));
    }

    /// <summary>One invocation per cell: plain field reads and writes, and a whole-element copy, through a ref local.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RefLocalCellMeans(ThreadId id, Span<RefCell> cells)
    {
        int i = id.X;
        if (i >= cells.Length)
            return;
        ref RefCell cell = ref cells[i];
        RefCell copy = cell;
        cell.Sum = copy.Count == 0 ? 0f : copy.Sum / copy.Count;
        cell.Seen ^= 1u;
        Interlocked.Decrement(ref cell.Count);
    }

    private static void Bump(ref int counter) => Interlocked.Increment(ref counter);

    private static void BumpTwice(ref int counter)
    {
        Bump(ref counter);
        Bump(ref counter);
    }

    private static int Claim(ref int next) => Interlocked.Increment(ref next) - 1;

    private static void Scale(ref int value, int factor) => value = value * factor + 1;

    private static void Record(ref RefCell cell, int key)
    {
        Interlocked.Increment(ref cell.Count);
        Atomic.Min(ref cell.Min, key);
    }

    /// <summary>A ref int helper given a buffer element, a [GroupShared] element and a field of a struct element, and passing its reference on.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void HelperBumps(ThreadId id, LocalId local, ReadOnlySpan<int> keys, Span<int> bins, Span<RefCell> cells, Span<int> groupTotals,
        [GroupShared(4)] Span<int> shared)
    {
        if (local.Index < shared.Length)
            shared[local.Index] = 0;
        Workgroup.Barrier();
        int i = id.X;
        if (i < keys.Length)
        {
            int k = keys[i];
            Bump(ref bins[k & 7]);
            Bump(ref shared[k & 3]);
            BumpTwice(ref cells[k % cells.Length].Count);
            Record(ref cells[(k >> 3) % cells.Length], k);
        }
        Workgroup.Barrier();
        if (local.Index < shared.Length)
            Interlocked.Add(ref groupTotals[local.Index], shared[local.Index]);
    }

    /// <summary>Stream compaction: each positive value claims a unique slot through a helper's return value.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void CompactThroughHelper(ThreadId id, ReadOnlySpan<int> x, Span<int> output, Span<int> count)
    {
        int i = id.X;
        if (i >= x.Length || x[i] <= 0)
            return;
        int slot = Claim(ref count[0]);
        output[slot] = x[i];
    }

    /// <summary>A helper that reads and writes its ref parameter plainly, given an element of an atomic array.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void HelperPlainAccess(ThreadId id, Span<int> counts, ReadOnlySpan<int> factors)
    {
        int i = id.X;
        if (i >= counts.Length)
            return;
        Scale(ref counts[i], factors[i]);
        ref int c = ref counts[i];
        Scale(ref c, 2);
        Interlocked.Add(ref counts[0], 0); // makes counts atomic
    }

    /// <summary>
    /// References in other positions: a ref local declared in a loop, a helper's result in a condition, under ?: (run
    /// only when C# runs it), and a local function's ref parameter.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RefPositions(ThreadId id, ReadOnlySpan<int> keys, Span<int> bins, Span<int> firsts)
    {
        int i = id.X;
        if (i >= keys.Length)
            return;
        for (int r = 0; r < 3; r++)
        {
            ref int bin = ref bins[(keys[i] + r) & 7];
            if (Claim(ref bin) == 0) // the first invocation to reach this bin
                Hit(ref firsts[(keys[i] + r) & 7]);
        }
        int got = keys[i] > 500 ? Claim(ref bins[8]) : -1;
        if (got >= 0)
            Hit(ref firsts[8]);

        static void Hit(ref int c) => Interlocked.Increment(ref c);
    }

    private static void Step(ref float value) => value += 1f;

    /// <summary>Void calls that pass elements by ref in a for loop's update: a plain buffer (copied in and back) and an atomic one.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForUpdateReferences(ThreadId id, Span<float> values, Span<int> bins)
    {
        int i = id.X;
        if (i >= values.Length)
            return;
        for (int k = 0; k < 3; Step(ref values[i]))
            k++;
        for (int k = 0; k < 4; Bump(ref bins[k++ & 7]))
        {
        }
    }

    private static void SwapBytes(ref byte a, ref byte b)
    {
        byte t = a;
        a = b;
        b = t;
    }

    private static void Darken(ref RefPixel px)
    {
        px.R >>= 1;
        px = px with { G = (byte)(px.G / 2) };
    }

    /// <summary>Ref locals and helpers' ref parameters on a byte-layout pixel buffer: whole elements, byte fields, two fields of one element.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void PixelReferences(ThreadId id, Span<RefPixel> pixels)
    {
        int i = id.X;
        if (i >= pixels.Length)
            return;
        ref RefPixel p = ref pixels[i];
        p.R = (byte)(255 - p.R);
        ref byte g = ref p.G;
        g += 10;
        SwapBytes(ref p.B, ref p.A);
        Darken(ref pixels[i]);
    }

    private static void Advance(ref Vector3 position, Vector3 velocity, float dt) => position += velocity * dt;

    /// <summary>A ref local to a 28-byte struct element and a helper's ref parameter given its Vector3 field.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void BodyReferences(ThreadId id, Span<RefBody> bodies, float dt)
    {
        int i = id.X;
        if (i >= bodies.Length)
            return;
        ref RefBody b = ref bodies[i];
        Advance(ref b.Pos, b.Vel, dt);
        b.Mass *= 2f;
        ref readonly RefBody r = ref b;
        b.Vel.Y = r.Pos.X;
    }
}
