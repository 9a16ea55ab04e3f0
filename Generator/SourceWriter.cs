using System.Text;

namespace KernelGen.Generator;

/// <summary>Writes indented source text with '\n' line ends, whatever the platform (output must be byte-stable).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder text = new();
    private readonly string indentUnit;

    public SourceWriter(string indentUnit = "    ") => this.indentUnit = indentUnit;

    public int Indent { get; set; }

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < Indent; i++)
                text.Append(indentUnit);
            text.Append(line);
        }
        text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="line"/> (e.g. "if (x) {") and indents what follows.</summary>
    public SourceWriter Open(string line)
    {
        Line(line);
        Indent++;
        return this;
    }

    /// <summary>Outdents and writes <paramref name="line"/> (e.g. "}").</summary>
    public SourceWriter Close(string line = "}")
    {
        Indent--;
        return Line(line);
    }

    /// <summary>Appends already-indented text verbatim.</summary>
    public SourceWriter Raw(string raw)
    {
        text.Append(raw);
        return this;
    }

    public override string ToString() => text.ToString();
}
