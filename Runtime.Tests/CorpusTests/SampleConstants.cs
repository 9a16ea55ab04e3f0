namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Values for a kernel's [Specialize] parameters where a test compiles every kernel (64 for sizes and counts, true, 1.0).</summary>
internal static class SampleConstants
{
    public static PipelineConstants For(KernelInfo kernel)
        => kernel.SpecializationConstants.IsEmpty
            ? PipelineConstants.Empty
            : new(kernel.SpecializationConstants.Select(c => KeyValuePair.Create(c.Name, c.Type == typeof(int) || c.Type == typeof(uint) ? 64d : 1d)));
}
