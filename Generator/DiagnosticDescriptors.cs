using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator;

/// <summary>
/// Every diagnostic the kernel generator reports. IDs are stable (listed in AnalyzerReleases.*.md);
/// each message says what to write instead.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "KernelGen";

    public static readonly DiagnosticDescriptor KernelMustBeStatic = Error("KG0001",
        "Kernel methods must be static",
        "Kernel '{0}' must be static: declare it 'static void {0}(...)'");

    public static readonly DiagnosticDescriptor KernelMustNotBeGeneric = Error("KG0002",
        "Generic kernels take one type parameter",
        "Kernel '{0}' has {1} type parameters; a generic kernel takes one (T, run for int, uint, float or Half): write one kernel per combination, or pass the other types' values as that T");

    public static readonly DiagnosticDescriptor KernelMustReturnVoid = Error("KG0003",
        "Kernel methods must return void",
        "Kernel '{0}' returns '{1}'; kernels return void and write their results into a Span<T> buffer parameter");

    public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = Error("KG0004",
        "Types containing kernels must be partial",
        "Type '{0}' contains kernel '{1}' and must be declared partial, because the generator adds the nested classes Kernels and Gpu to it: write 'partial {2} {0}'");

    public static readonly DiagnosticDescriptor ContainingTypeNotSupported = Error("KG0005",
        "Kernels must be declared in a non-generic class or struct",
        "Kernel '{1}' is declared in '{0}', which {2}: move it into a non-generic partial class or struct");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error("KG0006",
        "Unsupported kernel parameter type",
        "Parameter '{0}' of kernel '{1}' has type '{2}', which a kernel cannot take: {3}");

    public static readonly DiagnosticDescriptor ParameterByReference = Error("KG0007",
        "Parameters must be passed by value",
        "Parameter '{0}' is declared '{1}'; kernel and helper parameters are passed by value (a kernel writes its results into a Span<T> buffer; a helper returns its result)");

    public static readonly DiagnosticDescriptor UnsupportedBufferElementType = Error("KG0008",
        "Unsupported buffer element type",
        "Buffer '{0}' has element type '{1}', which cannot be stored in a WGSL storage buffer: {2}");

    public static readonly DiagnosticDescriptor UnsupportedUniformType = Error("KG0009",
        "Unsupported uniform parameter type",
        "Parameter '{0}' has type '{1}', which cannot be passed in the uniform block: {2}");

    public static readonly DiagnosticDescriptor StructLayoutMismatch = Error("KG0010",
        "Struct layout differs between C# and WGSL",
        "Struct '{0}' is laid out differently in C# and in WGSL: {1}");

    public static readonly DiagnosticDescriptor InvalidWorkgroupSize = Error("KG0011",
        "Invalid workgroup size",
        "Invalid workgroup size for kernel '{0}': {1}");

    public static readonly DiagnosticDescriptor InvalidGroupShared = Error("KG0012",
        "Invalid workgroup-shared array",
        "Workgroup-shared parameter '{0}' is invalid: {1}");

    public static readonly DiagnosticDescriptor DuplicateBuiltinParameter = Error("KG0013",
        "Built-in id taken twice",
        "Kernel '{0}' takes more than one {1} parameter: take it once and use its value everywhere");

    public static readonly DiagnosticDescriptor DuplicateKernelName = Error("KG0014",
        "Kernel names must be unique in their type",
        "Type '{0}' has more than one kernel named '{1}': kernels cannot be overloaded, give each a distinct name");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("KG0015",
        "Unsupported statement in a kernel",
        "The statement '{0}' is not supported in kernels: {1}");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("KG0016",
        "Unsupported expression in a kernel",
        "The expression '{0}' is not supported in kernels: {1}");

    public static readonly DiagnosticDescriptor UnsupportedType = Error("KG0017",
        "Unsupported type in a kernel",
        "The type '{0}' is not supported in kernels: {1}");

    public static readonly DiagnosticDescriptor UnmappedMethod = Error("KG0018",
        "Method has no WGSL translation",
        "'{0}' cannot be called from a kernel: {1}");

    public static readonly DiagnosticDescriptor RecursiveCall = Error("KG0019",
        "Recursion is not allowed",
        "'{0}' is called recursively ({1}), but WGSL does not allow recursion: rewrite it as a loop");

    public static readonly DiagnosticDescriptor WriteToReadOnlyBuffer = Error("KG0020",
        "Read-only buffers cannot be written",
        "'{0}' is a ReadOnlySpan<T> buffer (var<storage, read>) and cannot be written: declare the parameter as Span<T>");

    public static readonly DiagnosticDescriptor InvalidIndex = Error("KG0021",
        "Index must be an integer",
        "The index '{0}' has type '{1}': index buffers and vectors with an int or uint expression (from the start, no ranges or ^ indices)");

    public static readonly DiagnosticDescriptor SideEffectAsValue = Error("KG0022",
        "Assignment used as a value that cannot be one",
        "'{0}' is used as a value, but its target has effects of its own (a[i++] += 1), or it is a deconstruction or a ref assignment: split it into separate statements (i++; a[i - 1] += 1;)");

    public static readonly DiagnosticDescriptor BuiltinIdAsValue = Error("KG0023",
        "Built-in ids must be read through their components",
        "'{0}' is a built-in id: read its components ({1}) instead of using it as a value");

    public static readonly DiagnosticDescriptor UnsupportedMember = Error("KG0024",
        "Unsupported member access in a kernel",
        "'{0}' cannot be used in a kernel: {1}");

    public static readonly DiagnosticDescriptor UnsupportedHelperMethod = Error("KG0026",
        "Unsupported helper method",
        "Helper '{0}' cannot be translated to a WGSL function: {1}");

    public static readonly DiagnosticDescriptor UnsafeCode = Error("KG0027",
        "Unsafe code is not supported",
        "'{0}' uses pointers or unsafe code, which WGSL does not have: index a Span<T> buffer instead");

    public static readonly DiagnosticDescriptor DuplicateModuleName = Error("KG0028",
        "Two module-scope names collide in WGSL",
        "'{0}' becomes the WGSL name '{1}', which '{2}' already uses: rename one of them");

    public static readonly DiagnosticDescriptor TranslationFailure = Error("KG0029",
        "The kernel could not be translated",
        "KernelGen failed to translate kernel '{0}' ({1}); the kernel is not emitted. Please report this with the kernel's source.");

    public static readonly DiagnosticDescriptor BarrierInNonUniformFlow = Error("KG0030",
        "Barriers must be reached by every invocation",
        "'{0}' is reached by only some invocations of the workgroup: {1}. WGSL requires all of them to reach a barrier: move it out of the condition or loop, or wrap the work (not the barrier) in the if instead of returning early");

    public static readonly DiagnosticDescriptor BeyondWgslLimits = Error("KG0032",
        "The kernel is beyond what WGSL implementations accept",
        "'{0}' {1}: split it into shorter statements, locals or helper methods");

    public static readonly DiagnosticDescriptor SubgroupInNonUniformFlow = Error("KG0045",
        "Subgroup operations must be reached by every invocation",
        "'{0}' is reached by only some invocations of the workgroup: {1}. Subgroup operations have the rule of barriers (WGSL requires uniform control flow): call it where every invocation gets, and make the condition part of the value instead (Subgroup.Add(active ? x : 0f))");

    public static readonly DiagnosticDescriptor SubgroupBallotWord = Error("KG0046",
        "Subgroup.Ballot's word must be a constant from 0 to 3",
        "'{0}' is not a constant from 0 to 3: a ballot has four 32-bit words (lanes 0-31, 32-63, 64-95, 96-127); write Ballot(p, 0) ... Ballot(p, 3)");

    public static readonly DiagnosticDescriptor SubgroupOperandNotUniform = Error("KG0047",
        "A shuffle's delta or mask must be the same for every invocation",
        "'{0}' differs between invocations, and WGSL requires the delta or mask of {1} to be uniform: compute the source lane and read it with Subgroup.Shuffle(value, lane), which takes any lane");

    public static readonly DiagnosticDescriptor UnsupportedPattern = Error("KG0050",
        "Unsupported pattern in a kernel",
        "The pattern '{0}' cannot be translated: {1}");

    public static readonly DiagnosticDescriptor GenericKernelTypeArgument = Error("KG0060",
        "A generic kernel cannot run for this type argument",
        "Generic kernel '{0}' cannot run for '{1}': {2}");

    public static readonly DiagnosticDescriptor GenericKernelOpenTypeArgument = Error("KG0061",
        "The type argument of a generic kernel's call is a type parameter",
        "This call of generic kernel '{0}' passes on a type parameter, so the generator cannot tell which WGSL modules it needs: list them, e.g. [Kernel(Types = new[] {{ typeof(float), typeof(int) }})]");

    public static readonly DiagnosticDescriptor InvalidLocalArray = Error("KG0055",
        "Invalid per-invocation array",
        "'{0}' cannot be a per-invocation array: {1}");

    public static readonly DiagnosticDescriptor ConstantIndexOutOfRange = Error("KG0056",
        "Constant index out of range",
        "Index {0} is outside '{1}', which has {2} elements: C# would throw, and WGSL refuses the module");

    public static readonly DiagnosticDescriptor UnsupportedSpanView = Error("KG0051",
        "Unsupported use of a span slice",
        "'{0}' {1}: a slice (x.Slice(a, n), x[a..b]) or Span local of a buffer, workgroup array or per-invocation array can be indexed (also s[^1]), sliced again, asked its Length, enumerated, re-pointed within its array, or passed to a helper's Span parameter");

    public static readonly DiagnosticDescriptor LocalArrayMisuse = Error("KG0057",
        "Unsupported use of a per-invocation array",
        "'{0}' {1}: a per-invocation array can only be indexed, asked its Length, or passed to a helper's Span<T> or T[] parameter");

    public static readonly DiagnosticDescriptor InvalidSpecializeParameter = Error("KG0058",
        "Invalid [Specialize] parameter",
        "Parameter '{0}' of kernel '{1}' cannot be a specialisation constant: {2}");

    public static readonly DiagnosticDescriptor InvalidSpecializedSize = Error("KG0059",
        "Invalid specialised size",
        "'{0}' names '{1}' for a size, but {2}");

    public static readonly DiagnosticDescriptor AtomicNotOnBufferElement = Error("KG0040",
        "Atomics work on elements of Span buffers and [GroupShared] arrays",
        "'{0}' is {1}: WGSL atomics live in storage or workgroup memory only; pass an element of a Span<int>/Span<uint> kernel buffer or [GroupShared] array, e.g. Interlocked.Add(ref bins[b], 1), or a helper's Span parameter that receives one");

    public static readonly DiagnosticDescriptor AtomicElementType = Error("KG0041",
        "Atomics need int or uint elements",
        "'{0}' is atomic on '{1}': WGSL atomics hold 32-bit integers (atomic<i32>, atomic<u32>); use int or uint elements ({2})");

    public static readonly DiagnosticDescriptor UnsupportedAtomic = Error("KG0042",
        "This atomic operation has no WGSL translation",
        "'{0}' has no WGSL atomic: supported are {1} (on float elements: KernelGen.Atomic.Add, Interlocked.Exchange and CompareExchange){2}");

    public static readonly DiagnosticDescriptor UnsupportedReinterpretation = Error("KG0043",
        "This bit reinterpretation has no WGSL translation",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor InlinedTooLarge = Error("KG0033",
        "The kernel expands beyond what GPU compilers accept once its helper calls are inlined",
        "'{0}' expands to {1} statements once its helper calls are inlined, more than {2} (GPU compilers inline every call, and one this large exhausts their memory); '{3}' alone is {4}: call a helper once and reuse its result, or call it in a loop instead of repeating the call");

    public static readonly DiagnosticDescriptor UnsupportedMatrixMember = Error("KG0062",
        "This matrix member has no WGSL translation",
        "'{0}' cannot be used in a kernel: {1}");

    public static readonly DiagnosticDescriptor MatrixIndexOutOfRange = Error("KG0063",
        "Matrix row or column index out of range",
        "Index {0} is outside the {1}s of '{2}', which has {3}: C# would throw ArgumentOutOfRangeException, and WGSL refuses the module");

    public static readonly DiagnosticDescriptor RecordEqualityNotTranslated = Error("KG0064",
        "This record struct's == has no WGSL translation",
        "'{0}' compares record structs member by member as C# does, and {1}");

    public static readonly DiagnosticDescriptor HostLayoutUnsupported = Error("KG0065",
        "The buffer element's C# layout cannot be reproduced on the GPU",
        "Buffer '{0}' has element type '{1}', whose C# layout the GPU code cannot reproduce: {2}");

    public static readonly DiagnosticDescriptor HostLayoutElementUse = Error("KG0066",
        "Unsupported use of an element of a buffer in C#'s byte layout",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor TupleInHostMemory = Error("KG0067",
        "Tuple in a buffer or uniform",
        "Parameter '{0}' has type '{1}', which holds a tuple: ValueTuple's memory layout is not stable, so tuples cannot cross between the host and the GPU; declare a struct with the same fields instead (tuples work in locals, helper parameters and results, struct fields of locals and [GroupShared] arrays)");

    public static readonly DiagnosticDescriptor FieldAtomicWord = Error("KG0071",
        "Atomics need a whole, aligned 32-bit location",
        "'{0}' cannot be atomic: {1}");

    public static readonly DiagnosticDescriptor FieldAtomicArray = Error("KG0072",
        "Atomics on fields of this array's elements have no WGSL translation",
        "'{0}' is atomic on a field of an element of '{1}', whose elements cannot be held as atomic 32-bit words: {2}");

    public static readonly DiagnosticDescriptor AtomicThroughReference = Error("KG0074",
        "An atomic through a ref parameter needs a buffer or shared element",
        "'{0}' cannot be atomic: {1}");

    public static readonly DiagnosticDescriptor UnsupportedInt64Operation = Error("KG0075",
        "This 64-bit integer operation has no exact GPU translation",
        "'{0}' cannot be used in a kernel: {1}");

    public static readonly DiagnosticDescriptor UnsupportedCapture = Error("KG0069",
        "A local function captures what it cannot take on the GPU",
        "The local function '{0}' uses '{1}' of the method around it, which {2}");

    private static readonly Dictionary<string, DiagnosticDescriptor> byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToDictionary(d => d.Id);

    /// <summary>All descriptors, by ID.</summary>
    public static IReadOnlyCollection<DiagnosticDescriptor> All => byId.Values;

    public static DiagnosticDescriptor ById(string id) => byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
