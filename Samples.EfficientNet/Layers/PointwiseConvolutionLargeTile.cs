using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

public static partial class PointwiseConvolution
{
    /// <summary>Output channels of one workgroup tile of <see cref="ForwardLargeTilePrefetch"/>.</summary>
    public const int LargeTileChannels = 64;

    /// <summary>Output columns (pixels over the whole batch) of one workgroup tile of <see cref="ForwardLargeTilePrefetch"/>.</summary>
    public const int LargeTileColumns = 128;

    /// <summary>
    /// The same function as <see cref="Forward"/>, as a shared-memory tiled matrix product with a large register
    /// block: the pixels of all images form one column axis (column <c>j</c> = image <c>j / plane</c>, pixel
    /// <c>j % plane</c>, so 7x7 layers of a batch fill whole tiles), one workgroup of 256 invocations computes a
    /// 64-channel x 128-column output tile (<c>GroupId.X</c> = column tile, <c>GroupId.Y</c> = channel tile),
    /// stepping over the input channels 16 at a time. Workgroup memory holds the slices as <see cref="Vector4"/>s
    /// (weights: 4 channels per element, rows padded to 17 elements so the transposing stores do not collide;
    /// inputs: 4 columns per element), so each invocation reads 3 vectors per input channel for 32 FMAs into a
    /// 4-channel x 8-column block (channels <c>4ty..4ty+3</c>, columns <c>4tx..4tx+3</c> and <c>64+4tx..64+4tx+3</c>).
    /// Epilogue as <see cref="Forward"/>: bias, activation, residual; the squeeze-excitation scale is applied to the
    /// inputs on the way into workgroup memory. The device loads of the next 16 input channels are issued into
    /// registers before the FMAs of the current ones (software pipelining), so their latency overlaps arithmetic, and an
    /// optional split of the input channels over <c>GroupId.Z</c> (split-K, for small planes where the tiles alone
    /// leave most of the device idle): workgroup <c>z</c> sums input channels <c>z * kChunk</c> up to
    /// <c>(z + 1) * kChunk</c> (<paramref name="kChunk"/> a multiple of 16; at least <paramref name="inChannels"/>
    /// for one split) and writes its partial sums at <c>y[z * splitStride + ...]</c>; bias and residual are added by
    /// split 0 only, so with several splits pass <see cref="Activation.None"/> and let <see cref="SumSplits"/> add
    /// the partial outputs and apply the activation.
    /// </summary>
    [Kernel(WorkgroupSize = 256)]
    public static void ForwardLargeTilePrefetch(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> inputScale, ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int columns, int activation, int useInputScale, int useResidual,
        int kChunk, int splitStride,
        [GroupShared(272)] Span<Vector4> wTile, [GroupShared(512)] Span<Vector4> xTile)
    {
        int t = local.X;
        int tx = t % 16;
        int ty = t / 16;
        int colBase = group.X * 128;
        int cBase = group.Y * 64;
        int split = group.Z;
        int kBegin = split * kChunk;
        int kEnd = Math.Min(kBegin + kChunk, inChannels);

        // Staging roles (fixed over the K loop): inputs: 4 columns (t % 32) of rows t / 32 and t / 32 + 8;
        // weights: row t % 16 (consecutive invocations read consecutive input channels) of channels 4 * (t / 16).
        int lc = t % 32;
        int lk = t / 32;
        int imageStride = inChannels * plane;
        int xOff0 = -1; int xOff1 = -1; int xOff2 = -1; int xOff3 = -1;
        int sOff0 = 0; int sOff1 = 0; int sOff2 = 0; int sOff3 = 0;
        int col0 = colBase + lc * 4;
        if (col0 < columns)
        {
            int img = col0 / plane;
            xOff0 = img * imageStride + col0 - img * plane;
            sOff0 = img * inChannels;
        }
        if (col0 + 1 < columns)
        {
            int img = (col0 + 1) / plane;
            xOff1 = img * imageStride + col0 + 1 - img * plane;
            sOff1 = img * inChannels;
        }
        if (col0 + 2 < columns)
        {
            int img = (col0 + 2) / plane;
            xOff2 = img * imageStride + col0 + 2 - img * plane;
            sOff2 = img * inChannels;
        }
        if (col0 + 3 < columns)
        {
            int img = (col0 + 3) / plane;
            xOff3 = img * imageStride + col0 + 3 - img * plane;
            sOff3 = img * inChannels;
        }
        int wk = t % 16;
        int wo = cBase + (t / 16) * 4;

        Vector4 a00 = default; Vector4 a01 = default;
        Vector4 a10 = default; Vector4 a11 = default;
        Vector4 a20 = default; Vector4 a21 = default;
        Vector4 a30 = default; Vector4 a31 = default;

        Vector4 nx0 = LoadLargeTileInputs(x, inputScale, xOff0, xOff1, xOff2, xOff3, sOff0, sOff1, sOff2, sOff3, kBegin + lk, kEnd, plane, useInputScale);
        Vector4 nx1 = LoadLargeTileInputs(x, inputScale, xOff0, xOff1, xOff2, xOff3, sOff0, sOff1, sOff2, sOff3, kBegin + lk + 8, kEnd, plane, useInputScale);
        Vector4 nw = LoadLargeTileWeights(weight, wo, kBegin + wk, inChannels, kEnd, outChannels);
        for (int k0 = kBegin; k0 < kEnd; k0 += 16)
        {
            xTile[lk * 32 + lc] = nx0;
            xTile[(lk + 8) * 32 + lc] = nx1;
            wTile[wk * 17 + t / 16] = nw;
            Workgroup.Barrier();
            // The next slice's device loads are issued before this slice's FMAs, which hide their latency.
            int kn = k0 + 16;
            nx0 = LoadLargeTileInputs(x, inputScale, xOff0, xOff1, xOff2, xOff3, sOff0, sOff1, sOff2, sOff3, kn + lk, kEnd, plane, useInputScale);
            nx1 = LoadLargeTileInputs(x, inputScale, xOff0, xOff1, xOff2, xOff3, sOff0, sOff1, sOff2, sOff3, kn + lk + 8, kEnd, plane, useInputScale);
            nw = LoadLargeTileWeights(weight, wo, kn + wk, inChannels, kEnd, outChannels);
            for (int kk = 0; kk < 16; kk++)
            {
                Vector4 w = wTile[kk * 17 + ty];
                Vector4 xa = xTile[kk * 32 + tx];
                Vector4 xb = xTile[kk * 32 + 16 + tx];
                a00 += w.X * xa; a01 += w.X * xb;
                a10 += w.Y * xa; a11 += w.Y * xb;
                a20 += w.Z * xa; a21 += w.Z * xb;
                a30 += w.W * xa; a31 += w.W * xb;
            }
            Workgroup.Barrier();
        }

        int oc = cBase + ty * 4;
        int colA = colBase + tx * 4;
        int colB = colBase + 64 + tx * 4;
        StoreLargeTileColumns(y, bias, residual, a00, a10, a20, a30, oc, colA, outChannels, plane, columns, activation, useResidual, split, splitStride);
        StoreLargeTileColumns(y, bias, residual, a01, a11, a21, a31, oc, colB, outChannels, plane, columns, activation, useResidual, split, splitStride);
    }

    /// <summary>
    /// Finishes a split-K <see cref="ForwardLargeTilePrefetch"/>: <c>y[i] = act(sum_z partial[z * count + i])</c> for the
    /// <paramref name="count"/> = images x channels x plane outputs; <c>id.X</c> = output within an image
    /// (<paramref name="perImage"/> of them), <c>id.Y</c> = image.
    /// </summary>
    [Kernel(WorkgroupSize = 256)]
    public static void SumSplits(ThreadId id, ReadOnlySpan<float> partial, Span<float> y, int perImage, int count, int splits, int activation)
    {
        if (id.X >= perImage)
        {
            return;
        }
        int i = id.Y * perImage + id.X;
        float sum = 0f;
        for (int z = 0; z < splits; z++)
        {
            sum += partial[z * count + i];
        }
        y[i] = Activation.Apply(sum, activation);
    }

    /// <summary>Input row <paramref name="k"/> at 4 columns (offsets -1: outside), scaled when asked; zero from <paramref name="kEnd"/> on.</summary>
    private static Vector4 LoadLargeTileInputs(
        ReadOnlySpan<float> x, ReadOnlySpan<float> inputScale, int xOff0, int xOff1, int xOff2, int xOff3,
        int sOff0, int sOff1, int sOff2, int sOff3, int k, int kEnd, int plane, int useInputScale)
    {
        Vector4 xv = default;
        if (k < kEnd)
        {
            int rowOff = k * plane;
            if (xOff0 >= 0) xv.X = x[xOff0 + rowOff];
            if (xOff1 >= 0) xv.Y = x[xOff1 + rowOff];
            if (xOff2 >= 0) xv.Z = x[xOff2 + rowOff];
            if (xOff3 >= 0) xv.W = x[xOff3 + rowOff];
            if (useInputScale != 0)
            {
                xv = xv * new Vector4(inputScale[sOff0 + k], inputScale[sOff1 + k], inputScale[sOff2 + k], inputScale[sOff3 + k]);
            }
        }
        return xv;
    }

    /// <summary>Weights of input channel <paramref name="k"/> for output channels <paramref name="wo"/>..+3; zero outside (from <paramref name="kEnd"/> on).</summary>
    private static Vector4 LoadLargeTileWeights(ReadOnlySpan<float> weight, int wo, int k, int inChannels, int kEnd, int outChannels)
    {
        Vector4 wv = default;
        if (k < kEnd)
        {
            if (wo < outChannels) wv.X = weight[wo * inChannels + k];
            if (wo + 1 < outChannels) wv.Y = weight[(wo + 1) * inChannels + k];
            if (wo + 2 < outChannels) wv.Z = weight[(wo + 2) * inChannels + k];
            if (wo + 3 < outChannels) wv.W = weight[(wo + 3) * inChannels + k];
        }
        return wv;
    }

    /// <summary>Output channels of one workgroup tile of <see cref="ForwardNarrowTile"/>.</summary>
    public const int NarrowTileChannels = 32;

    /// <summary>Output columns of one workgroup tile of <see cref="ForwardNarrowTile"/>.</summary>
    public const int NarrowTileColumns = 256;

    /// <summary>
    /// <see cref="ForwardLargeTilePrefetch"/> for layers with few output channels (16 or 24 in EfficientNet-B0, where a
    /// 64-channel tile would compute mostly padding): a 32-channel x 256-column tile, input channels 8 at a
    /// time (the workgroup memory of 16 would exceed WebGPU's default 16 KiB), the same 4x8 block per
    /// invocation (channels <c>4ty..4ty+3</c> for <c>ty</c> &lt; 8, columns <c>4tx..4tx+3</c> and
    /// <c>128+4tx..128+4tx+3</c> for <c>tx</c> &lt; 32).
    /// </summary>
    [Kernel(WorkgroupSize = 256)]
    public static void ForwardNarrowTile(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> inputScale, ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int columns, int activation, int useInputScale, int useResidual,
        [GroupShared(72)] Span<Vector4> wTile, [GroupShared(512)] Span<Vector4> xTile)
    {
        int t = local.X;
        int tx = t % 32;
        int ty = t / 32;
        int colBase = group.X * 256;
        int cBase = group.Y * 32;

        // Staging roles (fixed over the K loop): inputs: 4 columns (t % 64) of rows t / 64 and t / 64 + 4;
        // weights (invocations below 64): row t % 8 of channels 4 * (t / 8).
        int lc = t % 64;
        int lk = t / 64;
        int imageStride = inChannels * plane;
        int xOff0 = -1; int xOff1 = -1; int xOff2 = -1; int xOff3 = -1;
        int sOff0 = 0; int sOff1 = 0; int sOff2 = 0; int sOff3 = 0;
        int col0 = colBase + lc * 4;
        if (col0 < columns)
        {
            int img = col0 / plane;
            xOff0 = img * imageStride + col0 - img * plane;
            sOff0 = img * inChannels;
        }
        if (col0 + 1 < columns)
        {
            int img = (col0 + 1) / plane;
            xOff1 = img * imageStride + col0 + 1 - img * plane;
            sOff1 = img * inChannels;
        }
        if (col0 + 2 < columns)
        {
            int img = (col0 + 2) / plane;
            xOff2 = img * imageStride + col0 + 2 - img * plane;
            sOff2 = img * inChannels;
        }
        if (col0 + 3 < columns)
        {
            int img = (col0 + 3) / plane;
            xOff3 = img * imageStride + col0 + 3 - img * plane;
            sOff3 = img * inChannels;
        }
        int wk = t % 8;
        int wo = cBase + (t / 8) * 4;

        Vector4 a00 = default; Vector4 a01 = default;
        Vector4 a10 = default; Vector4 a11 = default;
        Vector4 a20 = default; Vector4 a21 = default;
        Vector4 a30 = default; Vector4 a31 = default;

        for (int k0 = 0; k0 < inChannels; k0 += 8)
        {
            for (int j = 0; j < 2; j++)
            {
                int kk = lk + 4 * j;
                int k = k0 + kk;
                Vector4 xv = default;
                if (k < inChannels)
                {
                    int rowOff = k * plane;
                    if (xOff0 >= 0) xv.X = x[xOff0 + rowOff];
                    if (xOff1 >= 0) xv.Y = x[xOff1 + rowOff];
                    if (xOff2 >= 0) xv.Z = x[xOff2 + rowOff];
                    if (xOff3 >= 0) xv.W = x[xOff3 + rowOff];
                    if (useInputScale != 0)
                    {
                        xv = xv * new Vector4(inputScale[sOff0 + k], inputScale[sOff1 + k], inputScale[sOff2 + k], inputScale[sOff3 + k]);
                    }
                }
                xTile[kk * 64 + lc] = xv;
            }
            if (t < 64)
            {
                int k = k0 + wk;
                Vector4 wv = default;
                if (k < inChannels)
                {
                    if (wo < outChannels) wv.X = weight[wo * inChannels + k];
                    if (wo + 1 < outChannels) wv.Y = weight[(wo + 1) * inChannels + k];
                    if (wo + 2 < outChannels) wv.Z = weight[(wo + 2) * inChannels + k];
                    if (wo + 3 < outChannels) wv.W = weight[(wo + 3) * inChannels + k];
                }
                wTile[wk * 9 + t / 8] = wv;
            }
            Workgroup.Barrier();
            for (int kk = 0; kk < 8; kk++)
            {
                Vector4 w = wTile[kk * 9 + ty];
                Vector4 xa = xTile[kk * 64 + tx];
                Vector4 xb = xTile[kk * 64 + 32 + tx];
                a00 += w.X * xa; a01 += w.X * xb;
                a10 += w.Y * xa; a11 += w.Y * xb;
                a20 += w.Z * xa; a21 += w.Z * xb;
                a30 += w.W * xa; a31 += w.W * xb;
            }
            Workgroup.Barrier();
        }

        int oc = cBase + ty * 4;
        int colA = colBase + tx * 4;
        int colB = colBase + 128 + tx * 4;
        StoreLargeTileColumns(y, bias, residual, a00, a10, a20, a30, oc, colA, outChannels, plane, columns, activation, useResidual, 0, 0);
        StoreLargeTileColumns(y, bias, residual, a01, a11, a21, a31, oc, colB, outChannels, plane, columns, activation, useResidual, 0, 0);
    }

    /// <summary>
    /// Epilogue of <see cref="ForwardLargeTilePrefetch"/>: writes 4 channels (<paramref name="oc"/>..+3, one accumulator
    /// each) x 4 consecutive columns (<paramref name="col"/>..+3, the vector components) with bias,
    /// activation and residual.
    /// </summary>
    private static void StoreLargeTileColumns(
        Span<float> y, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Vector4 c0, Vector4 c1, Vector4 c2, Vector4 c3,
        int oc, int col, int outChannels, int plane, int columns, int activation, int useResidual, int split, int splitStride)
    {
        for (int i = 0; i < 4; i++)
        {
            int column = col + i;
            if (column < columns)
            {
                int img = column / plane;
                int baseOff = img * outChannels * plane + column - img * plane;
                float v0 = c0.X; float v1 = c1.X; float v2 = c2.X; float v3 = c3.X;
                if (i == 1) { v0 = c0.Y; v1 = c1.Y; v2 = c2.Y; v3 = c3.Y; }
                if (i == 2) { v0 = c0.Z; v1 = c1.Z; v2 = c2.Z; v3 = c3.Z; }
                if (i == 3) { v0 = c0.W; v1 = c1.W; v2 = c2.W; v3 = c3.W; }
                StoreLargeTileValue(y, bias, residual, v0, oc, baseOff, outChannels, plane, activation, useResidual, split, splitStride);
                StoreLargeTileValue(y, bias, residual, v1, oc + 1, baseOff, outChannels, plane, activation, useResidual, split, splitStride);
                StoreLargeTileValue(y, bias, residual, v2, oc + 2, baseOff, outChannels, plane, activation, useResidual, split, splitStride);
                StoreLargeTileValue(y, bias, residual, v3, oc + 3, baseOff, outChannels, plane, activation, useResidual, split, splitStride);
            }
        }
    }

    private static void StoreLargeTileValue(
        Span<float> y, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, float acc,
        int o, int baseOff, int outChannels, int plane, int activation, int useResidual, int split, int splitStride)
    {
        if (o < outChannels)
        {
            int at = baseOff + o * plane;
            float v = acc;
            if (split == 0)
            {
                v += bias[o];
            }
            v = Activation.Apply(v, activation);
            if (useResidual != 0 && split == 0)
            {
                v += residual[at];
            }
            y[split * splitStride + at] = v;
        }
    }
}
