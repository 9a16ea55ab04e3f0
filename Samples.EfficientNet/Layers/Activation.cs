namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>The activation fused into a layer kernel's epilogue.</summary>
public enum Activation
{
    /// <summary>Identity.</summary>
    None,

    /// <summary>SiLU: x * sigmoid(x).</summary>
    Silu,

    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
}

/// <summary>The kernel helper that applies an <see cref="Activation"/>.</summary>
public static class ActivationFunction
{
    /// <summary>Applies <paramref name="kind"/> to <paramref name="v"/> (a kernel helper: plain arithmetic only).</summary>
    public static float Apply(float v, Activation kind)
    {
        if (kind == Activation.Silu)
        {
            return v / (1f + MathF.Exp(-v));
        }
        if (kind == Activation.Sigmoid)
        {
            return 1f / (1f + MathF.Exp(-v));
        }
        return v;
    }
}
