using System;
using System.Globalization;

namespace KernelGen.Generator.Translation.Printing;

/// <summary>Exact, culture-invariant WGSL literals: each finite value is written so that WGSL parses the same bits.</summary>
internal static class WgslLiteral
{
    /// <summary>
    /// An f32 literal that round-trips: <c>1.0f</c>, <c>0.5f</c>, <c>1e-07f</c>; a hex float where the shortest
    /// decimal lies outside f32's range (<c>float.MaxValue</c> is <c>0x1.fffffep+127f</c>: WGSL refuses
    /// <c>3.4028235e+38f</c>, which is above the largest f32 before rounding); null for NaN and infinities.
    /// </summary>
    public static string? Float(float value, string suffix = "f")
    {
        if (float.IsNaN(value) || float.IsInfinity(value))
            return null;
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (Math.Abs(double.Parse(text, CultureInfo.InvariantCulture)) > float.MaxValue)
            return HexFloat(value) + suffix;
        if (text.IndexOf('E') >= 0)
            text = text.Replace("E", "e");
        else if (text.IndexOf('.') < 0)
            text += ".0";
        return text + suffix;
    }

    /// <summary>The exact hex form of a finite f32: <c>0x1.fffffep+127</c>, <c>-0x1p-149</c> (via the subnormal form).</summary>
    public static string HexFloat(float value)
    {
        int bits = BitConverter.ToInt32(BitConverter.GetBytes(value), 0);
        string sign = bits < 0 ? "-" : "";
        int exponent = (bits >> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0 && mantissa == 0)
            return sign + "0x0p+0";
        string lead = exponent == 0 ? "0" : "1";
        int power = exponent == 0 ? -126 : exponent - 127;
        // 23 mantissa bits as 6 hex digits (the last digit holds 3 bits and a zero).
        string digits = (mantissa << 1).ToString("x6", CultureInfo.InvariantCulture).TrimEnd('0');
        return sign + "0x" + lead + (digits.Length > 0 ? "." + digits : "") + "p" + (power >= 0 ? "+" : "") + power.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An f16 literal for the half-precision value with bits <paramref name="bits"/> (<c>65504.0h</c>); null for NaN and infinities.</summary>
    public static string? Half(ushort bits)
    {
        if ((bits & 0x7c00) == 0x7c00)
            return null;
        // Every f16 is exactly an f32, and the f32's shortest decimal is far closer to it than half an f16 step.
        return Float(HalfBits.ToSingle(bits), "h");
    }

    public static string Int(int value) => value == int.MinValue ? "(-2147483647i - 1i)" : value.ToString(CultureInfo.InvariantCulture) + "i";

    public static string UInt(uint value) => value.ToString(CultureInfo.InvariantCulture) + "u";

    /// <summary>A u32 bit pattern in hex: <c>0x7f800000u</c>.</summary>
    public static string Bits(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture) + "u";

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

/// <summary>IEEE binary16 conversions as .NET's Half does them (the generator targets netstandard2.0, which has no Half).</summary>
internal static class HalfBits
{
    public static float ToSingle(ushort bits)
    {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        float magnitude;
        if (exponent == 0x1f)
            magnitude = mantissa == 0 ? float.PositiveInfinity : float.NaN;
        else if (exponent == 0)
            magnitude = mantissa * (1f / 16777216f); // 2^-24
        else
            magnitude = (1f + mantissa / 1024f) * (float)Math.Pow(2, exponent - 15);
        return sign == 1 ? -magnitude : magnitude;
    }

    /// <summary>(Half)value: round to nearest even; overflow gives infinity, NaN stays NaN.</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.ToUInt32(BitConverter.GetBytes(value), 0);
        ushort sign = (ushort)((bits >> 16) & 0x8000);
        if (float.IsNaN(value))
            return (ushort)(sign | 0x7e00);
        double magnitude = Math.Abs((double)value);
        if (magnitude == 0)
            return sign;
        // Scale into units of the f16 step at this magnitude, then round half to even.
        int exponent = (int)Math.Floor(Math.Log(magnitude, 2));
        if (Math.Pow(2, exponent) > magnitude)
            exponent--;
        else if (Math.Pow(2, exponent + 1) <= magnitude)
            exponent++;
        int stepExponent = Math.Max(exponent, -14) - 10;
        double units = magnitude / Math.Pow(2, stepExponent);
        double rounded = Math.Floor(units);
        double rest = units - rounded;
        if (rest > 0.5 || (rest == 0.5 && ((long)rounded & 1) == 1))
            rounded++;
        double result = rounded * Math.Pow(2, stepExponent);
        if (result > 65504)
            return (ushort)(sign | 0x7c00);
        if (result < 1.0 / 16384) // subnormal: 2^-24 units
            return (ushort)(sign | (ushort)(result * 16777216));
        int e = (int)Math.Floor(Math.Log(result, 2));
        if (Math.Pow(2, e) > result)
            e--;
        else if (Math.Pow(2, e + 1) <= result)
            e++;
        int m = (int)Math.Round((result / Math.Pow(2, e) - 1) * 1024);
        return (ushort)(sign | ((e + 15) << 10) | m);
    }
}
