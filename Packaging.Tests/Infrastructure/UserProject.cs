using System.Security;

namespace KernelGen.Packaging.Tests.Infrastructure;

/// <summary>
/// A console project as a new user writes it, in its own folder outside the repository: empty
/// Directory.Build.props/targets (nothing inherited), a nuget.config that adds the local feed to the
/// user's sources, its own NuGet packages folder, and a PackageReference to KernelGen.
/// </summary>
internal sealed class UserProject
{
    private readonly Dictionary<string, string?> environment;

    private UserProject(string directory, string name)
    {
        Directory = directory;
        Name = name;
        environment = new()
        {
            ["NUGET_PACKAGES"] = Path.Combine(directory, ".packages"),
            // The package must find Dawn by itself; the repository's test script points at .native/ otherwise.
            ["KERNELGEN_WEBGPU_LIB"] = null,
        };
    }

    public string Directory { get; }

    public string Name { get; }

    /// <summary>Writes the project. <paramref name="sources"/> maps file names to their text.</summary>
    public static UserProject Create(PackedKernelGen package, string name, IReadOnlyDictionary<string, string> sources, string extraProperties = "", string extraItems = "")
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(package.Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        // No <clear/>: the user's own sources (the default one) still restore everything else.
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="kernelgen-local" value="{SecurityElement.Escape(package.Feed)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{SecurityElement.Escape(PackedKernelGen.MachinePackages)}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
            {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="KernelGen" Version="{package.Version}" />
            {extraItems}
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, text) in sources) File.WriteAllText(Path.Combine(directory, file), text);
        return new UserProject(directory, name);
    }

    public CommandResult Dotnet(TimeSpan timeout, params string[] arguments)
        => CommandLine.Dotnet(Directory, environment, timeout, arguments);

    public CommandResult Build() => Dotnet(TimeSpan.FromMinutes(3), "build", "-c", "Release", "-nologo", "-tl:off", "--disable-build-servers");

    public CommandResult RunBuilt(params string[] appArguments) =>
        Dotnet(TimeSpan.FromMinutes(2), ["run", "-c", "Release", "--no-build", "--", .. appArguments]);

    public string OutputFolder => Path.Combine(Directory, "bin", "Release", "net10.0");

    public CommandResult RunExecutable(string path, params string[] arguments) =>
        CommandLine.Run(path, arguments, Directory, environment, TimeSpan.FromMinutes(2));
}
