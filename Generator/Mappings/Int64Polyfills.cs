namespace KernelGen.Generator.Mappings;

/// <summary>
/// long and ulong on two u32 words (<c>vec2&lt;u32&gt;</c>, x the low word, y the high word): the WGSL functions that
/// give each operator C#'s unchecked 64-bit result, bit for bit. Addition, subtraction, multiplication and the
/// shifts are the same bits for long and ulong; comparisons and &gt;&gt; differ by signedness.
/// </summary>
internal static class Int64Polyfills
{
    private const string V = "vec2<u32>";

    public static string Add(string n) =>
        "// C#'s unchecked 64-bit +: the low words' carry goes into the high word.\n" +
        $"fn {n}(a: {V}, b: {V}) -> {V} {{\n" +
        "    let lo: u32 = a.x + b.x;\n" +
        $"    return {V}(lo, a.y + b.y + select(0u, 1u, lo < a.x));\n" +
        "}\n";

    public static string Subtract(string n) =>
        "// C#'s unchecked 64-bit -: the low words' borrow comes out of the high word.\n" +
        $"fn {n}(a: {V}, b: {V}) -> {V} {{\n" +
        $"    return {V}(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));\n" +
        "}\n";

    public static string Negate(string n) =>
        "// C#'s unchecked 64-bit unary -: 0 - a.\n" +
        $"fn {n}(a: {V}) -> {V} {{\n" +
        $"    return {V}(0u - a.x, 0u - a.y - select(0u, 1u, a.x != 0u));\n" +
        "}\n";

    public static string Multiply(string n) =>
        "// C#'s unchecked 64-bit *: the low 64 bits of the product. The high word of a.x * b.x comes from 16-bit limbs.\n" +
        $"fn {n}(a: {V}, b: {V}) -> {V} {{\n" +
        "    let a0: u32 = a.x & 0xffffu;\n" +
        "    let a1: u32 = a.x >> 16u;\n" +
        "    let b0: u32 = b.x & 0xffffu;\n" +
        "    let b1: u32 = b.x >> 16u;\n" +
        "    let p01: u32 = a0 * b1;\n" +
        "    let p10: u32 = a1 * b0;\n" +
        "    let mid: u32 = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);\n" +
        "    let carry: u32 = a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);\n" +
        $"    return {V}(a.x * b.x, carry + a.x * b.y + a.y * b.x);\n" +
        "}\n";

    public static string ShiftLeft(string n) =>
        "// C#'s 64-bit <<: the count masked to 0..63.\n" +
        $"fn {n}(a: {V}, count: u32) -> {V} {{\n" +
        "    let s: u32 = count & 63u;\n" +
        "    if (s == 0u) {\n" +
        "        return a;\n" +
        "    }\n" +
        "    if (s < 32u) {\n" +
        $"        return {V}(a.x << s, (a.y << s) | (a.x >> (32u - s)));\n" +
        "    }\n" +
        $"    return {V}(0u, a.x << (s - 32u));\n" +
        "}\n";

    /// <summary>&gt;&gt; of a long (arithmetic), of a ulong and &gt;&gt;&gt; (logical).</summary>
    public static System.Func<string, string> ShiftRight(bool arithmetic)
    {
        string fill = arithmetic ? "bitcast<u32>(bitcast<i32>(a.y) >> 31u)" : "0u";
        string high = arithmetic ? "bitcast<u32>(bitcast<i32>(a.y) >> s)" : "a.y >> s";
        string highFar = arithmetic ? "bitcast<u32>(bitcast<i32>(a.y) >> (s - 32u))" : "a.y >> (s - 32u)";
        return n =>
            $"// C#'s 64-bit {(arithmetic ? ">> of a long (the sign fills in)" : ">> of a ulong and >>> (zeros fill in)")}: the count masked to 0..63.\n" +
            $"fn {n}(a: {V}, count: u32) -> {V} {{\n" +
            "    let s: u32 = count & 63u;\n" +
            "    if (s == 0u) {\n" +
            "        return a;\n" +
            "    }\n" +
            "    if (s < 32u) {\n" +
            $"        return {V}((a.x >> s) | (a.y << (32u - s)), {high});\n" +
            "    }\n" +
            $"    return {V}({highFar}, {fill});\n" +
            "}\n";
    }

    /// <summary>&lt;, &lt;=, &gt;, &gt;= ("lt", "le", "gt", "ge") of long (signed high words) or ulong.</summary>
    public static System.Func<string, string> Compare(string op, bool signed)
    {
        string hiA = signed ? "bitcast<i32>(a.y)" : "a.y";
        string hiB = signed ? "bitcast<i32>(b.y)" : "b.y";
        string strict = op is "lt" or "ge" ? "<" : ">";
        string test = $"{hiA} {strict} {hiB} || (a.y == b.y && a.x {strict} b.x)";
        if (op is "le" or "ge")
            test = $"!({test})";
        string symbol = op switch { "lt" => "<", "le" => "<=", "gt" => ">", _ => ">=" };
        return n =>
            $"// C#'s {symbol} of two {(signed ? "longs (the high words signed)" : "ulongs")}.\n" +
            $"fn {n}(a: {V}, b: {V}) -> bool {{\n" +
            $"    return {test};\n" +
            "}\n";
    }

    public static string FromI32(string n) =>
        "// An int widened to long or ulong: the sign fills the high word.\n" +
        $"fn {n}(x: i32) -> {V} {{\n" +
        $"    return {V}(bitcast<u32>(x), bitcast<u32>(x >> 31u));\n" +
        "}\n";

    public static string PopCount(string n) =>
        "// BitOperations.PopCount(ulong).\n" +
        $"fn {n}(a: {V}) -> i32 {{\n" +
        "    return i32(countOneBits(a.x) + countOneBits(a.y));\n" +
        "}\n";

    public static string LeadingZeroCount(string n) =>
        "// BitOperations.LeadingZeroCount(ulong): 64 for 0.\n" +
        $"fn {n}(a: {V}) -> i32 {{\n" +
        "    return i32(select(countLeadingZeros(a.y), 32u + countLeadingZeros(a.x), a.y == 0u));\n" +
        "}\n";

    public static string TrailingZeroCount(string n) =>
        "// BitOperations.TrailingZeroCount of a long or ulong: 64 for 0.\n" +
        $"fn {n}(a: {V}) -> i32 {{\n" +
        "    return i32(select(countTrailingZeros(a.x), 32u + countTrailingZeros(a.y), a.x == 0u));\n" +
        "}\n";

    /// <summary>BitOperations.RotateLeft / RotateRight(ulong, int): the count masked to 0..63.</summary>
    public static System.Func<string, string> Rotate(bool left) => n =>
        $"// BitOperations.{(left ? "RotateLeft" : "RotateRight")}(ulong, int): the count masked to 0..63.\n" +
        $"fn {n}(a: {V}, count: u32) -> {V} {{\n" +
        $"    let s: u32 = {(left ? "count & 63u" : "(0u - count) & 63u")};\n" +
        "    if (s == 0u) {\n" +
        "        return a;\n" +
        "    }\n" +
        "    if (s == 32u) {\n" +
        "        return a.yx;\n" +
        "    }\n" +
        "    let w: " + V + " = select(a, a.yx, s > 32u);\n" +
        "    let t: u32 = s & 31u;\n" +
        $"    return {V}((w.x << t) | (w.y >> (32u - t)), (w.y << t) | (w.x >> (32u - t)));\n" +
        "}\n";

    /// <summary>The WGSL test a &lt; b of two 64-bit values named <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static string Less(string a, string b, bool signed)
        => signed
            ? $"bitcast<i32>({a}.y) < bitcast<i32>({b}.y) || ({a}.y == {b}.y && {a}.x < {b}.x)"
            : $"{a}.y < {b}.y || ({a}.y == {b}.y && {a}.x < {b}.x)";

    private static string Negated(string a) => $"{V}(0u - {a}.x, 0u - {a}.y - select(0u, 1u, {a}.x != 0u))";

    private static string IsNegative(string a) => $"({a}.y >> 31u) != 0u";

    private static string TypeName(bool signed) => signed ? "long" : "ulong";

    /// <summary>
    /// ulong / and % at once: the quotient in xy, the remainder in zw. Restoring long division, one quotient bit per
    /// step from the dividend's top bit; 32-bit operands divide natively.
    /// </summary>
    public static string DivModUnsigned(string n) =>
        "// C#'s ulong / and % at once (the quotient in xy, the remainder in zw): long division, one quotient bit per step\n" +
        "// from the dividend's top bit. x / 0 is x and x % 0 is 0, as WGSL defines 32-bit division (C# throws).\n" +
        $"fn {n}(a: {V}, b: {V}) -> vec4<u32> {{\n" +
        "    if (a.y == 0u && b.y == 0u) {\n" +
        "        return vec4<u32>(a.x / b.x, 0u, a.x % b.x, 0u);\n" +
        "    }\n" +
        "    if (b.x == 0u && b.y == 0u) {\n" +
        "        return vec4<u32>(a, 0u, 0u);\n" +
        "    }\n" +
        $"    var q: {V} = {V}(0u, 0u);\n" +
        $"    var r: {V} = {V}(0u, 0u);\n" +
        "    let top: i32 = select(31i - i32(countLeadingZeros(a.x)), 63i - i32(countLeadingZeros(a.y)), a.y != 0u);\n" +
        "    for (var i: i32 = top; i >= 0i; i--) {\n" +
        "        let s: u32 = u32(i) & 31u;\n" +
        "        let high: bool = i >= 32i;\n" +
        "        let bit: u32 = (select(a.x, a.y, high) >> s) & 1u;\n" +
        "        // r = 2r + bit, which may pass 2^64 when b does: then it is above b, and r - b wraps back below it.\n" +
        "        let carry: bool = (r.y >> 31u) != 0u;\n" +
        $"        r = {V}((r.x << 1u) | bit, (r.y << 1u) | (r.x >> 31u));\n" +
        "        if (carry || r.y > b.y || (r.y == b.y && r.x >= b.x)) {\n" +
        $"            r = {V}(r.x - b.x, r.y - b.y - select(0u, 1u, r.x < b.x));\n" +
        "            let m: u32 = 1u << s;\n" +
        $"            q = q | select({V}(m, 0u), {V}(0u, m), high);\n" +
        "        }\n" +
        "    }\n" +
        "    return vec4<u32>(q, r);\n" +
        "}\n";

    /// <summary>long / and % at once (quotient xy, remainder zw) over <paramref name="unsigned"/>, the ulong form.</summary>
    public static System.Func<string, string> DivModSigned(string unsigned) => n =>
        "// C#'s long / and % at once (the quotient in xy, the remainder in zw): the magnitudes divided as ulongs, the quotient\n" +
        "// negated when the signs differ, the remainder given the dividend's sign. long.MinValue / -1 is long.MinValue and\n" +
        "// % -1 is 0, x / 0 is x and x % 0 is 0, as WGSL defines 32-bit division (C# throws).\n" +
        $"fn {n}(a: {V}, b: {V}) -> vec4<u32> {{\n" +
        $"    let na: bool = {IsNegative("a")};\n" +
        $"    let nb: bool = {IsNegative("b")};\n" +
        $"    let m: vec4<u32> = {unsigned}(select(a, {Negated("a")}, na), select(b, {Negated("b")}, nb));\n" +
        $"    let q: {V} = m.xy;\n" +
        $"    let r: {V} = m.zw;\n" +
        $"    return vec4<u32>(select(q, {Negated("q")}, na != nb), select(r, {Negated("r")}, na));\n" +
        "}\n";

    /// <summary>(float) of a ulong, rounded once from the exact value.</summary>
    public static string UnsignedToF32(string n) =>
        "// C#'s (float) of a ulong: the exact value rounded to the nearest f32, ties to even, built from its bits (a conversion\n" +
        "// through two 32-bit halves would round twice).\n" +
        $"fn {n}(a: {V}) -> f32 {{\n" +
        "    if (a.y == 0u && a.x < 0x1000000u) {\n" +
        "        return f32(a.x);\n" +
        "    }\n" +
        "    // Normalised: the top bit moved to bit 63 (lz is at most 39 here).\n" +
        "    let lz: u32 = select(countLeadingZeros(a.y), 32u + countLeadingZeros(a.x), a.y == 0u);\n" +
        "    var hi: u32 = a.y;\n" +
        "    var lo: u32 = a.x;\n" +
        "    if (lz >= 32u) {\n" +
        "        hi = a.x << (lz - 32u);\n" +
        "        lo = 0u;\n" +
        "    } else if (lz > 0u) {\n" +
        "        hi = (a.y << lz) | (a.x >> (32u - lz));\n" +
        "        lo = a.x << lz;\n" +
        "    }\n" +
        "    // 24 significant bits kept; bit 7 of hi is the rounding bit, the bits below it and lo decide a tie.\n" +
        "    let kept: u32 = hi >> 8u;\n" +
        "    let rest: u32 = hi & 0xffu;\n" +
        "    let up: bool = rest > 0x80u || (rest == 0x80u && (lo != 0u || (kept & 1u) == 1u));\n" +
        "    // The biased exponent of 2^(63 - lz); a carry out of the rounded significand goes into it.\n" +
        "    return bitcast<f32>(((190u - lz) << 23u) + (kept & 0x7fffffu) + select(0u, 1u, up));\n" +
        "}\n";

    /// <summary>(Half) of a ulong, rounded once from the exact value; from 65520 up infinity, as in C#.</summary>
    public static System.Func<string, string> UnsignedToF16(string f16FromBits) => n =>
        "// C#'s (Half) of a ulong: the exact value rounded to the nearest f16, ties to even; from 65520 up, infinity.\n" +
        $"fn {n}(a: {V}) -> f16 {{\n" +
        "    if (a.y != 0u || a.x >= 65520u) {\n" +
        $"        return {f16FromBits}(0x7c00u);\n" +
        "    }\n" +
        "    // 11 significant bits kept, the s below them rounded off.\n" +
        "    let s: u32 = max(31u - countLeadingZeros(a.x | 1u), 10u) - 10u;\n" +
        "    let kept: u32 = a.x >> s;\n" +
        "    let rest: u32 = a.x - (kept << s);\n" +
        "    let midpoint: u32 = (1u << s) >> 1u;\n" +
        "    let up: bool = rest > midpoint || (rest == midpoint && rest != 0u && (kept & 1u) == 1u);\n" +
        "    // At most 11 significant bits and at most 65504: exact in f32 and in f16.\n" +
        "    return f16(f32((kept + select(0u, 1u, up)) << s));\n" +
        "}\n";

    /// <summary>(float) or (Half) of a long: the magnitude's conversion <paramref name="unsigned"/>, negated for a negative value.</summary>
    public static System.Func<string, string> SignedToFloat(string unsigned, string type) => n =>
        $"// C#'s ({(type == "f16" ? "Half" : "float")}) of a long: its magnitude converted as a ulong (long.MinValue's is 2^63), then the sign.\n" +
        $"fn {n}(a: {V}) -> {type} {{\n" +
        $"    let negative: bool = {IsNegative("a")};\n" +
        $"    let magnitude: {type} = {unsigned}(select(a, {Negated("a")}, negative));\n" +
        "    return select(magnitude, -magnitude, negative);\n" +
        "}\n";

    /// <summary>(long) or (ulong) of a float, as .NET 9 and later convert: toward zero, NaN 0, saturating.</summary>
    public static System.Func<string, string> FromF32(bool signed) => n =>
        $"// C#'s ({TypeName(signed)})float (.NET 9 and later): toward zero; NaN is 0 and values beyond the range saturate{(signed ? "" : " (negative ones to 0)")}.\n" +
        "// Read from the bits: a compiler may assume that no f32 is NaN or infinite.\n" +
        $"fn {n}(x: f32) -> {V} {{\n" +
        "    let bits: u32 = bitcast<u32>(x);\n" +
        "    let e: i32 = i32((bits >> 23u) & 0xffu) - 127i;\n" +
        "    let negative: bool = (bits >> 31u) != 0u;\n" +
        $"    if ((bits & 0x7fffffffu) > 0x7f800000u || e < 0i{(signed ? "" : " || negative")}) {{\n" +
        $"        return {V}(0u, 0u);\n" +
        "    }\n" +
        (signed
            ? "    if (e >= 63i) {\n" +
              $"        return select({V}(0xffffffffu, 0x7fffffffu), {V}(0u, 0x80000000u), negative);\n" +
              "    }\n"
            : "    if (e >= 64i) {\n" +
              $"        return {V}(0xffffffffu, 0xffffffffu);\n" +
              "    }\n") +
        "    // The magnitude: the 24-bit significand times 2^(e - 23).\n" +
        "    let m: u32 = (bits & 0x7fffffu) | 0x800000u;\n" +
        $"    var magnitude: {V};\n" +
        "    if (e <= 23i) {\n" +
        $"        magnitude = {V}(m >> u32(23i - e), 0u);\n" +
        "    } else if (e < 55i) {\n" +
        "        let s: u32 = u32(e - 23i);\n" +
        $"        magnitude = {V}(m << s, m >> (32u - s));\n" +
        "    } else {\n" +
        $"        magnitude = {V}(0u, m << u32(e - 55i));\n" +
        "    }\n" +
        (signed ? $"    return select(magnitude, {Negated("magnitude")}, negative);\n" : "    return magnitude;\n") +
        "}\n";

    /// <summary>Math.Max / Math.Min of two longs or ulongs.</summary>
    public static System.Func<string, string> MinMax(bool max, bool signed) => n =>
        $"// Math.{(max ? "Max" : "Min")}({TypeName(signed)}, {TypeName(signed)}).\n" +
        $"fn {n}(a: {V}, b: {V}) -> {V} {{\n" +
        $"    return select(a, b, {(max ? Less("a", "b", signed) : Less("b", "a", signed))});\n" +
        "}\n";

    /// <summary>Math.Clamp of a long or ulong: min(max(value, low), high), as WGSL's clamp of 32-bit integers.</summary>
    public static System.Func<string, string> Clamp(bool signed) => n =>
        $"// Math.Clamp({TypeName(signed)}, min, max): min(max(value, min), max), as WGSL's clamp of 32-bit integers (C# throws when min > max).\n" +
        $"fn {n}(value: {V}, low: {V}, high: {V}) -> {V} {{\n" +
        $"    let raised: {V} = select(value, low, {Less("value", "low", signed)});\n" +
        $"    return select(raised, high, {Less("high", "raised", signed)});\n" +
        "}\n";

    public static string Abs(string n) =>
        "// Math.Abs(long): long.MinValue stays long.MinValue, as WGSL's abs of an i32 (C# throws OverflowException).\n" +
        $"fn {n}(a: {V}) -> {V} {{\n" +
        $"    return select(a, {Negated("a")}, {IsNegative("a")});\n" +
        "}\n";

    public static string CopySign(string n) =>
        "// long.CopySign: the magnitude of value with the sign of sign (long.MinValue stays long.MinValue, where C# throws).\n" +
        $"fn {n}(value: {V}, sign: {V}) -> {V} {{\n" +
        $"    let magnitude: {V} = select(value, {Negated("value")}, {IsNegative("value")});\n" +
        $"    return select(magnitude, {Negated("magnitude")}, {IsNegative("sign")});\n" +
        "}\n";

    /// <summary>Math.Sign of a long, or ulong.Sign: -1, 0 or 1 as an int.</summary>
    public static System.Func<string, string> Sign(bool signed) => n =>
        $"// Math.Sign({TypeName(signed)}): -1, 0 or 1.\n" +
        $"fn {n}(a: {V}) -> i32 {{\n" +
        (signed
            ? $"    return select(select(0i, 1i, (a.x | a.y) != 0u), -1i, {IsNegative("a")});\n"
            : "    return select(0i, 1i, (a.x | a.y) != 0u);\n") +
        "}\n";

    /// <summary>x.CompareTo(y) of two longs or ulongs: -1, 0 or 1.</summary>
    public static System.Func<string, string> CompareTo(bool signed) => n =>
        $"// {TypeName(signed)}.CompareTo({TypeName(signed)}): -1, 0 or 1.\n" +
        $"fn {n}(a: {V}, b: {V}) -> i32 {{\n" +
        $"    return select(select(0i, 1i, {Less("b", "a", signed)}), -1i, {Less("a", "b", signed)});\n" +
        "}\n";

    public static string Log2(string n) =>
        "// BitOperations.Log2(ulong): the index of the top set bit, 0 for 0.\n" +
        $"fn {n}(a: {V}) -> i32 {{\n" +
        "    return i32(select(31u - countLeadingZeros(a.x | 1u), 63u - countLeadingZeros(a.y), a.y != 0u));\n" +
        "}\n";

    /// <summary>BitOperations.IsPow2 of a ulong, or of a long (which must be positive).</summary>
    public static System.Func<string, string> IsPow2(bool signed) => n =>
        $"// IsPow2({TypeName(signed)}): exactly one bit set{(signed ? " in a positive value" : "")}.\n" +
        $"fn {n}(a: {V}) -> bool {{\n" +
        $"    return countOneBits(a.x) + countOneBits(a.y) == 1u{(signed ? " && (a.y >> 31u) == 0u" : "")};\n" +
        "}\n";
}
