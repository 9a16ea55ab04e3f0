namespace KernelGen;

/// <summary>The number of workgroups of one dispatch in each dimension (what <c>dispatchWorkgroups</c> takes).</summary>
internal readonly record struct WorkgroupCount(uint X, uint Y, uint Z)
{
    /// <summary>Workgroups in all (the product of the three dimensions).</summary>
    public long Total => (long)X * Y * Z;

    public override string ToString() => $"({X}, {Y}, {Z}) workgroups";
}
