namespace KernelGen.Samples.EfficientNet.Cli;

/// <summary>A command-line mistake: reported with the usage text and exit code 2, never a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>An expected failure of a command (bad input, an unusable result): reported in one line with exit code 1.</summary>
public sealed class CommandFailedException(string message) : Exception(message);

/// <summary>
/// The parsed command line: <c>&lt;command&gt; [--option value]... [--flag]...</c>. Options are
/// declared per command; unknown, repeated or value-less options are errors.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> values;
    private readonly HashSet<string> flags;

    private CommandLine(string command, Dictionary<string, string> values, HashSet<string> flags)
    {
        Command = command;
        this.values = values;
        this.flags = flags;
    }

    /// <summary>The subcommand (<c>classify</c>, <c>verify</c>, or two words: <c>weights fetch</c>).</summary>
    public string Command { get; }

    /// <summary>
    /// Parses <paramref name="args"/>, accepting only <paramref name="options"/> (names without dashes, each
    /// taking a value) and <paramref name="flags"/> (names without dashes, taking none) for the command.
    /// </summary>
    /// <exception cref="UsageException">The arguments do not fit.</exception>
    public static CommandLine Parse(string[] args, IReadOnlyDictionary<string, IReadOnlySet<string>> options, IReadOnlyDictionary<string, IReadOnlySet<string>>? flags = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        if (args.Length == 0)
            throw new UsageException("missing command.");
        string command = args[0];
        int first = 1;
        if (args.Length > 1 && options.ContainsKey($"{args[0]} {args[1]}"))
        {
            command = $"{args[0]} {args[1]}";
            first = 2;
        }
        if (!options.TryGetValue(command, out IReadOnlySet<string>? allowed))
        {
            string[] sub = [.. options.Keys.Where(k => k.StartsWith(command + " ", StringComparison.Ordinal)).Select(k => k[(command.Length + 1)..])];
            throw new UsageException(sub.Length > 0 ? $"'{command}' needs one of: {string.Join(", ", sub)}." : $"unknown command '{command}'.");
        }
        IReadOnlySet<string> allowedFlags = flags is not null && flags.TryGetValue(command, out IReadOnlySet<string>? f) ? f : new HashSet<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (int i = first; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}' (options start with --).");
            string name = arg[2..];
            string? value = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (allowedFlags.Contains(name))
            {
                if (value is not null)
                    throw new UsageException($"--{name} takes no value.");
                if (!given.Add(name))
                    throw new UsageException($"--{name} is given twice.");
                continue;
            }
            if (!allowed.Contains(name))
                throw new UsageException($"'{command}' has no option --{name}.");
            if (values.ContainsKey(name))
                throw new UsageException($"--{name} is given twice.");
            if (value is null)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"--{name} needs a value.");
                value = args[++i];
            }
            values[name] = value;
        }
        return new CommandLine(command, values, given);
    }

    /// <summary>Whether the flag <paramref name="name"/> was given.</summary>
    public bool Flag(string name) => flags.Contains(name);

    /// <summary>The value of an option, or null when absent.</summary>
    public string? Optional(string name) => values.TryGetValue(name, out string? v) ? v : null;

    /// <summary>The value of a required option.</summary>
    /// <exception cref="UsageException">The option is absent.</exception>
    public string Required(string name) => Optional(name) ?? throw new UsageException($"'{Command}' needs --{name}.");

    /// <summary>An integer option within [min, max], or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UsageException">Not an integer, or out of range.</exception>
    public int Int32Option(string name, int fallback, int min, int max)
    {
        string? v = Optional(name);
        if (v is null) return fallback;
        if (!int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new UsageException($"--{name} must be an integer from {min} to {max}, got '{v}'.");
        return n;
    }

    /// <summary>The <c>--backend</c> option: <c>native</c> (default) or <c>cpu</c>.</summary>
    public GpuBackend Backend()
    {
        string v = Optional("backend") ?? "native";
        return v switch
        {
            "native" => GpuBackend.Native,
            "cpu" => GpuBackend.Cpu,
            _ => throw new UsageException($"--backend must be 'native' or 'cpu', got '{v}'."),
        };
    }
}
