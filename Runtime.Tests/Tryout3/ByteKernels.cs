namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Byte-level kernels: in-place reversal with tuple swaps of bytes, pixel field updates, short-circuit scans.</summary>
public static partial class Bytes3
{
    /// <summary>
    /// Reverses each row of bytes in place with two indices (both bytes often in one word). The tuple swap
    /// `(data[i], data[j]) = (data[j], data[i])` is KG0066 on a byte buffer (Tryout3DiagnosticTests): a temporary here.
    /// </summary>
    [Kernel]
    public static void ReverseRows(ThreadId id, Span<byte> data, int rowLength, int rows)
    {
        var r = id.X;
        if (r >= rows) return;
        for (int i = r * rowLength, j = (r + 1) * rowLength - 1; i < j; i++, j--)
        {
            var t = data[i];
            data[i] = data[j];
            data[j] = t;
        }
    }

    /// <summary>Pixel field updates: a wrapping `+=` on R, a saturating add on G, B swapped with R's old value, `++` on B.</summary>
    [Kernel]
    public static void Adjust(ThreadId id, Span<Rgb24> pixels, int count, int add)
    {
        var i = id.X;
        if (i >= count) return;
        var oldR = pixels[i].R;
        pixels[i].R += (byte)add;
        pixels[i].G = (byte)Math.Min(pixels[i].G + add, 255);
        pixels[i].B++;
        var newB = pixels[i].B;
        pixels[i].B = oldR;
        oldR = newB;
        if (oldR == 0) pixels[i].G ^= 0x80;
    }

    /// <summary>Length of the leading run of bytes above a threshold, with the index advanced inside the condition.</summary>
    [Kernel]
    public static void LeadingRun(ThreadId id, ReadOnlySpan<byte> data, Span<int> run, Span<int> stop, int rowLength, int threshold)
    {
        var r = id.X;
        if (r >= run.Length) return;
        int i = r * rowLength, end = i + rowLength, n = 0;
        while (i < end && data[i++] > threshold) n++;
        run[r] = n;
        stop[r] = i - r * rowLength;
    }
}
