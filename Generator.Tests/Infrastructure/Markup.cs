using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Generator.Tests.Infrastructure;

/// <summary>Source with expected diagnostic spans marked <c>[|like this|]</c>.</summary>
public static class Markup
{
    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var spans = new List<TextSpan>();
        var text = new System.Text.StringBuilder();
        int start = -1;
        for (int i = 0; i < markup.Length; i++)
        {
            if (string.CompareOrdinal(markup, i, "[|", 0, 2) == 0)
            {
                start = text.Length;
                i++;
            }
            else if (string.CompareOrdinal(markup, i, "|]", 0, 2) == 0 && start >= 0)
            {
                spans.Add(TextSpan.FromBounds(start, text.Length));
                start = -1;
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }
        return (text.ToString(), spans);
    }
}
