using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// A depthwise KxK convolution (one filter per channel): folded-BN bias and activation fused. Two kernels:
/// <see cref="Forward"/> (4 outputs per invocation, specialised by the filter, the row loads and the pool epilogue) and
/// <see cref="ForwardPooled"/> (one workgroup per channel plane).
/// </summary>
public static partial class DepthwiseConvolution
{
    /// <summary>Adjacent output pixels of one row computed by one invocation of <see cref="Forward"/>.</summary>
    public const int PixelsPerInvocation = 4;

    /// <summary>Invocations of one <see cref="Forward"/> workgroup.</summary>
    public const int WorkgroupSize = 64;

    /// <summary>Largest kernel size the sliding-row loads support.</summary>
    public const int SlidingMaxKernelSize = 5;

    /// <summary>Most input values of one row the sliding-row loads hold (<c>3 * stride + kernelSize</c>, stride at most 2).</summary>
    private const int SlidingRowLength = 3 * 2 + SlidingMaxKernelSize;

    /// <summary>Partial sums <see cref="Forward"/> writes per channel plane with <c>writePartialPool</c>: one per workgroup of 64 row segments.</summary>
    public static int PartialPoolParts(int outHeight, int outWidth) => (outHeight * ((outWidth + 3) / 4) + WorkgroupSize - 1) / WorkgroupSize;

    /// <summary>
    /// <c>y[n, c, oy, ox] = act(bias[c] + sum_{ky,kx} w[c, ky, kx] * x[n, c, oy*s - p + ky, ox*s - p + kx])</c>,
    /// zero padding <c>p = (k - 1) / 2</c>. Each invocation computes 4 horizontally adjacent outputs of one row, so each
    /// weight load and the row bounds check serve 4 outputs. Specialised by the filter (<paramref name="kernelSize"/>,
    /// <paramref name="stride"/>), the activation and:
    /// <list type="bullet">
    /// <item><paramref name="slidingRows"/> (kernel size at most 5, stride 1 or 2): each input row is loaded once into up to 11
    /// registers (the <c>3 * stride + kernelSize</c> values the 4 outputs need, zero outside the image) instead of
    /// <c>4 * kernelSize</c> bounds-checked loads per tap row;</item>
    /// <item><paramref name="writePartialPool"/>: the squeeze-excitation pool's partial sums are written by the epilogue, so that
    /// no pool dispatch re-reads the output: <c>GroupId.X</c> = block of 64 row segments of one plane, <c>GroupId.Y</c> =
    /// channel, <c>GroupId.Z</c> = image (dispatch <c>Grid.Groups(PartialPoolParts(outHeight, outWidth), channels, batch)</c>);
    /// a workgroup tree adds the 64 sums into <c>partialPool[(n * channels + c) * parts + GroupId.X]</c>. The gate kernels add
    /// the <c>parts</c> values of a plane and scale by <c>1 / plane</c>. Without it, the 64 invocations of a workgroup take
    /// consecutive row segments of all channels (<c>Grid.Threads(channels * outHeight * ceil(outWidth / 4), batch)</c>)
    /// and <paramref name="partialPool"/> is not touched.</item>
    /// </list>
    /// </summary>
    [Kernel(WorkgroupSize = WorkgroupSize)]
    public static void Forward(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        Span<float> partialPool, int channels, int inHeight, int inWidth, int outHeight, int outWidth,
        [Specialize] int kernelSize, [Specialize] int stride, [Specialize] Activation activation,
        [Specialize] bool slidingRows, [Specialize] bool writePartialPool, [GroupShared(WorkgroupSize)] Span<float> sums)
    {
        int t = local.X;
        int segments = (outWidth + 3) / 4;
        int planeSegments = outHeight * segments;
        int r = group.X * WorkgroupSize + t;
        int c = group.Y;
        int n = group.Z;
        if (!writePartialPool)
        {
            c = r / planeSegments;
            r -= c * planeSegments;
            n = group.Y;
        }
        float sum = 0f;
        if (r < planeSegments && c < channels)
        {
            int oy = r / segments;
            int ox0 = (r - oy * segments) * 4;
            int pad = (kernelSize - 1) / 2;
            int xBase = (n * channels + c) * inHeight * inWidth;
            int wBase = c * kernelSize * kernelSize;
            int iy0 = oy * stride - pad;
            int ix0 = ox0 * stride - pad;
            Vector4 a = new Vector4(bias[c]);
            for (int ky = 0; ky < kernelSize; ky++)
            {
                int iy = iy0 + ky;
                if (iy >= 0 && iy < inHeight)
                {
                    int row = xBase + iy * inWidth;
                    int wRow = wBase + ky * kernelSize;
                    if (slidingRows)
                    {
                        a += SlidingRow(x, weight, row, wRow, ix0, inWidth, kernelSize, stride);
                    }
                    else
                    {
                        for (int kx = 0; kx < kernelSize; kx++)
                        {
                            int ix = ix0 + kx;
                            a += weight[wRow + kx] * new Vector4(Tap(x, row, ix, inWidth), Tap(x, row, ix + stride, inWidth),
                                Tap(x, row, ix + 2 * stride, inWidth), Tap(x, row, ix + 3 * stride, inWidth));
                        }
                    }
                }
            }
            int yRow = ((n * channels + c) * outHeight + oy) * outWidth + ox0;
            for (int j = 0; j < 4; j++)
            {
                if (ox0 + j < outWidth)
                {
                    float v = ActivationFunction.Apply(a[j], activation);
                    y[yRow + j] = v;
                    sum += v;
                }
            }
        }
        if (writePartialPool)
        {
            sums[t] = sum;
            Workgroup.Barrier();
            for (int s = WorkgroupSize / 2; s > 0; s >>= 1)
            {
                if (t < s)
                {
                    sums[t] += sums[t + s];
                }
                Workgroup.Barrier();
            }
            if (t == 0)
            {
                partialPool[(n * channels + c) * ((planeSegments + WorkgroupSize - 1) / WorkgroupSize) + group.X] = sums[0];
            }
        }
    }

    /// <summary>Input column <paramref name="ix"/> of the row at <paramref name="row"/>, zero outside the image.</summary>
    private static float Tap(ReadOnlySpan<float> x, int row, int ix, int inWidth)
    {
        float v = 0f;
        if (ix >= 0 && ix < inWidth)
        {
            v = x[row + ix];
        }
        return v;
    }

    /// <summary>
    /// One filter row's contribution to the 4 outputs: the <c>3 * stride + kernelSize</c> input values from column
    /// <paramref name="ix0"/> of the row at <paramref name="row"/> (zero outside the image) loaded once, the row's weights at <paramref name="wRow"/>.
    /// </summary>
    private static Vector4 SlidingRow(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, int row, int wRow, int ix0, int inWidth, int kernelSize, int stride)
    {
        int needed = 3 * stride + kernelSize;
        Span<float> v = stackalloc float[SlidingRowLength];
        for (int i = 0; i < needed; i++)
        {
            int ix = ix0 + i;
            if (ix >= 0 && ix < inWidth)
            {
                v[i] = x[row + ix];
            }
        }
        Span<float> w = stackalloc float[SlidingMaxKernelSize];
        for (int kx = 0; kx < kernelSize; kx++)
        {
            w[kx] = weight[wRow + kx];
        }
        Vector4 a = default;
        for (int kx = 0; kx < kernelSize; kx++)
        {
            a += w[kx] * new Vector4(v[kx], v[stride + kx], v[2 * stride + kx], v[3 * stride + kx]);
        }
        return a;
    }
}
