using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

public static partial class DepthwiseConvolution
{
    /// <summary>Largest kernel size <see cref="ForwardSliding"/> supports.</summary>
    public const int SlidingMaxKernelSize = 5;

    /// <summary>
    /// The same function as <see cref="Forward"/> (4 adjacent outputs of a row per invocation, same grid)
    /// for kernel sizes up to 5 and strides 1 or 2: each input row is loaded once into 11 registers
    /// (the <c>3 * stride + kernelSize</c> values the 4 outputs need, zero outside the image) and the
    /// weights of the row into 5, so an input row costs up to 11 loads instead of <c>4 * kernelSize</c>
    /// (20 for 5x5) and no per-tap bounds checks. Weights past <paramref name="kernelSize"/> read as
    /// zero, which makes the unrolled 5-tap sums exact for 3x3.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForwardSliding(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int channels, int inHeight, int inWidth, int outHeight, int outWidth, int kernelSize, int stride, int activation)
    {
        int segments = (outWidth + 3) / 4;
        int planeSegments = outHeight * segments;
        int index = id.X;
        int n = id.Y;
        if (index >= channels * planeSegments)
        {
            return;
        }
        int c = index / planeSegments;
        int r = index - c * planeSegments;
        int oy = r / segments;
        int ox0 = (r - oy * segments) * 4;
        int pad = (kernelSize - 1) / 2;
        Vector4 a = SlidingSums(x, weight, bias[c], (n * channels + c) * inHeight * inWidth, c * kernelSize * kernelSize,
            oy * stride - pad, ox0 * stride - pad, inHeight, inWidth, kernelSize, stride);
        int yRow = ((n * channels + c) * outHeight + oy) * outWidth + ox0;
        StoreRow(y, a, yRow, outWidth - ox0, activation);
    }

    /// <summary>
    /// The 4 pre-activation sums of <see cref="ForwardSliding"/> for outputs <c>ox0..ox0+3</c> of one row: input row
    /// origin (<paramref name="iy0"/>, <paramref name="ix0"/>) in the plane at <paramref name="xBase"/>, weights at <paramref name="wBase"/>.
    /// </summary>
    private static Vector4 SlidingSums(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float b, int xBase, int wBase, int iy0, int ix0,
        int inHeight, int inWidth, int kernelSize, int stride)
    {
        int needed = 3 * stride + kernelSize;
        float a0 = b;
        float a1 = b;
        float a2 = b;
        float a3 = b;
        for (int ky = 0; ky < kernelSize; ky++)
        {
            int iy = iy0 + ky;
            if (iy >= 0 && iy < inHeight)
            {
                int row = xBase + iy * inWidth;
                float r0 = 0f;
                if (0 < needed && ix0 + 0 >= 0 && ix0 + 0 < inWidth)
                {
                    r0 = x[row + ix0 + 0];
                }
                float r1 = 0f;
                if (1 < needed && ix0 + 1 >= 0 && ix0 + 1 < inWidth)
                {
                    r1 = x[row + ix0 + 1];
                }
                float r2 = 0f;
                if (2 < needed && ix0 + 2 >= 0 && ix0 + 2 < inWidth)
                {
                    r2 = x[row + ix0 + 2];
                }
                float r3 = 0f;
                if (3 < needed && ix0 + 3 >= 0 && ix0 + 3 < inWidth)
                {
                    r3 = x[row + ix0 + 3];
                }
                float r4 = 0f;
                if (4 < needed && ix0 + 4 >= 0 && ix0 + 4 < inWidth)
                {
                    r4 = x[row + ix0 + 4];
                }
                float r5 = 0f;
                if (5 < needed && ix0 + 5 >= 0 && ix0 + 5 < inWidth)
                {
                    r5 = x[row + ix0 + 5];
                }
                float r6 = 0f;
                if (6 < needed && ix0 + 6 >= 0 && ix0 + 6 < inWidth)
                {
                    r6 = x[row + ix0 + 6];
                }
                float r7 = 0f;
                if (7 < needed && ix0 + 7 >= 0 && ix0 + 7 < inWidth)
                {
                    r7 = x[row + ix0 + 7];
                }
                float r8 = 0f;
                if (8 < needed && ix0 + 8 >= 0 && ix0 + 8 < inWidth)
                {
                    r8 = x[row + ix0 + 8];
                }
                float r9 = 0f;
                if (9 < needed && ix0 + 9 >= 0 && ix0 + 9 < inWidth)
                {
                    r9 = x[row + ix0 + 9];
                }
                float r10 = 0f;
                if (10 < needed && ix0 + 10 >= 0 && ix0 + 10 < inWidth)
                {
                    r10 = x[row + ix0 + 10];
                }
                int wRow = wBase + ky * kernelSize;
                float w0 = 0f;
                if (0 < kernelSize)
                {
                    w0 = weight[wRow + 0];
                }
                float w1 = 0f;
                if (1 < kernelSize)
                {
                    w1 = weight[wRow + 1];
                }
                float w2 = 0f;
                if (2 < kernelSize)
                {
                    w2 = weight[wRow + 2];
                }
                float w3 = 0f;
                if (3 < kernelSize)
                {
                    w3 = weight[wRow + 3];
                }
                float w4 = 0f;
                if (4 < kernelSize)
                {
                    w4 = weight[wRow + 4];
                }
                if (stride == 1)
                {
                    a0 += w0 * r0 + w1 * r1 + w2 * r2 + w3 * r3 + w4 * r4;
                    a1 += w0 * r1 + w1 * r2 + w2 * r3 + w3 * r4 + w4 * r5;
                    a2 += w0 * r2 + w1 * r3 + w2 * r4 + w3 * r5 + w4 * r6;
                    a3 += w0 * r3 + w1 * r4 + w2 * r5 + w3 * r6 + w4 * r7;
                }
                else
                {
                    a0 += w0 * r0 + w1 * r1 + w2 * r2 + w3 * r3 + w4 * r4;
                    a1 += w0 * r2 + w1 * r3 + w2 * r4 + w3 * r5 + w4 * r6;
                    a2 += w0 * r4 + w1 * r5 + w2 * r6 + w3 * r7 + w4 * r8;
                    a3 += w0 * r6 + w1 * r7 + w2 * r8 + w3 * r9 + w4 * r10;
                }
            }
        }
        return new Vector4(a0, a1, a2, a3);
    }

    /// <summary>Stores the activated sums of up to 4 outputs (<paramref name="valid"/> of them lie in the row) and returns their sum.</summary>
    private static float StoreRow(Span<float> y, Vector4 a, int yRow, int valid, int activation)
    {
        float v0 = Activation.Apply(a.X, activation);
        y[yRow] = v0;
        float sum = v0;
        if (valid > 1)
        {
            float v1 = Activation.Apply(a.Y, activation);
            y[yRow + 1] = v1;
            sum += v1;
        }
        if (valid > 2)
        {
            float v2 = Activation.Apply(a.Z, activation);
            y[yRow + 2] = v2;
            sum += v2;
        }
        if (valid > 3)
        {
            float v3 = Activation.Apply(a.W, activation);
            y[yRow + 3] = v3;
            sum += v3;
        }
        return sum;
    }

    /// <summary>Invocations of one <see cref="ForwardSlidingPartialPool"/> workgroup (row segments of one channel plane).</summary>
    public const int PartialPoolWorkgroupSize = 64;

    /// <summary>Partial sums <see cref="ForwardSlidingPartialPool"/> writes per channel plane: one per workgroup of 64 row segments.</summary>
    public static int PartialPoolParts(int outHeight, int outWidth) => (outHeight * ((outWidth + 3) / 4) + 63) / 64;

    /// <summary>
    /// <see cref="ForwardSliding"/> with the squeeze-excitation pool's partial sums written by the epilogue, so that no
    /// pool dispatch re-reads the output: <c>GroupId.X</c> = block of 64 row segments of one plane, <c>GroupId.Y</c> =
    /// channel, <c>GroupId.Z</c> = image (dispatch <c>Grid.Groups(PartialPoolParts(outHeight, outWidth), channels, batch)</c>).
    /// Each invocation computes and stores its 4 outputs as <see cref="ForwardSliding"/> and keeps their sum; a
    /// workgroup tree adds the 64 sums into <c>partialPool[(n * channels + c) * parts + GroupId.X]</c>
    /// (<c>parts</c> = <see cref="PartialPoolParts"/>). The gate kernels add the <c>parts</c> values of a plane and scale
    /// by <c>1 / plane</c> (<see cref="FullyConnected.ForwardReduce"/>, <see cref="SqueezeExcitation.Gate"/>).
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForwardSlidingPartialPool(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        Span<float> partialPool, int channels, int inHeight, int inWidth, int outHeight, int outWidth, int kernelSize, int stride,
        int activation, [GroupShared(64)] Span<float> sums)
    {
        int t = local.X;
        int segments = (outWidth + 3) / 4;
        int planeSegments = outHeight * segments;
        int parts = (planeSegments + 63) / 64;
        int r = group.X * 64 + t;
        int c = group.Y;
        int n = group.Z;
        float sum = 0f;
        if (r < planeSegments)
        {
            int oy = r / segments;
            int ox0 = (r - oy * segments) * 4;
            int pad = (kernelSize - 1) / 2;
            Vector4 a = SlidingSums(x, weight, bias[c], (n * channels + c) * inHeight * inWidth, c * kernelSize * kernelSize,
                oy * stride - pad, ox0 * stride - pad, inHeight, inWidth, kernelSize, stride);
            sum = StoreRow(y, a, ((n * channels + c) * outHeight + oy) * outWidth + ox0, outWidth - ox0, activation);
        }
        sums[t] = sum;
        Workgroup.Barrier();
        for (int s = 32; s > 0; s >>= 1)
        {
            if (t < s)
            {
                sums[t] += sums[t + s];
            }
            Workgroup.Barrier();
        }
        if (t == 0)
        {
            partialPool[(n * channels + c) * parts + group.X] = sums[0];
        }
    }
}
