using System.Diagnostics;
using System.Text;

namespace KernelGen.Packaging.Tests.Infrastructure;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    /// <summary>The command line and its output, for assertion messages.</summary>
    public override string ToString() => $"$ {Command}\n(exit code {ExitCode})\n{Output}";
}

/// <summary>
/// Runs a command the way a user's shell would: a clean environment without the test host's MSBuild
/// variables, no build servers left behind, a time limit after which the whole process tree is killed.
/// </summary>
internal static class CommandLine
{
    public static CommandResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        // `dotnet test` sets MSBuild variables for its own build; a user's shell does not have them.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        if (environment != null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        var commandLine = $"{fileName} {string.Join(' ', info.ArgumentList)}";
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output)
                throw new TimeoutException($"'{commandLine}' in {workingDirectory} did not finish within {limit}; output so far:\n{output}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (output) return new CommandResult(commandLine, process.ExitCode, output.ToString());
    }

    /// <summary>Runs <c>dotnet</c> with the arguments; build commands get no build servers and the classic logger.</summary>
    public static CommandResult Dotnet(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] arguments)
        => Run("dotnet", arguments, workingDirectory, environment, timeout);
}
