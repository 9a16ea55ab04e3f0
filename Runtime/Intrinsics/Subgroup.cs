using System.Numerics;

namespace KernelGen;

/// <summary>
/// Subgroup operations (WGSL's <c>subgroup*</c> built-ins; adapter feature <c>subgroups</c>): the invocations of a
/// subgroup (<see cref="SubgroupId.Size"/> lanes that run together) combine or exchange values without shared memory
/// or barriers. Like <see cref="Workgroup.Barrier"/>, every operation must be reached by all invocations of the
/// workgroup (uniform control flow, checked at build time: KG0045), and its result counts as a per-invocation value.
/// </summary>
/// <remarks>
/// <para>Lanes that take part are the active ones: all of the subgroup, but fewer in the last subgroup of a workgroup
/// whose size is not a multiple of the subgroup size. Reductions and scans combine the active lanes in lane order
/// (float sums and products may round differently on a GPU, which combines in its own order).</para>
/// <para>Reading another lane (<see cref="Broadcast(float, int)"/>, the <c>Shuffle</c> family) gives the invocation's own
/// <c>value</c> when that lane is outside the subgroup or inactive, or when the delta or mask is 128 or more; the
/// generated WGSL guards each read so that the GPU gives the same result (WGSL itself leaves it unspecified).</para>
/// <para>On the CPU backend a workgroup's invocations run in lockstep at each operation; invocation
/// <see cref="LocalId.Index"/> is lane <c>Index % size</c> of subgroup <c>Index / size</c>, with the size of
/// <see cref="GpuDeviceOptions.CpuSubgroupSize"/>. GPUs usually group a one-dimensional workgroup the same way, but WGSL
/// does not promise which invocations share a subgroup.</para>
/// </remarks>
public static class Subgroup
{
    /// <summary>The sum over the subgroup's active lanes (WGSL <c>subgroupAdd</c>).</summary>
    public static float Add(float value) => Reduce(value, static (a, b) => a + b);

    /// <inheritdoc cref="Add(float)"/>
    public static int Add(int value) => Reduce(value, static (a, b) => unchecked(a + b));

    /// <inheritdoc cref="Add(float)"/>
    public static uint Add(uint value) => Reduce(value, static (a, b) => unchecked(a + b));

    /// <inheritdoc cref="Add(float)"/>
    public static Vector2 Add(Vector2 value) => Reduce(value, static (a, b) => a + b);

    /// <inheritdoc cref="Add(float)"/>
    public static Vector3 Add(Vector3 value) => Reduce(value, static (a, b) => a + b);

    /// <inheritdoc cref="Add(float)"/>
    public static Vector4 Add(Vector4 value) => Reduce(value, static (a, b) => a + b);

    /// <summary>The product over the subgroup's active lanes (WGSL <c>subgroupMul</c>).</summary>
    public static float Mul(float value) => Reduce(value, static (a, b) => a * b);

    /// <inheritdoc cref="Mul(float)"/>
    public static int Mul(int value) => Reduce(value, static (a, b) => unchecked(a * b));

    /// <inheritdoc cref="Mul(float)"/>
    public static uint Mul(uint value) => Reduce(value, static (a, b) => unchecked(a * b));

    /// <inheritdoc cref="Mul(float)"/>
    public static Vector2 Mul(Vector2 value) => Reduce(value, static (a, b) => a * b);

    /// <inheritdoc cref="Mul(float)"/>
    public static Vector3 Mul(Vector3 value) => Reduce(value, static (a, b) => a * b);

    /// <inheritdoc cref="Mul(float)"/>
    public static Vector4 Mul(Vector4 value) => Reduce(value, static (a, b) => a * b);

    /// <summary>The minimum over the subgroup's active lanes (WGSL <c>subgroupMin</c>).</summary>
    public static float Min(float value) => Reduce(value, MathF.Min);

    /// <inheritdoc cref="Min(float)"/>
    public static int Min(int value) => Reduce(value, Math.Min);

    /// <inheritdoc cref="Min(float)"/>
    public static uint Min(uint value) => Reduce(value, Math.Min);

    /// <inheritdoc cref="Min(float)"/>
    public static Vector2 Min(Vector2 value) => Reduce(value, Vector2.Min);

    /// <inheritdoc cref="Min(float)"/>
    public static Vector3 Min(Vector3 value) => Reduce(value, Vector3.Min);

    /// <inheritdoc cref="Min(float)"/>
    public static Vector4 Min(Vector4 value) => Reduce(value, Vector4.Min);

    /// <summary>The maximum over the subgroup's active lanes (WGSL <c>subgroupMax</c>).</summary>
    public static float Max(float value) => Reduce(value, MathF.Max);

    /// <inheritdoc cref="Max(float)"/>
    public static int Max(int value) => Reduce(value, Math.Max);

    /// <inheritdoc cref="Max(float)"/>
    public static uint Max(uint value) => Reduce(value, Math.Max);

    /// <inheritdoc cref="Max(float)"/>
    public static Vector2 Max(Vector2 value) => Reduce(value, Vector2.Max);

    /// <inheritdoc cref="Max(float)"/>
    public static Vector3 Max(Vector3 value) => Reduce(value, Vector3.Max);

    /// <inheritdoc cref="Max(float)"/>
    public static Vector4 Max(Vector4 value) => Reduce(value, Vector4.Max);

    /// <summary>The bitwise AND over the subgroup's active lanes (WGSL <c>subgroupAnd</c>).</summary>
    public static int And(int value) => Reduce(value, static (a, b) => a & b);

    /// <inheritdoc cref="And(int)"/>
    public static uint And(uint value) => Reduce(value, static (a, b) => a & b);

    /// <summary>The bitwise OR over the subgroup's active lanes (WGSL <c>subgroupOr</c>).</summary>
    public static int Or(int value) => Reduce(value, static (a, b) => a | b);

    /// <inheritdoc cref="Or(int)"/>
    public static uint Or(uint value) => Reduce(value, static (a, b) => a | b);

    /// <summary>The bitwise XOR over the subgroup's active lanes (WGSL <c>subgroupXor</c>).</summary>
    public static int Xor(int value) => Reduce(value, static (a, b) => a ^ b);

    /// <inheritdoc cref="Xor(int)"/>
    public static uint Xor(uint value) => Reduce(value, static (a, b) => a ^ b);

    /// <summary>The sum over the active lanes up to and including this one (WGSL <c>subgroupInclusiveAdd</c>).</summary>
    public static float InclusiveAdd(float value) => Scan(value, 0f, inclusive: true, static (a, b) => a + b);

    /// <inheritdoc cref="InclusiveAdd(float)"/>
    public static int InclusiveAdd(int value) => Scan(value, 0, inclusive: true, static (a, b) => unchecked(a + b));

    /// <inheritdoc cref="InclusiveAdd(float)"/>
    public static uint InclusiveAdd(uint value) => Scan(value, 0u, inclusive: true, static (a, b) => unchecked(a + b));

    /// <inheritdoc cref="InclusiveAdd(float)"/>
    public static Vector2 InclusiveAdd(Vector2 value) => Scan(value, Vector2.Zero, inclusive: true, static (a, b) => a + b);

    /// <inheritdoc cref="InclusiveAdd(float)"/>
    public static Vector3 InclusiveAdd(Vector3 value) => Scan(value, Vector3.Zero, inclusive: true, static (a, b) => a + b);

    /// <inheritdoc cref="InclusiveAdd(float)"/>
    public static Vector4 InclusiveAdd(Vector4 value) => Scan(value, Vector4.Zero, inclusive: true, static (a, b) => a + b);

    /// <summary>The sum over the active lanes below this one; 0 on the first (WGSL <c>subgroupExclusiveAdd</c>).</summary>
    public static float ExclusiveAdd(float value) => Scan(value, 0f, inclusive: false, static (a, b) => a + b);

    /// <inheritdoc cref="ExclusiveAdd(float)"/>
    public static int ExclusiveAdd(int value) => Scan(value, 0, inclusive: false, static (a, b) => unchecked(a + b));

    /// <inheritdoc cref="ExclusiveAdd(float)"/>
    public static uint ExclusiveAdd(uint value) => Scan(value, 0u, inclusive: false, static (a, b) => unchecked(a + b));

    /// <inheritdoc cref="ExclusiveAdd(float)"/>
    public static Vector2 ExclusiveAdd(Vector2 value) => Scan(value, Vector2.Zero, inclusive: false, static (a, b) => a + b);

    /// <inheritdoc cref="ExclusiveAdd(float)"/>
    public static Vector3 ExclusiveAdd(Vector3 value) => Scan(value, Vector3.Zero, inclusive: false, static (a, b) => a + b);

    /// <inheritdoc cref="ExclusiveAdd(float)"/>
    public static Vector4 ExclusiveAdd(Vector4 value) => Scan(value, Vector4.Zero, inclusive: false, static (a, b) => a + b);

    /// <summary>The product over the active lanes up to and including this one (WGSL <c>subgroupInclusiveMul</c>).</summary>
    public static float InclusiveMul(float value) => Scan(value, 1f, inclusive: true, static (a, b) => a * b);

    /// <inheritdoc cref="InclusiveMul(float)"/>
    public static int InclusiveMul(int value) => Scan(value, 1, inclusive: true, static (a, b) => unchecked(a * b));

    /// <inheritdoc cref="InclusiveMul(float)"/>
    public static uint InclusiveMul(uint value) => Scan(value, 1u, inclusive: true, static (a, b) => unchecked(a * b));

    /// <inheritdoc cref="InclusiveMul(float)"/>
    public static Vector2 InclusiveMul(Vector2 value) => Scan(value, Vector2.One, inclusive: true, static (a, b) => a * b);

    /// <inheritdoc cref="InclusiveMul(float)"/>
    public static Vector3 InclusiveMul(Vector3 value) => Scan(value, Vector3.One, inclusive: true, static (a, b) => a * b);

    /// <inheritdoc cref="InclusiveMul(float)"/>
    public static Vector4 InclusiveMul(Vector4 value) => Scan(value, Vector4.One, inclusive: true, static (a, b) => a * b);

    /// <summary>The product over the active lanes below this one; 1 on the first (WGSL <c>subgroupExclusiveMul</c>).</summary>
    public static float ExclusiveMul(float value) => Scan(value, 1f, inclusive: false, static (a, b) => a * b);

    /// <inheritdoc cref="ExclusiveMul(float)"/>
    public static int ExclusiveMul(int value) => Scan(value, 1, inclusive: false, static (a, b) => unchecked(a * b));

    /// <inheritdoc cref="ExclusiveMul(float)"/>
    public static uint ExclusiveMul(uint value) => Scan(value, 1u, inclusive: false, static (a, b) => unchecked(a * b));

    /// <inheritdoc cref="ExclusiveMul(float)"/>
    public static Vector2 ExclusiveMul(Vector2 value) => Scan(value, Vector2.One, inclusive: false, static (a, b) => a * b);

    /// <inheritdoc cref="ExclusiveMul(float)"/>
    public static Vector3 ExclusiveMul(Vector3 value) => Scan(value, Vector3.One, inclusive: false, static (a, b) => a * b);

    /// <inheritdoc cref="ExclusiveMul(float)"/>
    public static Vector4 ExclusiveMul(Vector4 value) => Scan(value, Vector4.One, inclusive: false, static (a, b) => a * b);

    /// <summary>
    /// The value of lane <paramref name="lane"/> (WGSL <c>subgroupBroadcast</c> for a constant lane, <c>subgroupShuffle</c>
    /// otherwise); the invocation's own value when that lane is not active.
    /// </summary>
    public static float Broadcast(float value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Broadcast(float, int)"/>
    public static int Broadcast(int value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Broadcast(float, int)"/>
    public static uint Broadcast(uint value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Broadcast(float, int)"/>
    public static Vector2 Broadcast(Vector2 value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Broadcast(float, int)"/>
    public static Vector3 Broadcast(Vector3 value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Broadcast(float, int)"/>
    public static Vector4 Broadcast(Vector4 value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <summary>The value of the lowest active lane (WGSL <c>subgroupBroadcastFirst</c>).</summary>
    public static float BroadcastFirst(float value) => First(value);

    /// <inheritdoc cref="BroadcastFirst(float)"/>
    public static int BroadcastFirst(int value) => First(value);

    /// <inheritdoc cref="BroadcastFirst(float)"/>
    public static uint BroadcastFirst(uint value) => First(value);

    /// <inheritdoc cref="BroadcastFirst(float)"/>
    public static Vector2 BroadcastFirst(Vector2 value) => First(value);

    /// <inheritdoc cref="BroadcastFirst(float)"/>
    public static Vector3 BroadcastFirst(Vector3 value) => First(value);

    /// <inheritdoc cref="BroadcastFirst(float)"/>
    public static Vector4 BroadcastFirst(Vector4 value) => First(value);

    /// <summary>The value of lane <paramref name="lane"/>, which may differ per invocation (WGSL <c>subgroupShuffle</c>); the own value when that lane is not active.</summary>
    public static float Shuffle(float value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Shuffle(float, int)"/>
    public static int Shuffle(int value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Shuffle(float, int)"/>
    public static uint Shuffle(uint value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Shuffle(float, int)"/>
    public static Vector2 Shuffle(Vector2 value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Shuffle(float, int)"/>
    public static Vector3 Shuffle(Vector3 value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <inheritdoc cref="Shuffle(float, int)"/>
    public static Vector4 Shuffle(Vector4 value, int lane) => Read(value, (uint)lane, Source.Lane);

    /// <summary>The value of lane <c>Lane ^ mask</c> (WGSL <c>subgroupShuffleXor</c>); the own value when that lane is not active or <paramref name="mask"/> is not in 0..127.</summary>
    public static float ShuffleXor(float value, int mask) => Read(value, (uint)mask, Source.Xor);

    /// <inheritdoc cref="ShuffleXor(float, int)"/>
    public static int ShuffleXor(int value, int mask) => Read(value, (uint)mask, Source.Xor);

    /// <inheritdoc cref="ShuffleXor(float, int)"/>
    public static uint ShuffleXor(uint value, int mask) => Read(value, (uint)mask, Source.Xor);

    /// <inheritdoc cref="ShuffleXor(float, int)"/>
    public static Vector2 ShuffleXor(Vector2 value, int mask) => Read(value, (uint)mask, Source.Xor);

    /// <inheritdoc cref="ShuffleXor(float, int)"/>
    public static Vector3 ShuffleXor(Vector3 value, int mask) => Read(value, (uint)mask, Source.Xor);

    /// <inheritdoc cref="ShuffleXor(float, int)"/>
    public static Vector4 ShuffleXor(Vector4 value, int mask) => Read(value, (uint)mask, Source.Xor);

    /// <summary>The value of lane <c>Lane - delta</c> (WGSL <c>subgroupShuffleUp</c>); the own value when that lane is not active or <paramref name="delta"/> is not in 0..127.</summary>
    public static float ShuffleUp(float value, int delta) => Read(value, (uint)delta, Source.Up);

    /// <inheritdoc cref="ShuffleUp(float, int)"/>
    public static int ShuffleUp(int value, int delta) => Read(value, (uint)delta, Source.Up);

    /// <inheritdoc cref="ShuffleUp(float, int)"/>
    public static uint ShuffleUp(uint value, int delta) => Read(value, (uint)delta, Source.Up);

    /// <inheritdoc cref="ShuffleUp(float, int)"/>
    public static Vector2 ShuffleUp(Vector2 value, int delta) => Read(value, (uint)delta, Source.Up);

    /// <inheritdoc cref="ShuffleUp(float, int)"/>
    public static Vector3 ShuffleUp(Vector3 value, int delta) => Read(value, (uint)delta, Source.Up);

    /// <inheritdoc cref="ShuffleUp(float, int)"/>
    public static Vector4 ShuffleUp(Vector4 value, int delta) => Read(value, (uint)delta, Source.Up);

    /// <summary>The value of lane <c>Lane + delta</c> (WGSL <c>subgroupShuffleDown</c>); the own value when that lane is not active or <paramref name="delta"/> is not in 0..127.</summary>
    public static float ShuffleDown(float value, int delta) => Read(value, (uint)delta, Source.Down);

    /// <inheritdoc cref="ShuffleDown(float, int)"/>
    public static int ShuffleDown(int value, int delta) => Read(value, (uint)delta, Source.Down);

    /// <inheritdoc cref="ShuffleDown(float, int)"/>
    public static uint ShuffleDown(uint value, int delta) => Read(value, (uint)delta, Source.Down);

    /// <inheritdoc cref="ShuffleDown(float, int)"/>
    public static Vector2 ShuffleDown(Vector2 value, int delta) => Read(value, (uint)delta, Source.Down);

    /// <inheritdoc cref="ShuffleDown(float, int)"/>
    public static Vector3 ShuffleDown(Vector3 value, int delta) => Read(value, (uint)delta, Source.Down);

    /// <inheritdoc cref="ShuffleDown(float, int)"/>
    public static Vector4 ShuffleDown(Vector4 value, int delta) => Read(value, (uint)delta, Source.Down);

    /// <summary>
    /// Bit <c>i</c> is set when active lane <c>i</c> passed true, for lanes 0 to 31 (WGSL <c>subgroupBallot(predicate).x</c>);
    /// <see cref="Ballot(bool, int)"/> gives the other words of a subgroup larger than 32.
    /// </summary>
    public static uint Ballot(bool predicate) => Ballot(predicate, 0);

    /// <summary>
    /// Bit <c>i</c> is set when active lane <c>32 * word + i</c> passed true (WGSL <c>subgroupBallot(predicate)[word]</c>);
    /// <paramref name="word"/> is a constant 0 to 3.
    /// </summary>
    public static uint Ballot(bool predicate, int word)
    {
        if ((uint)word > 3) throw new ArgumentOutOfRangeException(nameof(word), word, "A ballot has the words 0 to 3 (lanes 0-31, 32-63, 64-95, 96-127).");
        var lanes = Gather(predicate);
        uint bits = 0;
        for (var i = 32 * word; i < Math.Min(lanes.Count, 32 * word + 32); i++)
            if (lanes.IsActive(i) && lanes.Value(i)) bits |= 1u << (i - 32 * word);
        return bits;
    }

    /// <summary>True on the lowest active lane only (WGSL <c>subgroupElect</c>).</summary>
    public static bool Elect()
    {
        var lanes = Gather(true);
        return lanes.FirstActive == lanes.Lane;
    }

    /// <summary>True when <paramref name="predicate"/> is true on every active lane (WGSL <c>subgroupAll</c>).</summary>
    public static bool All(bool predicate) => Reduce(predicate, static (a, b) => a && b);

    /// <summary>True when <paramref name="predicate"/> is true on some active lane (WGSL <c>subgroupAny</c>).</summary>
    public static bool Any(bool predicate) => Reduce(predicate, static (a, b) => a || b);

    private enum Source
    {
        Lane,
        Xor,
        Up,
        Down,
    }

    private static CpuSubgroupLanes<T> Gather<T>(T value)
        => (CpuWorkgroupSync.Current ?? throw new InvalidOperationException(
            "Subgroup operations run inside a kernel dispatch only (a [Kernel] method run by a GpuDevice); this call came from ordinary C#.")).GatherSubgroup(value);

    private static T Reduce<T>(T value, Func<T, T, T> combine)
    {
        var lanes = Gather(value);
        var result = lanes.Value(lanes.FirstActive);
        for (var i = lanes.FirstActive + 1; i < lanes.Count; i++)
            if (lanes.IsActive(i)) result = combine(result, lanes.Value(i));
        return result;
    }

    private static T Scan<T>(T value, T identity, bool inclusive, Func<T, T, T> combine)
    {
        var lanes = Gather(value);
        var result = identity;
        var end = inclusive ? lanes.Lane + 1 : lanes.Lane;
        for (var i = 0; i < end; i++)
            if (lanes.IsActive(i)) result = combine(result, lanes.Value(i));
        return result;
    }

    private static T First<T>(T value)
    {
        var lanes = Gather(value);
        return lanes.Value(lanes.FirstActive);
    }

    // The rules of the generated WGSL's guards: a delta or mask of 128 or more, or a source lane outside the subgroup or
    // inactive, reads the invocation's own value.
    private static T Read<T>(T value, uint operand, Source source)
    {
        var lanes = Gather(value);
        var lane = (uint)lanes.Lane;
        uint from;
        switch (source)
        {
            case Source.Lane:
                from = operand;
                break;
            default:
                if (operand >= 128) return value;
                from = source switch { Source.Xor => lane ^ operand, Source.Up => lane - operand, _ => lane + operand };
                break;
        }
        return from < (uint)lanes.Count && lanes.IsActive((int)from) ? lanes.Value((int)from) : value;
    }
}

/// <summary>The values that the lanes of the calling invocation's subgroup passed to one subgroup operation (CPU backend).</summary>
internal readonly struct CpuSubgroupLanes<T>(T[] values, bool[] active, int lane)
{
    /// <summary>The calling invocation's lane.</summary>
    public int Lane => lane;

    /// <summary>The lanes the subgroup has (fewer than the subgroup size in a partial last subgroup).</summary>
    public int Count => values.Length;

    /// <summary>The lowest lane that reached the operation (the caller at the latest).</summary>
    public int FirstActive
    {
        get
        {
            for (var i = 0; i < active.Length; i++)
                if (active[i]) return i;
            return lane;
        }
    }

    public bool IsActive(int i) => active[i];

    public T Value(int i) => values[i];
}
