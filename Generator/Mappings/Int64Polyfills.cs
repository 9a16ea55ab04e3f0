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
}
