using System.Collections.Generic;
using KernelGen.Generator.Mappings;

namespace KernelGen.Generator.Translation.Ir;

/// <summary>What evaluating an expression or running a function can do to memory others can see.</summary>
internal sealed class IrEffects
{
    public static readonly IrEffects Pure = new();

    /// <summary>Buffers and workgroup arrays read.</summary>
    public HashSet<IrVariable> Reads { get; } = [];

    /// <summary>Buffers and workgroup arrays written.</summary>
    public HashSet<IrVariable> Writes { get; } = [];

    /// <summary>Waits at a workgroup or storage barrier.</summary>
    public bool Barrier { get; set; }

    /// <summary>Has an effect of its own (writes memory or synchronises): evaluating it twice, or not at all, is visible.</summary>
    public bool IsImpure => Writes.Count > 0 || Barrier;

    public bool IsEmpty => Reads.Count == 0 && !IsImpure;

    public void Add(IrEffects other)
    {
        Reads.UnionWith(other.Reads);
        Writes.UnionWith(other.Writes);
        Barrier |= other.Barrier;
    }

    /// <summary>Whether running the two in the other order can change what either sees or leaves.</summary>
    public bool ConflictsWith(IrEffects other)
    {
        if ((Barrier && !other.IsEmpty) || (other.Barrier && !IsEmpty))
            return true;
        foreach (var v in Writes)
        {
            if (other.Reads.Contains(v) || other.Writes.Contains(v))
                return true;
        }
        foreach (var v in other.Writes)
        {
            if (Reads.Contains(v))
                return true;
        }
        return false;
    }
}

/// <summary>A function parameter of the entry point that a built-in value fills.</summary>
internal sealed class IrBuiltinParameter
{
    public IrBuiltinParameter(string builtin, IrVariable variable)
    {
        Builtin = builtin;
        Variable = variable;
    }

    /// <summary>The <c>@builtin(...)</c> name: <c>global_invocation_id</c>, ...</summary>
    public string Builtin { get; }

    public IrVariable Variable { get; }
}

/// <summary>A translated C# method (helper, struct constructor, operator) or the kernel's entry point.</summary>
internal sealed class IrFunction : IrCallable
{
    public IrFunction(string name) : base(name)
    {
    }

    /// <summary>One line said above the function (what C# method it is).</summary>
    public string? Comment { get; set; }

    public List<IrVariable> Parameters { get; } = [];

    /// <summary>The entry point's built-in inputs (in order).</summary>
    public List<IrBuiltinParameter> BuiltinParameters { get; } = [];

    public WgslType? ReturnType { get; set; }

    public IrBlock Body { get; } = new();

    /// <summary>Set for the <c>@compute</c> entry point.</summary>
    public (int X, int Y, int Z)? WorkgroupSize { get; set; }

    /// <summary>The overrides ([Specialize] parameters) that give the workgroup size along X, Y, Z instead; null entries are constant.</summary>
    public string?[] WorkgroupSizeNames { get; set; } = new string?[3];

    /// <summary>Every name the function's body uses or must not shadow (locals, parameters, callees, module names): passes take fresh temporaries outside it.</summary>
    public HashSet<string> Names { get; } = new(System.StringComparer.Ordinal);

    public bool IsEntryPoint => WorkgroupSize is not null;
}

/// <summary>A WGSL function the generator supplies to give a built-in operation its C# meaning (emitted once per module).</summary>
internal sealed class IrPolyfill : IrCallable
{
    public IrPolyfill(string name, string text) : base(name) => Text = text;

    /// <summary>The function's WGSL text (a fixed, reviewed definition, with its explaining comment).</summary>
    public string Text { get; }
}

/// <summary>A module-scope resource binding (storage buffer or the uniform block) or workgroup array.</summary>
internal sealed class IrGlobal
{
    public IrGlobal(IrVariable variable, int binding, int workgroupLength = 0, string? workgroupLengthName = null)
    {
        Variable = variable;
        Binding = binding;
        WorkgroupLength = workgroupLength;
        WorkgroupLengthName = workgroupLengthName;
    }

    /// <summary>The override ([Specialize] parameter) that gives a workgroup array's length, or null.</summary>
    public string? WorkgroupLengthName { get; }

    public IrVariable Variable { get; }

    /// <summary>The <c>@binding</c> (group 0); unused for workgroup arrays.</summary>
    public int Binding { get; }

    public int WorkgroupLength { get; }
}

/// <summary>A member of the uniform block struct.</summary>
internal sealed record IrUniformMember(string Attributes, string Name, WgslType Type);

/// <summary>One WGSL module: everything one kernel needs.</summary>
internal sealed class IrModule
{
    /// <summary>Comment lines at the top.</summary>
    public List<string> Header { get; } = [];

    /// <summary>WGSL extensions the module enables (<c>f16</c>), filled by the feature pass.</summary>
    public List<string> Enables { get; } = [];

    /// <summary>Struct types, each after the structs it contains.</summary>
    public List<WgslType> Structs { get; } = [];

    public List<IrUniformMember> UniformMembers { get; } = [];

    /// <summary>Buffers, workgroup arrays and the uniform block, in declaration order.</summary>
    public List<IrGlobal> Globals { get; } = [];

    /// <summary>Specialisation constants (<c>override</c>), for features that need them.</summary>
    public List<IrVariable> Overrides { get; } = [];

    public List<IrPolyfill> Polyfills { get; } = [];

    /// <summary>Module-scope <c>const</c> arrays: the lookup tables (<c>static readonly T[]</c> fields, <c>static ReadOnlySpan&lt;T&gt;</c> properties) kernels read.</summary>
    public List<(IrVariable Variable, IrExpr Value)> Constants { get; } = [];

    /// <summary>Helper functions, each after the helpers it calls.</summary>
    public List<IrFunction> Functions { get; } = [];

    public IrFunction? EntryPoint { get; set; }

    /// <summary>Every module-scope name (types, globals, functions).</summary>
    public HashSet<string> Names { get; } = new(System.StringComparer.Ordinal);
}

/// <summary>Compares IR nodes by identity (a node used twice is the same value evaluated once in C#).</summary>
internal sealed class Identity<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly Identity<T> Comparer = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
