using System;
using System.Globalization;

namespace KernelGen.Generator.Translation;

/// <summary>Exact, culture-invariant WGSL literals.</summary>
internal static class WgslLiteral
{
    /// <summary>An f32 literal that round-trips: <c>1.0f</c>, <c>0.5f</c>, <c>1e-07f</c>; null for NaN and infinities.</summary>
    public static string? Float(float value, string suffix = "f")
    {
        if (float.IsNaN(value) || float.IsInfinity(value))
            return null;
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('E') >= 0)
            text = text.Replace("E", "e");
        else if (text.IndexOf('.') < 0)
            text += ".0";
        return text + suffix;
    }

    public static string Int(int value) => value == int.MinValue ? "(-2147483647i - 1i)" : value.ToString(CultureInfo.InvariantCulture) + "i";

    public static string UInt(uint value) => value.ToString(CultureInfo.InvariantCulture) + "u";

    public static string Bool(bool value) => value ? "true" : "false";

    public static string From(object value) => value switch
    {
        int i => Int(i),
        uint u => UInt(u),
        float f => Float(f) ?? throw new ArgumentException("non-finite"),
        bool b => Bool(b),
        _ => throw new ArgumentException("unsupported constant " + value.GetType()),
    };
}
