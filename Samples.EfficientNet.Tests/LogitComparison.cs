namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Compares logits with the fixture: max abs difference and top-1 agreement per image.</summary>
internal static class LogitComparison
{
    public static (double MaxAbsDiff, int Top1Matches) Compare(float[] actual, float[] expected, int n, int classes)
    {
        Assert.Equal(n * classes, actual.Length);
        double max = 0;
        int matches = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> a = actual.AsSpan(i * classes, classes), e = expected.AsSpan(i * classes, classes);
            for (int k = 0; k < classes; k++)
            {
                Assert.True(float.IsFinite(a[k]), $"image {i}: logit {k} is {a[k]}");
                max = Math.Max(max, Math.Abs(a[k] - e[k]));
            }
            if (ArgMax(a) == ArgMax(e)) matches++;
        }
        return (max, matches);
    }

    public static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
