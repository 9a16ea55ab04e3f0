namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>A weight or reference file is malformed, truncated, unsafe or does not fit the model.</summary>
public sealed class WeightFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WeightFormatException() { }

    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public WeightFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public WeightFormatException(string message, Exception innerException) : base(message, innerException) { }
}
