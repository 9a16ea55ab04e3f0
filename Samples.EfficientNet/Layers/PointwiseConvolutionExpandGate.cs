using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

public static partial class PointwiseConvolution
{
    /// <summary>
    /// <see cref="ForwardLargeTilePrefetch"/> with the squeeze-excitation expand folded in: instead of a gate vector made by a
    /// separate dispatch, it reads the squeezed vector <paramref name="squeezed"/> (<paramref name="squeeze"/> values per image,
    /// after the reduce's SiLU) and computes each input channel's gate
    /// <c>g[k] = sigmoid(expandBias[k] + sum_j expandWeight[k, j] * squeezed[img, j])</c> as it loads that channel's weights,
    /// scaling the weights (<c>sum_k (w[o, k] g[k]) x[k, p]</c>, the same function as scaling the inputs). The gate is per
    /// image, so every column of a 128-column tile must lie in one image: batch 1, or a plane that is a multiple of
    /// <see cref="LargeTileColumns"/> (the plan checks). Split-K, bias, activation and residual as <see cref="ForwardLargeTilePrefetch"/>.
    /// </summary>
    [Kernel(WorkgroupSize = 256)]
    public static void ForwardLargeTileExpandGate(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> squeezed, ReadOnlySpan<float> expandWeight, ReadOnlySpan<float> expandBias,
        ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int columns, int squeeze, int activation, int useResidual,
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
        // The tile's image (all its columns share it); its squeezed vector starts here.
        int sBase = Math.Min(colBase, columns - 1) / plane * squeeze;

        int lc = t % 32;
        int lk = t / 32;
        int imageStride = inChannels * plane;
        int xOff0 = -1; int xOff1 = -1; int xOff2 = -1; int xOff3 = -1;
        int col0 = colBase + lc * 4;
        if (col0 < columns)
        {
            int img = col0 / plane;
            xOff0 = img * imageStride + col0 - img * plane;
        }
        if (col0 + 1 < columns)
        {
            int img = (col0 + 1) / plane;
            xOff1 = img * imageStride + col0 + 1 - img * plane;
        }
        if (col0 + 2 < columns)
        {
            int img = (col0 + 2) / plane;
            xOff2 = img * imageStride + col0 + 2 - img * plane;
        }
        if (col0 + 3 < columns)
        {
            int img = (col0 + 3) / plane;
            xOff3 = img * imageStride + col0 + 3 - img * plane;
        }
        int wk = t % 16;
        int wo = cBase + (t / 16) * 4;

        Vector4 a00 = default; Vector4 a01 = default;
        Vector4 a10 = default; Vector4 a11 = default;
        Vector4 a20 = default; Vector4 a21 = default;
        Vector4 a30 = default; Vector4 a31 = default;

        Vector4 nx0 = LoadUnscaledInputs(x, xOff0, xOff1, xOff2, xOff3, kBegin + lk, kEnd, plane);
        Vector4 nx1 = LoadUnscaledInputs(x, xOff0, xOff1, xOff2, xOff3, kBegin + lk + 8, kEnd, plane);
        Vector4 nw = LoadGatedWeights(weight, squeezed, expandWeight, expandBias, sBase, squeeze, wo, kBegin + wk, inChannels, kEnd, outChannels);
        for (int k0 = kBegin; k0 < kEnd; k0 += 16)
        {
            xTile[lk * 32 + lc] = nx0;
            xTile[(lk + 8) * 32 + lc] = nx1;
            wTile[wk * 17 + t / 16] = nw;
            Workgroup.Barrier();
            int kn = k0 + 16;
            nx0 = LoadUnscaledInputs(x, xOff0, xOff1, xOff2, xOff3, kn + lk, kEnd, plane);
            nx1 = LoadUnscaledInputs(x, xOff0, xOff1, xOff2, xOff3, kn + lk + 8, kEnd, plane);
            nw = LoadGatedWeights(weight, squeezed, expandWeight, expandBias, sBase, squeeze, wo, kn + wk, inChannels, kEnd, outChannels);
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

    /// <summary>Input row <paramref name="k"/> at 4 columns (offsets -1: outside); zero from <paramref name="kEnd"/> on.</summary>
    private static Vector4 LoadUnscaledInputs(ReadOnlySpan<float> x, int xOff0, int xOff1, int xOff2, int xOff3, int k, int kEnd, int plane)
    {
        Vector4 xv = default;
        if (k < kEnd)
        {
            int rowOff = k * plane;
            if (xOff0 >= 0) xv.X = x[xOff0 + rowOff];
            if (xOff1 >= 0) xv.Y = x[xOff1 + rowOff];
            if (xOff2 >= 0) xv.Z = x[xOff2 + rowOff];
            if (xOff3 >= 0) xv.W = x[xOff3 + rowOff];
        }
        return xv;
    }

    /// <summary>
    /// <see cref="LoadLargeTileWeights"/> times input channel <paramref name="k"/>'s gate, computed from the squeezed vector
    /// at <paramref name="sBase"/> as <see cref="FullyConnected.Forward"/> with <see cref="Activation.Sigmoid"/> would.
    /// </summary>
    private static Vector4 LoadGatedWeights(
        ReadOnlySpan<float> weight, ReadOnlySpan<float> squeezed, ReadOnlySpan<float> expandWeight, ReadOnlySpan<float> expandBias,
        int sBase, int squeeze, int wo, int k, int inChannels, int kEnd, int outChannels)
    {
        Vector4 wv = LoadLargeTileWeights(weight, wo, k, inChannels, kEnd, outChannels);
        if (k < kEnd)
        {
            int eBase = k * squeeze;
            float acc = expandBias[k];
            for (int j = 0; j < squeeze; j++)
            {
                acc += expandWeight[eBase + j] * squeezed[sBase + j];
            }
            wv = wv * Activation.Apply(acc, Activation.Sigmoid);
        }
        return wv;
    }
}
