namespace KernelGen.Generator.Tests;

public class GeneratorSmokeTests
{
    [Fact]
    public void GeneratorCanBeConstructed() => Assert.NotNull(new KernelGenerator());
}
