namespace KernelGen;

/// <summary>
/// How many invocations a dispatch runs: either a number of threads along each axis (rounded up to
/// whole workgroups; the kernel guards its bounds) or an explicit number of workgroups.
/// </summary>
public readonly record struct Grid
{
    private Grid(int x, int y, int z, bool isGroups)
    {
        if (x < 0 || y < 0 || z < 0)
            throw new ArgumentOutOfRangeException(nameof(x), $"Grid sizes must be non-negative, got ({x}, {y}, {z}).");
        X = x;
        Y = y;
        Z = z;
        IsGroups = isGroups;
    }

    /// <summary>Size along X (threads or workgroups).</summary>
    public int X { get; }

    /// <summary>Size along Y.</summary>
    public int Y { get; }

    /// <summary>Size along Z.</summary>
    public int Z { get; }

    /// <summary>True when the sizes count workgroups, false when they count threads.</summary>
    public bool IsGroups { get; }

    /// <summary>At least this many threads along each axis.</summary>
    public static Grid Threads(int x, int y = 1, int z = 1) => new(x, y, z, isGroups: false);

    /// <summary>Exactly this many workgroups along each axis.</summary>
    public static Grid Groups(int x, int y = 1, int z = 1) => new(x, y, z, isGroups: true);

    /// <summary>A one-dimensional thread count.</summary>
    public static implicit operator Grid(int threads) => Threads(threads);

    /// <summary>The number of workgroups along each axis for a kernel.</summary>
    public (int X, int Y, int Z) ToGroups(KernelInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return IsGroups
            ? (X, Y, Z)
            : (Ceil(X, kernel.WorkgroupSizeX), Ceil(Y, kernel.WorkgroupSizeY), Ceil(Z, kernel.WorkgroupSizeZ));

        static int Ceil(int n, int d) => (int)(((long)n + d - 1) / d);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(IsGroups ? "groups" : "threads")}({X}, {Y}, {Z})";
}
