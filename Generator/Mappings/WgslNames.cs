using System.Collections.Generic;

namespace KernelGen.Generator.Mappings;

/// <summary>
/// WGSL names: the words a C# identifier must not become (keywords, reserved words, predeclared
/// types and built-in functions, the generator's own names), and the one deterministic escape.
/// </summary>
internal static class WgslNames
{
    /// <summary>The module-scope variable holding the uniform block.</summary>
    public const string UniformVariable = "uniforms";

    /// <summary>The struct type of the uniform block.</summary>
    public const string UniformStruct = "Uniforms";

    /// <summary>A WGSL type as part of a name (<c>vec4&lt;f32&gt;</c>: <c>vec4f32</c>), for the functions of a generic helper.</summary>
    public static string TypeSuffix(WgslType type) => type.Name.Replace("<", "").Replace(">", "").Replace(", ", "");

    private static readonly HashSet<string> reserved = new(System.StringComparer.Ordinal)
    {
        // Keywords.
        "alias", "break", "case", "const", "const_assert", "continue", "continuing", "default", "diagnostic",
        "discard", "else", "enable", "false", "fn", "for", "if", "let", "loop", "override", "requires", "return",
        "struct", "switch", "true", "var", "while",
        // Reserved words.
        "NULL", "Self", "abstract", "active", "alignas", "alignof", "as", "asm", "asm_fragment", "async",
        "attribute", "auto", "await", "become", "binding_array", "cast", "catch", "class", "co_await",
        "co_return", "co_yield", "coherent", "column_major", "common", "compile", "compile_fragment",
        "concept", "const_cast", "consteval", "constexpr", "constinit", "crate", "debugger", "decltype",
        "delete", "demote", "demote_to_helper", "do", "dynamic_cast", "enum", "explicit", "export", "extends",
        "extern", "external", "fallthrough", "filter", "final", "finally", "friend", "from", "fxgroup", "get",
        "goto", "groupshared", "highp", "impl", "implements", "import", "inline", "instanceof", "interface",
        "layout", "lowp", "macro", "macro_rules", "match", "mediump", "meta", "mod", "module", "move", "mut",
        "mutable", "namespace", "new", "nil", "noexcept", "noinline", "nointerpolation", "non_coherent",
        "noncoherent", "noperspective", "null", "nullptr", "of", "operator", "package", "packoffset",
        "partition", "pass", "patch", "pixelfragment", "precise", "precision", "premerge", "priv",
        "protected", "pub", "public", "readonly", "ref", "regardless", "register", "reinterpret_cast",
        "require", "resource", "restrict", "self", "set", "shared", "signed", "sizeof", "smooth", "snorm",
        "static", "static_assert", "static_cast", "std", "subroutine", "super", "target", "template", "this",
        "thread_local", "throw", "trait", "try", "type", "typedef", "typeid", "typename", "typeof", "union",
        "unless", "unorm", "unsafe", "unsized", "use", "using", "varying", "virtual", "volatile", "wgsl",
        "where", "with", "writeonly", "yield",
        // Predeclared types and type generators (shadowing them would break later uses).
        "bool", "f16", "f32", "i32", "u32", "vec2", "vec3", "vec4", "vec2f", "vec3f", "vec4f", "vec2i", "vec3i",
        "vec4i", "vec2u", "vec3u", "vec4u", "vec2h", "vec3h", "vec4h", "mat2x2", "mat2x3", "mat2x4", "mat3x2",
        "mat3x3", "mat3x4", "mat4x2", "mat4x3", "mat4x4", "array", "atomic", "ptr", "sampler",
        "sampler_comparison", "texture_1d", "texture_2d", "texture_2d_array", "texture_3d", "texture_cube",
        "texture_cube_array", "texture_multisampled_2d", "texture_storage_1d", "texture_storage_2d",
        "texture_storage_2d_array", "texture_storage_3d", "texture_depth_2d", "texture_depth_2d_array",
        "texture_depth_cube", "texture_depth_cube_array", "texture_depth_multisampled_2d", "texture_external",
        "read", "write", "read_write", "function", "private", "workgroup", "uniform", "storage",
        // Built-in functions.
        "abs", "acos", "acosh", "all", "any", "arrayLength", "asin", "asinh", "atan", "atan2", "atanh",
        "bitcast", "ceil", "clamp", "cos", "cosh", "countLeadingZeros", "countOneBits", "countTrailingZeros",
        "cross", "degrees", "determinant", "distance", "dot", "dot4I8Packed", "dot4U8Packed", "exp", "exp2",
        "extractBits", "faceForward", "firstLeadingBit", "firstTrailingBit", "floor", "fma", "fract", "frexp",
        "insertBits", "inverseSqrt", "ldexp", "length", "log", "log2", "max", "min", "mix", "modf", "normalize",
        "pow", "quantizeToF16", "radians", "reflect", "refract", "reverseBits", "round", "saturate", "select",
        "sign", "sin", "sinh", "smoothstep", "sqrt", "step", "tan", "tanh", "transpose", "trunc",
        "workgroupBarrier", "storageBarrier", "textureBarrier", "workgroupUniformLoad",
        "pack4x8snorm", "pack4x8unorm", "pack2x16snorm", "pack2x16unorm", "pack2x16float",
        "unpack4x8snorm", "unpack4x8unorm", "unpack2x16snorm", "unpack2x16unorm", "unpack2x16float",
        "atomicLoad", "atomicStore", "atomicAdd", "atomicSub", "atomicMax", "atomicMin", "atomicAnd",
        "atomicOr", "atomicXor", "atomicExchange", "atomicCompareExchangeWeak",
        // The generator's own module-scope names.
        UniformVariable, UniformStruct,
    };

    /// <summary>Whether <paramref name="name"/> cannot be used as a WGSL identifier as it is.</summary>
    public static bool IsReserved(string name) => reserved.Contains(name) || name == "_" || name.StartsWith("__", System.StringComparison.Ordinal);

    /// <summary>
    /// The WGSL identifier for a C# identifier: unchanged, unless it is reserved (a trailing underscore is
    /// added until it is not), is <c>_</c> (<c>u_</c>) or starts with two underscores (a <c>u</c> in front),
    /// the same way every time. Total: every step leaves a name that no later step can make reserved again.
    /// Escaped names can meet a user's name (<c>fn</c> and <c>fn_</c>): each scope keeps its names apart.
    /// </summary>
    public static string Escape(string name)
    {
        if (name.Length == 0 || name == "_")
            name = "u" + name + (name.Length == 0 ? "_" : "");
        else if (name.StartsWith("__", System.StringComparison.Ordinal))
            name = "u" + name;
        while (IsReserved(name))
            name += "_";
        return name;
    }
}
