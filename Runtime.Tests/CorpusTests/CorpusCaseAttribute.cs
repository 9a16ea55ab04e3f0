namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Marks a test as the execution case of one corpus kernel (its containing type and method name).
/// <see cref="CorpusCoverageTests"/> demands one such case for every kernel of the generated catalog.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class CorpusCaseAttribute(Type containingType, string kernel) : Attribute
{
    /// <summary>The kernel's full name as in <see cref="KernelInfo.Name"/>.</summary>
    public string KernelName { get; } = $"{containingType.FullName}.{kernel}";
}
