namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>One MBConv block of EfficientNet-B0, with its torchvision state-dict prefix.</summary>
/// <param name="Prefix">State-dict prefix, e.g. <c>features.2.1.block</c>.</param>
/// <param name="InChannels">Block input channels.</param>
/// <param name="OutChannels">Block output channels.</param>
/// <param name="ExpandRatio">Expansion of the first pointwise convolution (1: no expansion layer).</param>
/// <param name="KernelSize">Depthwise kernel size (3 or 5).</param>
/// <param name="Stride">Depthwise stride (1 or 2).</param>
public sealed record MBConvBlockSpec(string Prefix, int InChannels, int OutChannels, int ExpandRatio, int KernelSize, int Stride)
{
    /// <summary>Channels after expansion (the depthwise and SE width).</summary>
    public int ExpandedChannels => InChannels * ExpandRatio;

    /// <summary>Squeeze-excitation bottleneck: max(1, block input channels / 4), as torchvision.</summary>
    public int SqueezeChannels => Math.Max(1, InChannels / 4);

    /// <summary>True when the block has an expansion pointwise convolution.</summary>
    public bool HasExpansion => ExpandRatio != 1;

    /// <summary>Residual add when the block keeps resolution and width.</summary>
    public bool HasResidual => Stride == 1 && InChannels == OutChannels;

    /// <summary>Index of the depthwise layer inside <c>block</c> (0 without expansion, 1 with).</summary>
    public int DepthwiseIndex => HasExpansion ? 1 : 0;

    /// <summary>Index of the squeeze-excitation module inside <c>block</c>.</summary>
    public int SqueezeExcitationIndex => DepthwiseIndex + 1;

    /// <summary>Index of the projection layer inside <c>block</c>.</summary>
    public int ProjectionIndex => DepthwiseIndex + 2;
}

/// <summary>The architecture of torchvision's <c>efficientnet_b0</c> (width 1.0, depth 1.0).</summary>
public static class EfficientNetB0Config
{
    /// <summary>Input resolution.</summary>
    public const int ImageSize = 224;

    /// <summary>Input channels (RGB).</summary>
    public const int InputChannels = 3;

    /// <summary>Stem output channels (3x3 stride-2 convolution).</summary>
    public const int StemChannels = 32;

    /// <summary>Head (last 1x1 convolution) channels.</summary>
    public const int HeadChannels = 1280;

    /// <summary>ImageNet classes.</summary>
    public const int Classes = 1000;

    /// <summary>BatchNorm epsilon of torchvision's EfficientNet.</summary>
    public const double BatchNormEpsilon = 1e-5;

    /// <summary>Stages: (expand ratio, kernel, stride, input channels, output channels, layers).</summary>
    private static readonly (int Expand, int Kernel, int Stride, int In, int Out, int Layers)[] Stages =
    [
        (1, 3, 1, 32, 16, 1),
        (6, 3, 2, 16, 24, 2),
        (6, 5, 2, 24, 40, 2),
        (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3),
        (6, 5, 2, 112, 192, 4),
        (6, 3, 1, 192, 320, 1),
    ];

    /// <summary>The 16 MBConv blocks in order (<c>features.1</c> to <c>features.7</c>).</summary>
    public static IReadOnlyList<MBConvBlockSpec> Blocks { get; } = BuildBlocks();

    private static MBConvBlockSpec[] BuildBlocks()
    {
        var blocks = new List<MBConvBlockSpec>();
        for (int s = 0; s < Stages.Length; s++)
        {
            var st = Stages[s];
            for (int i = 0; i < st.Layers; i++)
            {
                // The first block of a stage changes width and resolution; the others repeat it.
                blocks.Add(new MBConvBlockSpec(
                    $"features.{s + 1}.{i}.block",
                    i == 0 ? st.In : st.Out,
                    st.Out,
                    st.Expand,
                    st.Kernel,
                    i == 0 ? st.Stride : 1));
            }
        }
        return [.. blocks];
    }

    /// <summary>Output size of a convolution with symmetric padding (k - 1) / 2.</summary>
    public static int ConvOutputSize(int input, int kernel, int stride) => (input + 2 * ((kernel - 1) / 2) - kernel) / stride + 1;
}
