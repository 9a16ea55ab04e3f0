namespace KernelGen.Generator.Mappings;

/// <summary>
/// The WGSL functions that give built-in operations their C# meaning, each a fixed definition made from the
/// name the module gives it (emitted once per module, on first use).
/// </summary>
internal static class Polyfills
{
    /// <summary>The float/Half classification methods, tested on bits.</summary>
    public static readonly string[] FloatClassifications = ["IsNaN", "IsInfinity", "IsFinite", "IsNegative", "IsPositiveInfinity", "IsNegativeInfinity", "IsNormal", "IsSubnormal"];

    public static string F32FromBits(string n) =>
        "// An f32 from its bits, never a constant expression: WGSL has no literal for NaN, infinities and -0, refuses\n" +
        "// the first two in constant expressions and may drop the sign of a constant zero.\n" +
        $"fn {n}(bits: u32) -> f32 {{\n" +
        "    return bitcast<f32>(bits);\n" +
        "}\n";

    public static string F32Equals(string n) =>
        "// float.Equals, which C#'s record equality uses: NaN equals NaN (by their bits, never a != a that a compiler\n" +
        "// may fold), 0 equals -0, otherwise ==.\n" +
        $"fn {n}(a: f32, b: f32) -> bool {{\n" +
        "    let a_nan: bool = (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u;\n" +
        "    let b_nan: bool = (bitcast<u32>(b) & 0x7fffffffu) > 0x7f800000u;\n" +
        "    return (a_nan && b_nan) || (!a_nan && !b_nan && a == b);\n" +
        "}\n";

    public static string CbrtF32(string n) =>
        "// MathF.Cbrt: the real cube root with its sign (WGSL's pow is undefined for negative bases), refined by one\n" +
        "// Newton step; zeros, NaN and infinities are their own cube roots.\n" +
        $"fn {n}(x: f32) -> f32 {{\n" +
        "    let a: f32 = abs(x);\n" +
        "    if (a == 0.0f || a != a || a > 0x1.fffffep+127f) {\n" +
        "        return x;\n" +
        "    }\n" +
        "    var r: f32 = exp2(log2(a) * 0.333333343f);\n" +
        "    r = r - (r - a / (r * r)) * 0.333333343f;\n" +
        "    return select(r, -r, x < 0.0f);\n" +
        "}\n";

    public static string CopySignF32(string n) =>
        "// MathF.CopySign: the magnitude of x with the sign bit of y (also for zeros and NaN), as in C#.\n" +
        $"fn {n}(x: f32, y: f32) -> f32 {{\n" +
        "    return bitcast<f32>((bitcast<u32>(x) & 0x7fffffffu) | (bitcast<u32>(y) & 0x80000000u));\n" +
        "}\n";

    /// <summary>The base name of a float polyfill for <paramref name="type"/>: max_f32, max_vec3f, max_f16, max_vec2h.</summary>
    public static string FloatName(string baseName, WgslType type) =>
        baseName + "_" + (type.IsVector ? $"vec{type.VectorSize}{(type.Scalar == WgslScalar.F16 ? "h" : "f")}" : type.Name);

    /// <summary>
    /// .NET's float Max and Min (MathF, Math, float, Half and the Vector2/3/4 statics) are IEEE 754-2019's maximum and
    /// minimum: NaN when either operand is NaN, and +0 above -0. WGSL's max()/min() may return the other operand for a
    /// NaN (lavapipe does) and either zero, and a compiler may assume no NaN, so the NaN and zero cases are decided on
    /// the bits.
    /// </summary>
    public static System.Func<string, string> MaxMin(WgslType type, bool max)
    {
        string t = type.Name;
        string method = max ? "Max" : "Min";
        string header = $"// .NET's {method} (IEEE 754 {(max ? "maximum" : "minimum")}): NaN if either operand is NaN, {(max ? "+0 above -0" : "-0 below +0")}; decided on the bits.\n";
        string zeroBits = max ? "ua & ub" : "ua | ub";
        if (type.Scalar == WgslScalar.F16)
        {
            // An f16's bits through vec2<f16> (a conversion to f32 may lose the sign of a zero); a vector lane by lane.
            string lane =
                $"    let ua: u32 = bitcast<u32>(vec2<f16>(a, 0.0h)) & 0xffffu;\n" +
                $"    let ub: u32 = bitcast<u32>(vec2<f16>(b, 0.0h)) & 0xffffu;\n" +
                "    let nanA = (ua & 0x7fffu) > 0x7c00u;\n" +
                "    let nanB = (ub & 0x7fffu) > 0x7c00u;\n" +
                "    let zeros = ((ua | ub) & 0x7fffu) == 0u;\n" +
                $"    let r: f16 = select({(max ? "max" : "min")}(a, b), bitcast<vec2<f16>>({zeroBits}).x, zeros);\n" +
                "    return select(select(r, b, nanB), a, nanA);\n";
            if (!type.IsVector)
                return n => header + $"fn {n}(a: f16, b: f16) -> f16 {{\n" + lane + "}\n";
            string[] lanes = ["x", "y", "z", "w"];
            return n => header +
                $"fn {n}_lane(a: f16, b: f16) -> f16 {{\n" + lane + "}\n\n" +
                $"fn {n}(a: {t}, b: {t}) -> {t} {{\n" +
                $"    return {t}({string.Join(", ", System.Linq.Enumerable.Select(System.Linq.Enumerable.Take(lanes, type.VectorSize), c => $"{n}_lane(a.{c}, b.{c})"))});\n" +
                "}\n";
        }
        string u = type.IsVector ? $"vec{type.VectorSize}<u32>" : "u32";
        string f = type.IsVector ? $"vec{type.VectorSize}<f32>" : "f32";
        string Splat(string literal) => type.IsVector ? $"{u}({literal})" : literal;
        return n => header +
            $"fn {n}(a: {t}, b: {t}) -> {t} {{\n" +
            $"    let ua: {u} = bitcast<{u}>(a);\n" +
            $"    let ub: {u} = bitcast<{u}>(b);\n" +
            $"    let nanA = (ua & {Splat("0x7fffffffu")}) > {Splat("0x7f800000u")};\n" +
            $"    let nanB = (ub & {Splat("0x7fffffffu")}) > {Splat("0x7f800000u")};\n" +
            $"    let zeros = ((ua | ub) & {Splat("0x7fffffffu")}) == {Splat("0u")};\n" +
            $"    let r: {t} = select({(max ? "max" : "min")}(a, b), bitcast<{f}>({zeroBits}), zeros);\n" +
            "    return select(select(r, b, nanB), a, nanA);\n" +
            "}\n";
    }

    /// <summary>
    /// Math.Clamp(float, float, float): value below min gives min, above max gives max, else value (NaN and -0 stay
    /// as they are), as .NET's comparisons decide; the NaN test on the bits (a compiler may assume no NaN).
    /// float.Clamp, Half.Clamp and the vector Clamps are Min(Max(value, min), max) in .NET, and are translated so.
    /// </summary>
    public static string MathClampF32(string n) =>
        "// Math.Clamp (float): value < min ? min : value > max ? max : value, NaN and -0 kept, as .NET.\n" +
        $"fn {n}(value: f32, low: f32, high: f32) -> f32 {{\n" +
        "    let nan = (bitcast<u32>(value) & 0x7fffffffu) > 0x7f800000u;\n" +
        "    return select(select(select(value, high, value > high), low, value < low), value, nan);\n" +
        "}\n";

    public static string F16FromBits(string n) =>
        "// NaN, infinities and -0 from their bits: WGSL has no literal for them, refuses the first two in constant\n" +
        "// expressions and may drop the sign of a constant zero.\n" +
        $"fn {n}(bits: u32) -> f16 {{\n" +
        "    return bitcast<vec2<f16>>(bits).x;\n" +
        "}\n";

    /// <summary>
    /// C# converts float to int and uint with saturation (.NET 9 and later, every platform); WGSL's i32()
    /// and u32() clamp to the largest f32 below the limit instead (2147483520, 4294967040), so values from
    /// 2^31 (2^32) up need the integer maximum chosen explicitly. NaN converts to 0 in C#; WGSL's result for it
    /// is indeterminate (lavapipe gives int.MinValue), so it is tested on the bits, which no compiler can fold.
    /// </summary>
    public static System.Func<string, string> SaturatingConversion(WgslType to)
    {
        bool signed = to.Scalar == WgslScalar.I32;
        string type = to.Name;
        string max = signed ? "2147483647i" : "4294967295u";
        string limit = signed ? "2147483648.0f" : "4294967296.0f";
        return name =>
            $"// C#'s ({(signed ? "int" : "uint")})float saturates (NaN is 0): {type}() alone would clamp to the largest f32 below {(signed ? "2^31" : "2^32")}.\n" +
            $"fn {name}(value: f32) -> {type} {{\n" +
            "    if ((bitcast<u32>(value) & 0x7fffffffu) > 0x7f800000u) {\n" +
            $"        return 0{(signed ? "i" : "u")};\n" +
            "    }\n" +
            $"    return select({type}(value), {max}, value >= {limit});\n" +
            "}\n";
    }

    /// <summary>
    /// float.IsNaN, IsInfinity, IsFinite, IsNegative and the rest (and their Half forms), tested on the value's
    /// bits: WGSL lets a compiler assume there are no NaNs or infinities, so <c>x != x</c> can be folded away,
    /// while integer tests on <c>bitcast&lt;u32&gt;(x)</c> cannot.
    /// </summary>
    public static System.Func<string, string> FloatClassification(string method, bool half)
    {
        // Each test on (sign-free) bits: the magnitude's bits against the infinity's.
        string test = (method, half) switch
        {
            ("IsNaN", false) => "(bits & 0x7fffffffu) > 0x7f800000u",
            ("IsInfinity", false) => "(bits & 0x7fffffffu) == 0x7f800000u",
            ("IsFinite", false) => "(bits & 0x7fffffffu) < 0x7f800000u",
            ("IsNegative", false) => "(bits >> 31u) == 1u",
            ("IsPositiveInfinity", false) => "bits == 0x7f800000u",
            ("IsNegativeInfinity", false) => "bits == 0xff800000u",
            ("IsNormal", false) => "(bits & 0x7f800000u) != 0u && (bits & 0x7f800000u) != 0x7f800000u",
            ("IsSubnormal", false) => "(bits & 0x7f800000u) == 0u && (bits & 0x7fffffu) != 0u",
            ("IsNaN", true) => "(bits & 0x7fffu) > 0x7c00u",
            ("IsInfinity", true) => "(bits & 0x7fffu) == 0x7c00u",
            ("IsFinite", true) => "(bits & 0x7fffu) < 0x7c00u",
            ("IsNegative", true) => "(bits >> 15u) == 1u",
            ("IsPositiveInfinity", true) => "bits == 0x7c00u",
            ("IsNegativeInfinity", true) => "bits == 0xfc00u",
            ("IsNormal", true) => "(bits & 0x7c00u) != 0u && (bits & 0x7c00u) != 0x7c00u",
            _ => "(bits & 0x7c00u) == 0u && (bits & 0x3ffu) != 0u",
        };
        string t = half ? "f16" : "f32";
        string bits = half ? "bitcast<u32>(vec2<f16>(x, 0.0h)) & 0xffffu" : "bitcast<u32>(x)";
        return n =>
            $"// {(half ? "Half" : "float")}.{method} on the bits: a compiler may assume that no f32 or f16 is NaN or infinite.\n" +
            $"fn {n}(x: {t}) -> bool {{\n" +
            $"    let bits: u32 = {bits};\n" +
            $"    return {test};\n" +
            "}\n";
    }

    /// <summary>
    /// C#'s Pow for f32 or f16. WGSL's pow(x, y) is exp2(y * log2(x)), undefined for x &lt;= 0, where C#
    /// gives (-2)^3 = -8, 0^0 = 1 and 0^-1 = +inf; those cases are spelled out around the built-in.
    /// </summary>
    public static System.Func<string, string> Pow(WgslType type)
    {
        string t = type.Name;
        string s = type.Scalar == WgslScalar.F16 ? "h" : "f";
        // Every float from 2^24 (f16: 2^11) up is an even integer.
        string evenFrom = type.Scalar == WgslScalar.F16 ? "2048.0h" : "16777216.0f";
        return name =>
            $"// C#'s Pow: WGSL's pow() is undefined for x <= 0, C# defines 0^y and integral powers of negative x.\n" +
            $"fn {name}(x: {t}, y: {t}) -> {t} {{\n" +
            $"    if (y == 0.0{s}) {{\n" +
            $"        return 1.0{s};\n" +
            "    }\n" +
            $"    if (x == 0.0{s}) {{\n" +
            $"        return select(0.0{s}, 1.0{s} / abs(x), y < 0.0{s});\n" +
            "    }\n" +
            $"    if (x > 0.0{s} || trunc(y) != y) {{\n" +
            "        return pow(x, y);\n" +
            "    }\n" +
            "    let magnitude: " + t + " = pow(-x, y);\n" +
            $"    let odd: bool = abs(y) < {evenFrom} && (i32(abs(y)) & 1i) == 1i;\n" +
            "    return select(magnitude, -magnitude, odd);\n" +
            "}\n";
    }

    /// <summary>
    /// C#'s float % (f32 or f16) is the exact remainder (C fmod). WGSL's x % y is x - y * trunc(x / y),
    /// which is off by a whole |y| when x / y rounds to an integer (-8 % (1/3f): 0 instead of -0.3333331).
    /// The polyfill subtracts |y| scaled by powers of two, each subtraction exact, at most once per binade
    /// between x and y (the loop is bounded, so an infinite x cannot hang the GPU).
    /// </summary>
    public static System.Func<string, string> Remainder(WgslType type)
    {
        string t = type.Name;
        string s = type.Scalar == WgslScalar.F16 ? "h" : "f";
        // More than the number of binades of the type (f32: 277 with subnormals, f16: 40).
        string steps = type.Scalar == WgslScalar.F16 ? "48" : "300";
        return name =>
            $"// C#'s float %: the exact remainder with the dividend's sign (WGSL's % rounds x / y first).\n" +
            $"fn {name}(x: {t}, y: {t}) -> {t} {{\n" +
            "    let divisor: " + t + " = abs(y);\n" +
            $"    if (divisor == 0.0{s}) {{\n" +
            "        return x % y;\n" +
            "    }\n" +
            "    let bottom = frexp(divisor);\n" +
            "    var r: " + t + " = abs(x);\n" +
            $"    for (var n: i32 = 0i; n < {steps}i && r >= divisor; n++) {{\n" +
            "        // The largest divisor * 2^k not above r: r minus it is exact and below it.\n" +
            "        let top = frexp(r);\n" +
            "        r = r - ldexp(divisor, top.exp - bottom.exp - select(0i, 1i, bottom.fract > top.fract));\n" +
            "    }\n" +
            $"    return select(r, -r, x < 0.0{s});\n" +
            "}\n";
    }
}
