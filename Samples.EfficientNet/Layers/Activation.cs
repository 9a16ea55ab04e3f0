namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// Activation functions fused into the layer kernels' epilogues, selected by an int uniform
/// (<see cref="None"/>, <see cref="Silu"/>, <see cref="Sigmoid"/>).
/// </summary>
public static class Activation
{
    /// <summary>Identity.</summary>
    public const int None = 0;

    /// <summary>SiLU: x * sigmoid(x).</summary>
    public const int Silu = 1;

    /// <summary>Logistic sigmoid.</summary>
    public const int Sigmoid = 2;

    /// <summary>Applies activation <paramref name="kind"/> to <paramref name="v"/> (a kernel helper: plain arithmetic only).</summary>
    public static float Apply(float v, int kind)
    {
        if (kind == 1)
        {
            return v / (1f + MathF.Exp(-v));
        }
        if (kind == 2)
        {
            return 1f / (1f + MathF.Exp(-v));
        }
        return v;
    }
}
