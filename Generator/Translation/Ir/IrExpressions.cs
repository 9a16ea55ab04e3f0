using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;

namespace KernelGen.Generator.Translation.Ir;

/// <summary>
/// A typed WGSL expression. Nodes are immutable values built by lowering (and by passes); one node may
/// appear in several places of a tree (an intrinsic that uses an argument twice uses the same node), which
/// the evaluation-order pass sees by identity. Children are listed in C# evaluation order.
/// </summary>
internal abstract class IrExpr
{
    protected IrExpr(WgslType? type) => Type = type;

    /// <summary>The WGSL type of the value; null for calls of functions that return nothing.</summary>
    public WgslType? Type { get; }

    /// <summary>The operands, in the order C# evaluates them.</summary>
    public abstract IReadOnlyList<IrExpr> Children { get; }

    /// <summary>This node with its children replaced (same order and count as <see cref="Children"/>).</summary>
    public abstract IrExpr WithChildren(IReadOnlyList<IrExpr> children);

    protected static readonly IReadOnlyList<IrExpr> None = [];
}

/// <summary>The kind of a literal's value.</summary>
internal enum IrLiteralKind
{
    Bool,
    I32,
    U32,
    /// <summary>An f32 given by its bits (finite, not -0).</summary>
    F32,
    /// <summary>An f16 given by its bits (finite, not -0).</summary>
    F16,
    /// <summary>A u32 written in hex (bit patterns).</summary>
    Bits,
}

/// <summary>A literal with its exact bits; the printer spells it so that WGSL parses the same bits.</summary>
internal sealed class IrLiteral : IrExpr
{
    public IrLiteral(WgslType type, IrLiteralKind kind, uint bits) : base(type)
    {
        Kind = kind;
        Bits = bits;
    }

    public IrLiteralKind Kind { get; }

    /// <summary>The value's bits (bool: 0 or 1; i32: two's complement; f32/f16: IEEE bits).</summary>
    public uint Bits { get; }

    public static IrLiteral Bool(bool value) => new(WgslType.Bool, IrLiteralKind.Bool, value ? 1u : 0u);

    public static IrLiteral I32(int value) => new(WgslType.I32, IrLiteralKind.I32, unchecked((uint)value));

    public static IrLiteral U32(uint value) => new(WgslType.U32, IrLiteralKind.U32, value);

    public static IrLiteral HexBits(uint value) => new(WgslType.U32, IrLiteralKind.Bits, value);

    public static IrLiteral F32(float value) => new(WgslType.F32, IrLiteralKind.F32, System.BitConverter.ToUInt32(System.BitConverter.GetBytes(value), 0));

    public static IrLiteral F16(ushort bits) => new(WgslType.F16, IrLiteralKind.F16, bits);

    public override IReadOnlyList<IrExpr> Children => None;

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => this;
}

/// <summary>What a named variable is.</summary>
internal enum IrVariableKind
{
    Let,
    Var,
    Const,
    /// <summary>A function parameter (read-only in WGSL).</summary>
    Parameter,
    /// <summary>A module-scope storage buffer (read-only or read-write).</summary>
    StorageBuffer,
    ReadOnlyStorageBuffer,
    /// <summary>A module-scope <c>var&lt;workgroup&gt;</c> array.</summary>
    Workgroup,
    /// <summary>The module-scope uniform block.</summary>
    Uniform,
    /// <summary>A module-scope <c>var&lt;private&gt;</c> (one per invocation).</summary>
    Private,
    /// <summary>A module-scope <c>override</c> constant (a [Specialize] parameter).</summary>
    Override,
}

/// <summary>A named value: local, parameter or module-scope variable.</summary>
internal sealed class IrVariable
{
    public IrVariable(string name, WgslType type, IrVariableKind kind)
    {
        Name = name;
        Type = type;
        Kind = kind;
    }

    public string Name { get; }

    /// <summary>The value type; the element type for buffers and workgroup arrays.</summary>
    public WgslType Type { get; }

    public IrVariableKind Kind { get; set; }

    /// <summary>For a buffer or workgroup array that atomics use: its WGSL element type (<c>atomic&lt;i32&gt;</c>, <c>atomic&lt;u32&gt;</c>).</summary>
    public string? AtomicElement { get; set; }

    /// <summary>A function variable passed by pointer (<c>&amp;x</c>) to a helper, which can then read and write it: its reads and writes are effects.</summary>
    public bool IsAddressed { get; set; }

    /// <summary>Memory other invocations or callees can see (buffers, workgroup arrays): reads and writes of it are effects.</summary>
    public bool IsSharedMemory => Kind is IrVariableKind.StorageBuffer or IrVariableKind.ReadOnlyStorageBuffer or IrVariableKind.Workgroup;

    public bool IsGlobal => IsSharedMemory || Kind == IrVariableKind.Uniform;

    public override string ToString() => Name;
}

/// <summary>A reference to a variable (its value, or the place when it is an assignment target).</summary>
internal sealed class IrRef : IrExpr
{
    public IrRef(IrVariable variable, WgslType? type = null) : base(type ?? variable.Type) => Variable = variable;

    public IrVariable Variable { get; }

    public override IReadOnlyList<IrExpr> Children => None;

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => this;
}

internal enum IrUnaryOp
{
    Negate,
    Not,
    BitNot,
    /// <summary><c>&amp;x</c>, for built-ins that take a pointer (<c>arrayLength</c>) and per-invocation arrays passed to helpers.</summary>
    AddressOf,
    /// <summary><c>*p</c>: the array a helper's pointer parameter points to.</summary>
    Deref,
}

internal sealed class IrUnary : IrExpr
{
    public IrUnary(IrUnaryOp op, IrExpr operand, WgslType? type = null) : base(type ?? operand.Type)
    {
        Op = op;
        Operand = operand;
    }

    public IrUnaryOp Op { get; }

    public IrExpr Operand { get; }

    public override IReadOnlyList<IrExpr> Children => [Operand];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrUnary(Op, children[0], Type);
}

internal enum IrBinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    ShiftLeft,
    ShiftRight,
    BitAnd,
    BitOr,
    BitXor,
    LogicalAnd,
    LogicalOr,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

/// <summary>A WGSL binary operator (the lowering has already mapped C# semantics onto it).</summary>
internal sealed class IrBinary : IrExpr
{
    public IrBinary(IrBinaryOp op, IrExpr left, IrExpr right, WgslType type) : base(type)
    {
        Op = op;
        Left = left;
        Right = right;
    }

    public IrBinaryOp Op { get; }

    public IrExpr Left { get; }

    public IrExpr Right { get; }

    public bool IsShortCircuit => Op is IrBinaryOp.LogicalAnd or IrBinaryOp.LogicalOr;

    public override IReadOnlyList<IrExpr> Children => [Left, Right];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrBinary(Op, children[0], children[1], Type!);
}

/// <summary>A function the IR can call: a translated helper or a generated polyfill.</summary>
internal abstract class IrCallable
{
    protected IrCallable(string name) => Name = name;

    public string Name { get; }

    /// <summary>What calling it can do to memory (filled in by the effects pass for helpers; polyfills are pure).</summary>
    public IrEffects Effects { get; set; } = IrEffects.Pure;
}

/// <summary>A call of a helper function or polyfill of this module.</summary>
internal sealed class IrCall : IrExpr
{
    public IrCall(IrCallable callee, IReadOnlyList<IrExpr> arguments, WgslType? type) : base(type)
    {
        Callee = callee;
        Arguments = arguments;
    }

    public IrCallable Callee { get; }

    public IReadOnlyList<IrExpr> Arguments { get; }

    /// <summary>The C# call it was lowered from, for the diagnostics of passes (the uniformity pass); null where none.</summary>
    public Microsoft.CodeAnalysis.SyntaxNode? Syntax { get; set; }

    /// <summary>
    /// An argument WGSL requires to be the same for every invocation (a shuffle's delta or mask), with its C# syntax
    /// and the C# operation's name, for the uniformity pass.
    /// </summary>
    public (int Index, Microsoft.CodeAnalysis.SyntaxNode Syntax, string Operation)? UniformArgument { get; set; }

    public override IReadOnlyList<IrExpr> Children => Arguments;

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrCall(Callee, children, Type) { Syntax = Syntax, UniformArgument = UniformArgument };
}

/// <summary>A call of a WGSL built-in function (<c>dot</c>, <c>arrayLength</c>, ...).</summary>
internal sealed class IrBuiltinCall : IrExpr
{
    public IrBuiltinCall(string name, IReadOnlyList<IrExpr> arguments, WgslType? type, bool pure = true) : base(type)
    {
        Name = name;
        Arguments = arguments;
        IsPure = pure;
    }

    public string Name { get; }

    public IReadOnlyList<IrExpr> Arguments { get; }

    /// <summary>Whether the built-in only computes a value (no memory access beyond its arguments).</summary>
    public bool IsPure { get; }

    /// <summary>The C# call it was lowered from, for the diagnostics of passes (the uniformity pass); null where none.</summary>
    public Microsoft.CodeAnalysis.SyntaxNode? Syntax { get; set; }

    public override IReadOnlyList<IrExpr> Children => Arguments;

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrBuiltinCall(Name, children, Type, IsPure) { Syntax = Syntax };
}

/// <summary>A value constructor: <c>vec4&lt;f32&gt;(x, y, z, w)</c>, <c>S(a, b)</c>, <c>T()</c> (zero).</summary>
internal sealed class IrConstruct : IrExpr
{
    /// <param name="order">
    /// For a C# object initializer, which argument C# evaluates first, second, ...: the children are listed in
    /// that order, and the evaluation-order pass binds what WGSL's argument order would change.
    /// </param>
    public IrConstruct(WgslType type, IReadOnlyList<IrExpr> arguments, IReadOnlyList<int>? order = null) : base(type)
    {
        Arguments = arguments;
        Order = order is not null && !order.Select((o, i) => o == i).All(b => b) ? order : null;
    }

    /// <summary>The arguments in WGSL's (declaration) order.</summary>
    public IReadOnlyList<IrExpr> Arguments { get; }

    /// <summary>C#'s evaluation order of the arguments, when it is not theirs.</summary>
    public IReadOnlyList<int>? Order { get; }

    public override IReadOnlyList<IrExpr> Children => Order is null ? Arguments : Order.Select(i => Arguments[i]).ToList();

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children)
    {
        if (Order is null)
            return new IrConstruct(Type!, children);
        var arguments = new IrExpr[children.Count];
        for (int i = 0; i < children.Count; i++)
            arguments[Order[i]] = children[i];
        return new IrConstruct(Type!, arguments, Order);
    }
}

/// <summary>A conversion <c>T(x)</c> between numeric scalars (value conversion, not bits).</summary>
internal sealed class IrConvert : IrExpr
{
    public IrConvert(WgslType type, IrExpr operand) : base(type) => Operand = operand;

    public IrExpr Operand { get; }

    public override IReadOnlyList<IrExpr> Children => [Operand];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrConvert(Type!, children[0]);
}

/// <summary>A reinterpretation of bits: <c>bitcast&lt;T&gt;(x)</c>.</summary>
internal sealed class IrBitcast : IrExpr
{
    public IrBitcast(WgslType type, IrExpr operand) : base(type) => Operand = operand;

    public IrExpr Operand { get; }

    public override IReadOnlyList<IrExpr> Children => [Operand];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrBitcast(Type!, children[0]);
}

/// <summary>A struct field: <c>s.name</c>.</summary>
internal sealed class IrMember : IrExpr
{
    public IrMember(IrExpr instance, string member, WgslType type) : base(type)
    {
        Instance = instance;
        Member = member;
    }

    public IrExpr Instance { get; }

    public string Member { get; }

    public override IReadOnlyList<IrExpr> Children => [Instance];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrMember(children[0], Member, Type!);
}

/// <summary>Vector components: <c>v.x</c>, <c>v.xyz</c>.</summary>
internal sealed class IrSwizzle : IrExpr
{
    public IrSwizzle(IrExpr vector, string components, WgslType type) : base(type)
    {
        Vector = vector;
        Components = components;
    }

    public IrExpr Vector { get; }

    public string Components { get; }

    public override IReadOnlyList<IrExpr> Children => [Vector];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrSwizzle(children[0], Components, Type!);
}

/// <summary>An element of an array (buffer, workgroup array) or vector: <c>a[i]</c>.</summary>
internal sealed class IrIndex : IrExpr
{
    public IrIndex(IrExpr array, IrExpr index, WgslType type) : base(type)
    {
        Array = array;
        Index = index;
    }

    public IrExpr Array { get; }

    public IrExpr Index { get; }

    public override IReadOnlyList<IrExpr> Children => [Array, Index];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrIndex(children[0], children[1], Type!);
}

/// <summary>
/// C#'s <c>c ? a : b</c>. The printer writes <c>select(b, a, c)</c>, which evaluates all three; the
/// evaluation-order pass first turns every conditional whose eager evaluation C# could observe into an
/// if/else that sets a temporary.
/// </summary>
internal sealed class IrConditional : IrExpr
{
    public IrConditional(IrExpr condition, IrExpr whenTrue, IrExpr whenFalse, WgslType type) : base(type)
    {
        Condition = condition;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public IrExpr Condition { get; }

    public IrExpr WhenTrue { get; }

    public IrExpr WhenFalse { get; }

    public override IReadOnlyList<IrExpr> Children => [Condition, WhenTrue, WhenFalse];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrConditional(children[0], children[1], children[2], Type!);
}

/// <summary>
/// Statements that run, in order, before a value is read: what lowering builds for an expression C# evaluates with
/// steps WGSL has no expression for (a helper call that passes a buffer element by reference: copy in, call, write
/// back). Only lowering makes one and the evaluation-order pass removes every one (it moves the statements ahead of
/// the statement that holds the sequence, binding earlier operands they could change, and inside the if that keeps
/// a short-circuit or conditional lazy), so the printer never sees one.
/// </summary>
internal sealed class IrSequence : IrExpr
{
    public IrSequence(IReadOnlyList<IrStmt> statements, IrExpr value) : base(value.Type)
    {
        Statements = statements;
        Value = value;
    }

    public IReadOnlyList<IrStmt> Statements { get; }

    public IrExpr Value { get; }

    /// <remarks>The statements are not children: they run before <see cref="Value"/> is evaluated.</remarks>
    public override IReadOnlyList<IrExpr> Children => [Value];

    public override IrExpr WithChildren(IReadOnlyList<IrExpr> children) => new IrSequence(Statements, children[0]);
}
