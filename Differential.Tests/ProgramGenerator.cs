using System.Globalization;
using System.Text;

namespace KernelGen.Differential.Tests;

/// <summary>The value types of generated code.</summary>
internal enum Ty { Int, UInt, Bool, Float, Half, Vector2, Vector3, Vector4, IntArray, Struct, Mode, Flags, Matrix }

/// <summary>
/// A translator bug of main that the program generator steers around while it is listed in
/// <see cref="ProgramGenerator.KnownTranslatorBugs"/> (each names its finding; the Regressions/ folder keeps a minimal kernel per finding).
/// </summary>
internal enum KnownBug
{
    /// <summary>F1: <c>x &gt;&gt;&gt;= n</c> on int is emitted without converting the count to u32 (Dawn refuses it).</summary>
    CompoundUnsignedShiftRight,

    /// <summary>F2: <c>b ^= c</c> on bool is emitted as WGSL <c>^=</c>, which WGSL does not define for bool (Dawn refuses it).</summary>
    CompoundXorOnBool,

    /// <summary>F3: a shift count WGSL can evaluate at shader creation (<c>255 &gt;&gt; Math.Sign(-1)</c>) is not masked to 0..31 (Dawn refuses it).</summary>
    UnmaskedConstantShiftCount,
}

/// <summary>
/// Writes random well-typed kernels from a seed: int/uint/bool/float/Half arithmetic and bit
/// operations, System.Numerics vectors, helpers (pure, and with side effects on the <c>log</c>
/// buffer, which records the order of calls), branches, loops with break/continue, switch,
/// ternaries, compound assignments and early returns. It only writes forms whose result C# and
/// WGSL define alike: divisors that are never 0 (nor -1 under int.MinValue), no Math.Abs of
/// int.MinValue, and floats tracked by <see cref="ValueRange"/> (no overflow, no NaN, no denormal;
/// bit-for-bit slots while exact, an absolute tolerance once rounding may differ).
/// </summary>
internal sealed partial class ProgramGenerator
{
    /// <summary>
    /// Forms main's translator gets wrong and that the generator therefore does not write. Each entry
    /// must name its finding; the list is empty once the translator handles them.
    /// </summary>
    public static readonly IReadOnlySet<KnownBug> KnownTranslatorBugs = new HashSet<KnownBug>
    {
        // F1-F3 are fixed in the translator (their regression files keep checking them); list a new finding here only
        // until its fix lands.
    };

    private static bool Avoid(KnownBug bug) => KnownTranslatorBugs.Contains(bug);

    private const string Indent = "    ";
    private static readonly FloatFormat F32 = FloatFormat.Single;
    private static readonly FloatFormat F16 = FloatFormat.Half;

    /// <summary>Float helper parameters accept exact values within this range.</summary>
    private static readonly ValueRange FloatParameter = new(64, -12, 0);

    private readonly Random random;
    private readonly long seed;
    private readonly string className;
    private readonly StringBuilder text = new();
    private readonly List<Helper> helpers = [];
    private readonly List<List<Var>> scopes = [];
    private readonly ValueRange[] floatSlots = new ValueRange[KernelCase.OutputsPerThread];
    private int depth;
    private int loopDepth;
    private int names;
    private Function function = null!;

    private sealed record Expr(string Code, Ty Type, int Precedence, bool IsConst = false, ValueRange Range = default, bool HasEffects = false);

    private sealed class Var(string name, Ty type, ValueRange range, int loopLevel, bool assignable)
    {
        public string Name { get; } = name;
        public Ty Type { get; } = type;
        public ValueRange Range { get; set; } = range;
        public int LoopLevel { get; } = loopLevel;
        public bool Assignable { get; } = assignable;

        /// <summary>The element count of a per-invocation array (<see cref="Ty.IntArray"/>).</summary>
        public int Length { get; init; }

        /// <summary>A per-invocation array declared as a <c>Span</c> (else a C# array).</summary>
        public bool IsSpan { get; init; }
    }

    private sealed record Helper(string Name, Ty Return, IReadOnlyList<Ty> Parameters, bool HasLog, ValueRange ReturnRange, IReadOnlyList<(string Kind, Ty Type)> Refs);

    private sealed class Function(bool isKernel, bool hasLog, Ty returnType)
    {
        public bool IsKernel { get; } = isKernel;
        public bool HasLog { get; } = hasLog;
        public Ty ReturnType { get; } = returnType;
        public ValueRange ReturnRange { get; set; } = ValueRange.Zero;
        public int HelperLimit { get; set; }
    }

    // C# precedence levels (higher binds tighter).
    private const int PPrimary = 15, PUnary = 14, PMul = 13, PAdd = 12, PShift = 11, PRel = 10, PEq = 9, PAnd = 8, PXor = 7, POr = 6, PCondAnd = 5, PCondOr = 4, PCond = 3;

    private ProgramGenerator(long seed)
    {
        this.seed = seed;
        random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        className = "K" + seed.ToString(CultureInfo.InvariantCulture).Replace('-', 'm');
        Array.Fill(floatSlots, ValueRange.Zero);
    }

    /// <summary>The kernel of <paramref name="seed"/>: the same seed always gives the same source.</summary>
    public static KernelCase Generate(long seed) => new ProgramGenerator(seed).Build();

    private KernelCase Build()
    {
        var body = new StringBuilder();
        int helperCount = random.Next(4);
        for (int h = 0; h < helperCount; h++) body.Append(WriteHelper(h));
        body.Append(WriteKernel());

        var tolerances = floatSlots.Select(r => r.IsExact ? 0.0 : 2 * r.Error).ToArray();
        var source = new StringBuilder()
            .Append(KernelCase.Header(seed, tolerances))
            .Append("using System;\nusing System.Numerics;\nusing System.Runtime.CompilerServices;\nusing System.Threading;\nusing KernelGen;\n\n")
            .Append("namespace ").Append(KernelCase.Namespace).Append(";\n\n")
            .Append("public static partial class ").Append(className).Append("\n{\n")
            .Append("    static int Note(Span<int> log, int slot, int v)\n    {\n        log[slot] = log[slot] * 31 + v;\n        return v;\n    }\n\n")
            .Append("    static float NoteF(Span<int> log, int slot, float v)\n    {\n        log[slot] = log[slot] * 31 + 7;\n        return v;\n    }\n\n")
            .Append(ClassSupport())
            .Append(body)
            .Append("}\n")
            .Append(NamespaceSupport());
        return new KernelCase(className, seed, source.ToString(), tolerances);
    }

    // ---------------------------------------------------------------- functions

    private string WriteHelper(int index)
    {
        Ty[] returnTypes = [Ty.Int, Ty.Int, Ty.UInt, Ty.Float, Ty.Float, Ty.Half, Ty.Vector2];
        var ret = Pick(returnTypes);
        bool hasLog = random.Next(2) == 0;
        var parameters = Enumerable.Range(0, random.Next(1, 4)).Select(_ => PickOf(Ty.Int, Ty.UInt, Ty.Float, Ty.Float, Ty.Half)).ToList();
        function = new Function(false, hasLog, ret) { HelperLimit = index };
        text.Clear();
        scopes.Clear();
        scopes.Add([]);
        var names = new List<string> { "int n" };
        Declare(new Var("n", Ty.Int, default, 0, true));
        for (int p = 0; p < parameters.Count; p++)
        {
            var name = "p" + p;
            names.Add($"{TypeName(parameters[p])} {name}");
            var range = parameters[p] == Ty.Half ? new ValueRange(64, -8, 0) : FloatParameter;
            Declare(new Var(name, parameters[p], IsFloatLike(parameters[p]) ? range : default, 0, true));
        }
        var refs = new List<(string Kind, Ty Type)>();
        if (random.Next(3) == 0)
        {
            for (int r = random.Next(1, 3); r > 0; r--) refs.Add((PickOf("ref", "ref", "out"), PickOf(Ty.Int, Ty.Int, Ty.UInt)));
        }
        for (int r = 0; r < refs.Count; r++)
        {
            names.Add($"{refs[r].Kind} {TypeName(refs[r].Type)} r{r}");
            if (refs[r].Kind == "ref") Declare(new Var("r" + r, refs[r].Type, default, 0, true));
        }
        var signature = (hasLog ? "Span<int> log, int slot, " : "") + string.Join(", ", names);
        depth = 2;
        loopDepth = 0;
        // An out parameter is assigned before anything reads it (and before any return).
        for (int r = 0; r < refs.Count; r++)
            if (refs[r].Kind == "out") Line($"r{r} = {Value(refs[r].Type, 2).Code};");
        for (int r = 0; r < refs.Count; r++)
            if (refs[r].Kind == "out") Declare(new Var("r" + r, refs[r].Type, default, 0, true));
        Statements(random.Next(1, 4), 1);
        var result = Value(ret, 3);
        function.ReturnRange = ValueRange.Either(function.ReturnRange, result.Range);
        Line($"return {result.Code};");
        var helper = $"    static {TypeName(ret)} H{index}({signature})\n    {{\n{text}    }}\n\n";
        helpers.Add(new Helper("H" + index, ret, parameters, hasLog, function.ReturnRange, refs));
        return helper;
    }

    private string WriteKernel()
    {
        function = new Function(true, true, Ty.Int) { HelperLimit = helpers.Count };
        text.Clear();
        scopes.Clear();
        scopes.Add([]);
        depth = 2;
        loopDepth = 0;
        Line($"int t = id.X;");
        Line($"if (t * {KernelCase.InputsPerThread} >= ia.Length)");
        Line(Indent + "return;");
        Statements(random.Next(3, 9), 2);
        // Every top-level local ends in an output slot (8 and up; 0-7 are written by statements).
        int intSlot = 8, uintSlot = 8, floatSlot = 8;
        foreach (var v in scopes[0])
        {
            switch (v.Type)
            {
                case Ty.Int when intSlot < KernelCase.OutputsPerThread:
                    Line($"oi[t * {KernelCase.OutputsPerThread} + {intSlot++}] = {v.Name};");
                    break;
                case Ty.Bool when intSlot < KernelCase.OutputsPerThread:
                    Line($"oi[t * {KernelCase.OutputsPerThread} + {intSlot++}] = {v.Name} ? 1 : 0;");
                    break;
                case Ty.UInt when uintSlot < KernelCase.OutputsPerThread:
                    Line($"ou[t * {KernelCase.OutputsPerThread} + {uintSlot++}] = {v.Name};");
                    break;
                case Ty.Float or Ty.Half:
                    if (floatSlot >= KernelCase.OutputsPerThread) break;
                    floatSlots[floatSlot] = v.Range;
                    Line($"of[t * {KernelCase.OutputsPerThread} + {floatSlot++}] = {(v.Type == Ty.Half ? $"(float){v.Name}" : v.Name)};");
                    break;
                case Ty.Struct when intSlot < KernelCase.OutputsPerThread:
                    Line($"oi[t * {KernelCase.OutputsPerThread} + {intSlot++}] = {v.Name}.A * 31 + {v.Name}.B;");
                    break;
                case Ty.IntArray when intSlot < KernelCase.OutputsPerThread:
                    Line($"oi[t * {KernelCase.OutputsPerThread} + {intSlot++}] = {string.Join(" * 7 + ", Enumerable.Range(0, v.Length).Select(i => $"{v.Name}[{i}]"))};");
                    break;
                case Ty.Mode when intSlot < KernelCase.OutputsPerThread:
                    Line($"oi[t * {KernelCase.OutputsPerThread} + {intSlot++}] = (int){v.Name};");
                    break;
                case Ty.Flags when uintSlot < KernelCase.OutputsPerThread:
                    Line($"ou[t * {KernelCase.OutputsPerThread} + {uintSlot++}] = (uint){v.Name};");
                    break;
                case Ty.Matrix:
                    foreach (var element in new[] { "M11", "M23", "M32", "M44" })
                    {
                        if (floatSlot >= KernelCase.OutputsPerThread) break;
                        floatSlots[floatSlot] = v.Range;
                        Line($"of[t * {KernelCase.OutputsPerThread} + {floatSlot++}] = {v.Name}.{element};");
                    }
                    break;
                case Ty.Vector2 or Ty.Vector3 or Ty.Vector4:
                    foreach (var c in Components(v.Type))
                    {
                        if (floatSlot >= KernelCase.OutputsPerThread) break;
                        floatSlots[floatSlot] = v.Range;
                        Line($"of[t * {KernelCase.OutputsPerThread} + {floatSlot++}] = {v.Name}.{c};");
                    }
                    break;
            }
        }
        return $"    [Kernel]\n    public static void {KernelCase.EntryPoint}({KernelCase.Signature})\n    {{\n{text}    }}\n";
    }

    // ---------------------------------------------------------------- statements

    private void Statements(int count, int nesting)
    {
        for (int i = 0; i < count; i++) Statement(nesting);
    }

    private void Statement(int nesting)
    {
        if (random.Next(10) < 3) { NewerStatement(nesting); return; }
        int choice = random.Next(nesting > 0 ? 100 : 70);
        if (choice < 22) Declaration();
        else if (choice < 36) Assignment();
        else if (choice < 44) CompoundAssignment();
        else if (choice < 50) SideEffectStatement();
        else if (choice < 62) BufferWrite();
        else if (choice < 66) EarlyExit();
        else if (choice < 70) IncrementDecrement();
        else if (choice < 82) If(nesting - 1);
        else if (choice < 94 && loopDepth < 2) Loop(nesting - 1);
        else if (choice < 100) Switch(nesting - 1);
        else Declaration();
    }

    private void Declaration()
    {
        Ty[] types = [Ty.Int, Ty.Int, Ty.UInt, Ty.Bool, Ty.Float, Ty.Float, Ty.Half, Ty.Vector2, Ty.Vector3, Ty.Vector4];
        var type = Pick(types);
        var init = Value(type, 3);
        var name = (type switch { Ty.Int => "i", Ty.UInt => "u", Ty.Bool => "b", Ty.Float => "f", Ty.Half => "h", _ => "v" }) + names++;
        Line($"{TypeName(type)} {name} = {init.Code};");
        Declare(new Var(name, type, init.Range, loopDepth, true));
    }

    private void Assignment()
    {
        var target = AssignableVar(null);
        if (target is null) { Declaration(); return; }
        if (target.Type is Ty.Vector2 or Ty.Vector3 or Ty.Vector4 && random.Next(2) == 0)
        {
            // A component write (a swizzle store).
            var component = Value(Ty.Float, 3);
            Line($"{target.Name}.{Pick(Components(target.Type))} = {component.Code};");
            target.Range = ValueRange.Either(target.Range, component.Range);
            return;
        }
        var value = Value(target.Type, 3);
        Line($"{target.Name} = {value.Code};");
        target.Range = value.Range;
    }

    private void CompoundAssignment()
    {
        var target = AssignableVar(null);
        if (target is null) { Declaration(); return; }
        switch (target.Type)
        {
            case Ty.Int or Ty.UInt:
            {
                var op = PickOf("+=", "-=", "*=", "&=", "|=", "^=", "<<=", ">>=", "/=", "%=", ">>>=");
                if (op == ">>>=" && (target.Type == Ty.UInt || Avoid(KnownBug.CompoundUnsignedShiftRight))) op = ">>=";
                Expr rhs = op switch
                {
                    "<<=" or ">>=" or ">>>=" => ShiftCount(2),
                    "/=" or "%=" => Divisor(target.Type, 2),
                    _ => Value(target.Type, 2),
                };
                Line($"{target.Name} {op} {rhs.Code};");
                break;
            }
            case Ty.Bool:
            {
                var op = Avoid(KnownBug.CompoundXorOnBool) ? PickOf("&=", "|=") : PickOf("&=", "|=", "^=");
                Line($"{target.Name} {op} {Value(Ty.Bool, 2).Code};");
                break;
            }
            case Ty.Float or Ty.Half:
            {
                var format = target.Type == Ty.Half ? F16 : F32;
                for (int attempt = 0; attempt < 4; attempt++)
                {
                    var op = PickOf("+=", "-=", "*=");
                    var rhs = Value(target.Type, 2);
                    var range = op == "*=" ? ValueRange.Multiply(target.Range, rhs.Range, format) : ValueRange.Add(target.Range, rhs.Range, format);
                    if (!range.FitsIn(format)) continue;
                    Line($"{target.Name} {op} {rhs.Code};");
                    target.Range = range;
                    return;
                }
                break;
            }
            default:
            {
                // A vector: v += w, v -= w, v *= f, or one component compound-assigned.
                for (int attempt = 0; attempt < 4; attempt++)
                {
                    int form = random.Next(4);
                    var rhs = form == 2 ? Value(Ty.Float, 2) : Value(target.Type, 2);
                    if (form == 3)
                    {
                        var component = Pick(Components(target.Type));
                        var scalar = Value(Ty.Float, 2);
                        var r = ValueRange.Add(target.Range, scalar.Range, F32);
                        if (!r.FitsIn(F32)) continue;
                        Line($"{target.Name}.{component} += {scalar.Code};");
                        target.Range = ValueRange.Either(target.Range, r);
                        return;
                    }
                    var range = form == 2 ? ValueRange.Multiply(target.Range, rhs.Range, F32) : ValueRange.Add(target.Range, rhs.Range, F32);
                    if (!range.FitsIn(F32)) continue;
                    Line($"{target.Name} {(form == 0 ? "+=" : form == 1 ? "-=" : "*=")} {rhs.Code};");
                    target.Range = range;
                    return;
                }
                break;
            }
        }
    }

    private void IncrementDecrement()
    {
        var target = AssignableVar(v => v.Type is Ty.Int or Ty.UInt);
        string op = random.Next(2) == 0 ? "++" : "--";
        if (target is not null && random.Next(3) > 0)
        {
            Line(random.Next(2) == 0 ? $"{target.Name}{op};" : $"{op}{target.Name};");
            return;
        }
        if (!function.IsKernel) return;
        Line($"{PickOf("oi", "ou")}[t * {KernelCase.OutputsPerThread} + {random.Next(8)}]{op};");
    }

    private void SideEffectStatement()
    {
        if (!function.HasLog) { Assignment(); return; }
        var call = random.Next(3) == 0 ? HelperCall(null, 2, statementOnly: true) : null;
        if (call is not null) { Line($"{call.Code};"); return; }
        var note = Note(2);
        Line(random.Next(2) == 0 ? $"{note.Code};" : $"_ = {note.Code};");
    }

    private void BufferWrite()
    {
        if (!function.IsKernel) { Assignment(); return; }
        int slot = random.Next(8);
        string at = $"t * {KernelCase.OutputsPerThread} + {slot}";
        switch (random.Next(5))
        {
            case 0 or 1:
            {
                var (buffer, type) = random.Next(2) == 0 ? ("oi", Ty.Int) : ("ou", Ty.UInt);
                var op = PickOf("=", "=", "+=", "^=", "*=", "|=");
                if (random.Next(4) == 0)
                {
                    // The index has a side effect: it must be evaluated once, before the value.
                    at = $"t * {KernelCase.OutputsPerThread} + ({Note(2).Code} & 7)";
                }
                Line($"{buffer}[{at}] {op} {Value(type, 3).Code};");
                break;
            }
            default:
            {
                var isHalf = random.Next(4) == 0;
                var value = Value(isHalf ? Ty.Half : Ty.Float, 3);
                var code = isHalf ? $"(float){Paren(value, PUnary).Code}" : value.Code;
                if (loopDepth == 0 && random.Next(2) == 0)
                {
                    var sum = ValueRange.Add(floatSlots[slot], value.Range, F32);
                    if (sum.FitsIn(F32))
                    {
                        Line($"of[{at}] += {code};");
                        floatSlots[slot] = sum;
                        break;
                    }
                }
                Line($"of[{at}] = {code};");
                floatSlots[slot] = ValueRange.Either(floatSlots[slot], value.Range);
                break;
            }
        }
    }

    private void EarlyExit()
    {
        if (function.IsKernel)
        {
            var condition = Value(Ty.Bool, 2);
            Line($"if ({condition.Code})");
            Line(Indent + "return;");
        }
        else
        {
            var condition = Value(Ty.Bool, 2);
            var value = Value(function.ReturnType, 2);
            function.ReturnRange = ValueRange.Either(function.ReturnRange, value.Range);
            Line($"if ({condition.Code})");
            Line($"{Indent}return {value.Code};");
        }
    }

    private void If(int nesting)
    {
        var condition = Value(Ty.Bool, 3);
        Line($"if ({condition.Code})");
        var before = Snapshot();
        Block(() => Statements(random.Next(1, 4), nesting));
        if (random.Next(2) == 0)
        {
            var afterThen = Snapshot();
            Restore(before);
            Line("else");
            Block(() => Statements(random.Next(1, 4), nesting));
            Merge(afterThen);
        }
        else
        {
            Merge(before);
        }
    }

    private void Loop(int nesting)
    {
        int trips = random.Next(1, 5);
        var before = Snapshot();
        string j = "j" + names++;
        int form = random.Next(4);
        loopDepth++;
        switch (form)
        {
            case 0 or 1:
                Line($"for (int {j} = 0; {j} < {trips}; {j}++)");
                Block(() =>
                {
                    Declare(new Var(j, Ty.Int, default, loopDepth, false));
                    LoopBody(nesting);
                });
                break;
            case 2:
                Line($"int {j} = 0;");
                Declare(new Var(j, Ty.Int, default, loopDepth - 1, false));
                Line($"while ({j} < {trips})");
                Block(() =>
                {
                    Line($"{j}++;");
                    LoopBody(nesting);
                });
                break;
            default:
                Line($"int {j} = 0;");
                Declare(new Var(j, Ty.Int, default, loopDepth - 1, false));
                Line("do");
                Block(() =>
                {
                    Line($"{j}++;");
                    LoopBody(nesting);
                });
                text.Length -= 1; // "}\n" -> "}" then the condition on the same line
                text.Append($" while ({j} < {trips});\n");
                break;
        }
        loopDepth--;
        // Float-like variables declared outside the loop are not assignable inside it, so their ranges hold; merge for the slots.
        Merge(before);
    }

    private void LoopBody(int nesting)
    {
        int count = random.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            if (random.Next(6) == 0)
            {
                Line($"if ({Value(Ty.Bool, 2).Code})");
                Line(Indent + (random.Next(2) == 0 ? "break;" : "continue;"));
            }
            Statement(nesting);
        }
    }

    private void Switch(int nesting)
    {
        var selector = random.Next(2) == 0 ? Binary(Ty.Int, "&", Value(Ty.Int, 2), IntLiteral(3), PAnd) : Value(Ty.Int, 2);
        Line($"switch ({selector.Code})");
        Line("{");
        depth++;
        var before = Snapshot();
        var merged = new List<State>();
        var cases = Enumerable.Range(-1, 6).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
        foreach (var c in cases)
        {
            Line($"case {c}:");
            if (random.Next(3) == 0) Line($"case {c + 10}:");
            Restore(before);
            Block(() => Statements(random.Next(1, 3), nesting));
            Line(Indent + "break;");
            merged.Add(Snapshot());
        }
        bool hasDefault = random.Next(2) == 0;
        Restore(before);
        if (hasDefault)
        {
            Line("default:");
            Block(() => Statements(random.Next(1, 3), nesting));
            Line(Indent + "break;");
            merged.Add(Snapshot());
            Restore(merged[0]);
            foreach (var m in merged.Skip(1)) Merge(m);
        }
        else
        {
            foreach (var m in merged) Merge(m);
        }
        depth--;
        Line("}");
    }

    private void Block(Action body)
    {
        Line("{");
        depth++;
        scopes.Add([]);
        body();
        scopes.RemoveAt(scopes.Count - 1);
        depth--;
        Line("}");
    }

    // Ranges of the float-like variables and output slots, for merging the arms of a branch.
    private sealed record State(Dictionary<Var, ValueRange> Vars, ValueRange[] Slots);

    private State Snapshot() => new(Visible.ToDictionary(v => v, v => v.Range), (ValueRange[])floatSlots.Clone());

    private void Restore(State s)
    {
        foreach (var v in Visible) if (s.Vars.TryGetValue(v, out var r)) v.Range = r;
        s.Slots.CopyTo(floatSlots, 0);
    }

    private void Merge(State other)
    {
        foreach (var v in Visible) if (other.Vars.TryGetValue(v, out var r)) v.Range = ValueRange.Either(v.Range, r);
        for (int i = 0; i < floatSlots.Length; i++) floatSlots[i] = ValueRange.Either(floatSlots[i], other.Slots[i]);
    }

    private void Declare(Var v) => scopes[^1].Add(v);

    private IEnumerable<Var> Visible => scopes.SelectMany(s => s);

    private Var? AssignableVar(Func<Var, bool>? filter)
    {
        var candidates = Visible.Where(v => v.Assignable && v.Type <= Ty.Vector4 && (!IsFloatLike(v.Type) || v.LoopLevel == loopDepth) && (filter?.Invoke(v) ?? true)).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private void Line(string line) => text.Append(' ', depth * 4).Append(line).Append('\n');

    // ---------------------------------------------------------------- expressions

    /// <summary>A value of <paramref name="type"/> of at most <paramref name="budget"/> levels, within its format's range.</summary>
    private Expr Value(Ty type, int budget) => type switch
    {
        Ty.Int => IntExpr(budget),
        Ty.UInt => UIntExpr(budget),
        Ty.Bool => BoolExpr(budget),
        Ty.Float => FloatExpr(budget, F32),
        Ty.Half => FloatExpr(budget, F16),
        _ => VectorExpr(type, budget),
    };

    private Expr NonConst(Ty type, int budget)
    {
        var e = Value(type, budget);
        return e.IsConst ? NonConstLeaf(type) : e;
    }

    private Expr IntExpr(int budget)
    {
        if (budget <= 0 || random.Next(4) == 0) return Leaf(Ty.Int);
        int b = budget - 1;
        switch (random.Next(21))
        {
            case >= 17: return NewerInt(b);
            case 0 or 1: return Binary(Ty.Int, PickOf("+", "-"), IntExpr(b), IntExpr(b), PAdd);
            case 2: return Binary(Ty.Int, "*", IntExpr(b), IntExpr(b), PMul);
            case 3: { var op = PickOf("&", "|", "^"); return Binary(Ty.Int, op, IntExpr(b), IntExpr(b), op == "&" ? PAnd : op == "|" ? POr : PXor); }
            case 4: return Binary(Ty.Int, PickOf("<<", ">>", ">>>"), IntExpr(b), ShiftCount(b), PShift);
            case 5: return Binary(Ty.Int, PickOf("/", "%"), IntExpr(b), Divisor(Ty.Int, b), PMul);
            case 6: return Unary(Ty.Int, PickOf("-", "~"), NonConst(Ty.Int, b));
            case 7: return Cast(Ty.Int, NonConst(Ty.UInt, b));
            case 8:
            {
                var f = ExactFloat(b, random.Next(4) == 0 ? F16 : F32);
                return f is null ? Leaf(Ty.Int) : Cast(Ty.Int, f.IsConst ? NonConstLeaf(f.Type) : f);
            }
            case 9: return Ternary(Ty.Int, b);
            case 10: return Call(Ty.Int, $"Math.{PickOf("Min", "Max")}", IntExpr(b), IntExpr(b));
            case 11: { int lo = random.Next(-100, 50); return Call(Ty.Int, "Math.Clamp", NonConst(Ty.Int, b), IntLiteral(lo), IntLiteral(lo + random.Next(0, 200))); }
            case 12: return Call(Ty.Int, "Math.Abs", Binary(Ty.Int, ">>", NonConst(Ty.Int, b), IntLiteral(random.Next(1, 31)), PShift));
            case 13: return Call(Ty.Int, $"BitOperations.{PickOf("PopCount", "LeadingZeroCount", "TrailingZeroCount")}", UIntExpr(b));
            case 14: return function.HasLog ? Note(b) : Leaf(Ty.Int);
            case 15: return HelperCall(Ty.Int, b) ?? Leaf(Ty.Int);
            default: return Call(Ty.Int, "Math.Sign", IntExpr(b));
        }
    }

    private Expr UIntExpr(int budget)
    {
        if (budget <= 0 || random.Next(4) == 0) return Leaf(Ty.UInt);
        int b = budget - 1;
        switch (random.Next(16))
        {
            case >= 13: return NewerUInt(b);
            case 0 or 1: return Binary(Ty.UInt, PickOf("+", "-"), UIntExpr(b), UIntExpr(b), PAdd);
            case 2: return Binary(Ty.UInt, "*", UIntExpr(b), UIntExpr(b), PMul);
            case 3: { var op = PickOf("&", "|", "^"); return Binary(Ty.UInt, op, UIntExpr(b), UIntExpr(b), op == "&" ? PAnd : op == "|" ? POr : PXor); }
            case 4: return Binary(Ty.UInt, PickOf("<<", ">>"), UIntExpr(b), ShiftCount(b), PShift);
            case 5: return Binary(Ty.UInt, PickOf("/", "%"), UIntExpr(b), Divisor(Ty.UInt, b), PMul);
            case 6: return Unary(Ty.UInt, "~", UIntExpr(b));
            case 7: return Cast(Ty.UInt, NonConst(Ty.Int, b));
            case 8:
            {
                var f = ExactFloat(b, F32);
                return f is null ? Leaf(Ty.UInt) : Cast(Ty.UInt, f.IsConst ? NonConstLeaf(f.Type) : f);
            }
            case 9: return Ternary(Ty.UInt, b);
            case 10: return Call(Ty.UInt, $"Math.{PickOf("Min", "Max")}", UIntExpr(b), UIntExpr(b));
            // The IBinaryInteger members users write (uint.Log2 of 0 is 0, as WGSL's form gives).
            case 11: return Call(Ty.UInt, $"uint.{PickOf("PopCount", "LeadingZeroCount", "TrailingZeroCount", "Log2")}", NonConst(Ty.UInt, b));
            default: return HelperCall(Ty.UInt, b) ?? Leaf(Ty.UInt);
        }
    }

    private Expr BoolExpr(int budget)
    {
        if (budget <= 0 || random.Next(6) == 0) return Leaf(Ty.Bool);
        int b = budget - 1;
        switch (random.Next(13))
        {
            case >= 10: return NewerBool(b);
            case 0 or 1: return Compare(IntExpr(b), IntExpr(b));
            case 2: return Compare(UIntExpr(b), UIntExpr(b));
            case 3 or 4:
            {
                var format = random.Next(4) == 0 ? F16 : F32;
                var x = ExactFloat(b, format);
                var y = ExactFloat(b, format);
                return x is null || y is null ? Compare(IntExpr(b), IntExpr(b)) : Compare(x, y);
            }
            case 5: { var op = random.Next(2) == 0 ? "&&" : "||"; return Binary(Ty.Bool, op, BoolExpr(b), BoolExpr(b), op == "&&" ? PCondAnd : PCondOr); }
            case 6: { var op = PickOf("&", "|", "^"); return Binary(Ty.Bool, op, BoolExpr(b), BoolExpr(b), op == "&" ? PAnd : op == "|" ? POr : PXor); }
            case 7: return Unary(Ty.Bool, "!", BoolExpr(b));
            case 8: return Binary(Ty.Bool, PickOf("==", "!="), BoolExpr(b), BoolExpr(b), PEq);
            default:
            {
                // A short-circuit whose right side has a side effect: it must run only when needed.
                if (!function.HasLog) return Compare(IntExpr(b), IntExpr(b));
                var op = random.Next(2) == 0 ? "&&" : "||";
                return Binary(Ty.Bool, op, BoolExpr(b), Compare(Note(b), IntLiteral(random.Next(-5, 5))), op == "&&" ? PCondAnd : PCondOr);
            }
        }
    }

    private Expr Compare(Expr a, Expr b)
    {
        var op = PickOf("<", "<=", ">", ">=", "==", "!=");
        return Binary(Ty.Bool, op, a, b, op is "==" or "!=" ? PEq : PRel);
    }

    /// <summary>An exact float (or Half) expression, or null when none came out exact in a few tries.</summary>
    private Expr? ExactFloat(int budget, FloatFormat format)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var e = FloatExpr(budget, format);
            if (e.Range.IsExact) return e;
        }
        return null;
    }

    private Expr FloatExpr(int budget, FloatFormat format)
    {
        var type = format == F16 ? Ty.Half : Ty.Float;
        for (int attempt = 0; attempt < 6; attempt++)
        {
            var e = FloatCandidate(budget, format, type);
            if (e is not null && e.Range.FitsIn(format)) return e;
        }
        return Leaf(type);
    }

    private Expr? FloatCandidate(int budget, FloatFormat format, Ty type)
    {
        if (budget <= 0 || random.Next(4) == 0) return Leaf(type);
        int b = budget - 1;
        string math = type == Ty.Half ? "Half" : "MathF";
        switch (random.Next(type == Ty.Half ? 12 : 21))
        {
            case >= 18: return NewerFloat(b);
            case 0 or 1:
            {
                var (x, y) = (FloatExpr(b, format), FloatExpr(b, format));
                if (x.IsConst && y.IsConst) y = NonConstLeaf(type); // (Binary would swap a constant for it, but the range here must be its)
                return Binary(type, PickOf("+", "-"), x, y, PAdd) with { Range = ValueRange.Add(x.Range, y.Range, format) };
            }
            case 2 or 3:
            {
                var (x, y) = (FloatExpr(b, format), FloatExpr(b, format));
                if (x.IsConst && y.IsConst) y = NonConstLeaf(type); // (Binary would swap a constant for it, but the range here must be its)
                return Binary(type, "*", x, y, PMul) with { Range = ValueRange.Multiply(x.Range, y.Range, format) };
            }
            case 4:
            {
                var x = NonConst(type, b);
                double d = PickOf(2.0, 4.0, 0.5, -8.0, 3.0, 10.0, -6.0);
                return Binary(type, "/", x, FloatLiteral(d, type), PMul) with { Range = ValueRange.DivideByConstant(x.Range, d, format) };
            }
            case 5:
            {
                var x = NonConst(type, b);
                return Unary(type, "-", x) with { Range = x.Range };
            }
            case 6:
            {
                var (x, y) = (FloatExpr(b, format), FloatExpr(b, format));
                return Call(type, $"{math}.{PickOf("Min", "Max")}", x, y) with { Range = ValueRange.Either(x.Range, y.Range) };
            }
            case 7:
            {
                var x = FloatExpr(b, format);
                return Call(type, $"{math}.Abs", x) with { Range = x.Range };
            }
            case 8:
            {
                var x = ExactFloat(b, format);
                if (x is null) return null;
                return Call(type, $"{math}.{PickOf("Floor", "Ceiling", "Truncate", "Round")}", x) with { Range = ValueRange.ToInteger(x.Range) };
            }
            case 9:
            {
                // Integers to float through a shift or mask that keeps them exact.
                bool fromUInt = random.Next(3) == 0;
                var n = NonConst(fromUInt ? Ty.UInt : Ty.Int, b);
                int bits = type == Ty.Half ? 10 : random.Next(8, 24);
                Expr narrowed = random.Next(2) == 0
                    ? Binary(n.Type, ">>", n, IntLiteral((fromUInt ? 32 : 31) - bits), PShift)
                    : Binary(n.Type, "&", n, fromUInt ? UIntLiteral((1u << bits) - 1) : IntLiteral((1 << bits) - 1), PAnd);
                return Cast(type, narrowed) with { Range = new ValueRange(Math.ScaleB(1.0, bits), 0, 0) };
            }
            case 10:
            {
                var c = BoolExpr(b);
                var (x, y) = (FloatExpr(b, format), FloatExpr(b, format));
                return TernaryOf(type, c, x, y) with { Range = ValueRange.Either(x.Range, y.Range) };
            }
            case 11:
            {
                if (type == Ty.Half)
                {
                    var f = ExactFloat(b, F32);
                    if (f is null || !f.Range.FitsIn(F16) || !f.Range.Representable(F16)) return null;
                    return Cast(Ty.Half, f) with { Range = f.Range };
                }
                var h = FloatExpr(b, F16);
                return Cast(Ty.Float, h) with { Range = h.Range };
            }
            case 12:
            {
                var v = VectorExpr(PickOf(Ty.Vector2, Ty.Vector3, Ty.Vector4), b);
                return new Expr($"{Paren(v, PPrimary).Code}.{Pick(Components(v.Type))}", Ty.Float, PPrimary, false, v.Range, v.HasEffects);
            }
            case 13:
            {
                var (x, y) = (VectorExpr(Ty.Vector3, b), VectorExpr(Ty.Vector3, b));
                if (random.Next(2) == 0) (x, y) = (VectorExpr(Ty.Vector2, b), VectorExpr(Ty.Vector2, b));
                int n = x.Type == Ty.Vector2 ? 2 : 3;
                var product = ValueRange.Multiply(x.Range, y.Range, F32);
                var sum = product;
                for (int i = 1; i < n; i++) sum = ValueRange.Add(sum, product, F32);
                return Call(Ty.Float, $"{TypeName(x.Type)}.Dot", x, y) with { Range = sum };
            }
            case 14:
            {
                var call = function.HasLog && random.Next(2) == 0 ? NoteF(b) : HelperCall(Ty.Float, b);
                return call;
            }
            case 16 or 17:
                return Transcendental(b);
            default:
            {
                var (x, y, z) = (FloatExpr(b, format), FloatExpr(b, format), FloatExpr(b, format));
                var product = ValueRange.Multiply(x.Range, y.Range, format);
                var range = ValueRange.Add(product, z.Range, format);
                // C# rounds once; a GPU without fma may round the product too.
                if (!range.IsExact) range = range with { Error = range.Error + format.Ulp(product.Max) };
                return Call(Ty.Float, "MathF.FusedMultiplyAdd", x, y, z) with { Range = range };
            }
        }
    }

    /// <summary>
    /// A float transcendental with the accuracy Vulkan states for it (which is what WGSL on Vulkan gets): the result's
    /// error is the operand's error times the function's largest slope on the operand's range, plus the stated error.
    /// sin/cos: 2^-11 absolute on [-pi, pi] (operands scaled into it); exp/exp2: 3 + 2|x| ulp (operands kept to |x| &lt;= 8);
    /// log/log2 of |x| + 1: 3 ulp, or 2^-21 absolute on [0.5, 2]; sqrt (of exact operands only: its slope is unbounded at
    /// zero): 1 / inversesqrt, 2 + 2.5 ulp counted as 5.
    /// </summary>
    private Expr? Transcendental(int budget)
    {
        var ulp = F32.Ulp;
        switch (random.Next(4))
        {
            case 0:
            {
                var x = ScaledInto(NonConst(Ty.Float, budget), Math.PI - 0.01);
                double error = x.Range.Error + Math.ScaleB(1.0, -11);
                return Call(Ty.Float, $"MathF.{PickOf("Sin", "Cos")}", x) with { Range = ValueRange.Approximate(1, error) };
            }
            case 1:
            {
                var x = ScaledInto(NonConst(Ty.Float, budget), 8);
                bool two = random.Next(2) == 0;
                double max = two ? Math.Pow(2, x.Range.Max) : Math.Exp(x.Range.Max);
                double slope = two ? max * Math.Log(2) : max;
                double error = x.Range.Error * slope + (3 + 2 * x.Range.Max) * ulp(max);
                return Call(Ty.Float, two ? "float.Exp2" : "MathF.Exp", x) with { Range = ValueRange.Approximate(max, error) };
            }
            case 2:
            {
                var x = FloatExpr(budget, F32);
                var abs = Call(Ty.Float, "MathF.Abs", x) with { Range = x.Range };
                var argument = Binary(Ty.Float, "+", abs, FloatLiteral(1.0, Ty.Float), PAdd) with { Range = ValueRange.Add(x.Range, ValueRange.Of(1), F32) };
                bool two = random.Next(2) == 0;
                double max = two ? Math.Log2(argument.Range.Max) : Math.Log(argument.Range.Max);
                double slope = two ? 1 / Math.Log(2) : 1; // d/da log(a) = 1/a with a >= 1
                double error = argument.Range.Error * slope + Math.Max(3 * ulp(Math.Max(max, 1e-30)), Math.ScaleB(1.0, -21));
                return Call(Ty.Float, two ? "MathF.Log2" : "MathF.Log", argument) with { Range = ValueRange.Approximate(max, error) };
            }
            default:
            {
                var x = ExactFloat(budget, F32);
                if (x is null) return null;
                var abs = Call(Ty.Float, "MathF.Abs", x) with { Range = x.Range };
                double max = Math.Sqrt(x.Range.Max);
                return Call(Ty.Float, "MathF.Sqrt", abs) with { Range = ValueRange.Approximate(max, 5 * ulp(Math.Max(max, 1e-30))) };
            }
        }
    }

    /// <summary><paramref name="x"/> divided by a power of two (exact) so that its magnitude stays within <paramref name="limit"/>.</summary>
    private Expr ScaledInto(Expr x, double limit)
    {
        int k = 0;
        while (x.Range.Max / Math.ScaleB(1.0, k) > limit) k++;
        if (k == 0) return x;
        double d = Math.ScaleB(1.0, k);
        return Paren(Binary(Ty.Float, "/", x, FloatLiteral(d, Ty.Float), PMul) with { Range = ValueRange.DivideByConstant(x.Range, d, F32) });
    }

    private Expr VectorExpr(Ty type, int budget)
    {
        for (int attempt = 0; attempt < 6; attempt++)
        {
            var e = VectorCandidate(type, budget);
            if (e is not null && e.Range.FitsIn(F32)) return e;
        }
        return Leaf(type);
    }

    private Expr? VectorCandidate(Ty type, int budget)
    {
        if (budget <= 0 || random.Next(4) == 0) return Leaf(type);
        int b = budget - 1;
        switch (random.Next(8))
        {
            case 0 or 1:
            {
                var (x, y) = (VectorExpr(type, b), VectorExpr(type, b));
                return Binary(type, PickOf("+", "-"), x, y, PAdd) with { Range = ValueRange.Add(x.Range, y.Range, F32) };
            }
            case 2:
            {
                var (x, y) = (VectorExpr(type, b), VectorExpr(type, b));
                return Binary(type, "*", x, y, PMul) with { Range = ValueRange.Multiply(x.Range, y.Range, F32) };
            }
            case 3:
            {
                var (x, f) = (VectorExpr(type, b), FloatExpr(b, F32));
                var range = ValueRange.Multiply(x.Range, f.Range, F32);
                return (random.Next(2) == 0 ? Binary(type, "*", x, f, PMul) : Binary(type, "*", f, x, PMul)) with { Range = range };
            }
            case 4:
            {
                var x = VectorExpr(type, b);
                return Unary(type, "-", x) with { Range = x.Range };
            }
            case 5:
            {
                var (x, y) = (VectorExpr(type, b), VectorExpr(type, b));
                return Call(type, $"{TypeName(type)}.{PickOf("Min", "Max")}", x, y) with { Range = ValueRange.Either(x.Range, y.Range) };
            }
            case 6:
            {
                var x = VectorExpr(type, b);
                return Call(type, $"{TypeName(type)}.Abs", x) with { Range = x.Range };
            }
            default:
            {
                var c = BoolExpr(b);
                var (x, y) = (VectorExpr(type, b), VectorExpr(type, b));
                return TernaryOf(type, c, x, y) with { Range = ValueRange.Either(x.Range, y.Range) };
            }
        }
    }

    private Expr Leaf(Ty type)
    {
        var vars = Visible.Where(v => v.Type == type).ToList();
        bool kernel = function.IsKernel;
        int choice = random.Next(10);
        if (vars.Count > 0 && choice < 4) { var v = Pick(vars); return new Expr(v.Name, type, PPrimary, false, v.Range); }
        string input = $"[t * {KernelCase.InputsPerThread} + {random.Next(KernelCase.InputsPerThread)}]";
        var inputRange = new ValueRange(KernelInputs.FloatMax, KernelInputs.FloatQuantum, 0);
        switch (type)
        {
            case Ty.Int:
                if (kernel && choice < 7) return new Expr("ia" + input, type, PPrimary);
                if (kernel && choice == 7) return new Expr(random.Next(2) == 0 ? "t" : "k", type, PPrimary);
                return IntLiteral(PickOf(0, 1, 2, 3, 5, 7, 8, 16, 31, 33, 100, 255, 1000, 0x7FFF, -1, -8, -100, int.MaxValue, int.MinValue, 0x12345678));
            case Ty.UInt:
                if (kernel && choice < 7) return new Expr("ua" + input, type, PPrimary);
                if (kernel && choice == 7) return new Expr("(uint)t", type, PUnary);
                return UIntLiteral(PickOf(0u, 1u, 3u, 7u, 16u, 255u, 1000u, 0x80000000u, uint.MaxValue, 0xDEADBEEFu));
            case Ty.Bool:
                if (choice < 8 && vars.Count == 0) return Compare(Leaf(Ty.Int), Leaf(Ty.Int));
                return new Expr(random.Next(2) == 0 ? "true" : "false", type, PPrimary, true);
            case Ty.Float:
                if (kernel && choice < 7) return new Expr("fa" + input, type, PPrimary, false, inputRange);
                if (kernel && choice == 7) return new Expr("s", type, PPrimary, false, inputRange);
                return FloatLiteral(PickOf(0.0, 1.0, -1.0, 2.0, 0.5, -0.25, 3.0, 1.5, 10.0, 100.0, 0.125, -7.0, 0.0625, 1024.0), type);
            case Ty.Half:
                if (kernel && choice < 7) return new Expr($"(Half)fa{input}", type, PUnary, false, inputRange);
                return FloatLiteral(PickOf(0.0, 1.0, -1.0, 2.0, 0.5, -0.25, 3.0, 1.5, 10.0, 0.125), type);
            default:
            {
                var parts = Components(type).Select(_ => Leaf(Ty.Float)).ToList();
                var range = parts.Select(p => p.Range).Aggregate(ValueRange.Either);
                if (random.Next(5) == 0) return new Expr($"{TypeName(type)}.{PickOf("Zero", "One", "UnitX")}", type, PPrimary, false, new ValueRange(1, 0, 0));
                return new Expr($"new {TypeName(type)}({string.Join(", ", parts.Select(p => p.Code))})", type, PPrimary, false, range);
            }
        }
    }

    private Expr Note(int budget)
    {
        var value = IntExpr(budget);
        var slot = function.IsKernel ? $"t * {KernelCase.LogSlotsPerThread} + {random.Next(KernelCase.LogSlotsPerThread)}" : "slot";
        return new Expr($"Note(log, {slot}, {value.Code})", Ty.Int, PPrimary, false, default, true);
    }

    private Expr NoteF(int budget)
    {
        var value = FloatExpr(budget, F32);
        var slot = function.IsKernel ? $"t * {KernelCase.LogSlotsPerThread} + {random.Next(KernelCase.LogSlotsPerThread)}" : "slot";
        return new Expr($"NoteF(log, {slot}, {value.Code})", Ty.Float, PPrimary, false, value.Range, true);
    }

    private Expr? HelperCall(Ty? type, int budget, bool statementOnly = false)
    {
        var candidates = helpers.Take(function.HelperLimit).Where(h => (type is null || h.Return == type) && (!h.HasLog || function.HasLog) && CanPassRefs(h, statementOnly)).ToList();
        if (candidates.Count == 0) return null;
        var helper = Pick(candidates);
        var args = new List<string>();
        if (helper.HasLog) args.AddRange(["log", function.IsKernel ? $"t * {KernelCase.LogSlotsPerThread} + {random.Next(KernelCase.LogSlotsPerThread)}" : "slot"]);
        args.Add(Value(Ty.Int, budget).Code);
        foreach (var p in helper.Parameters)
        {
            if (IsFloatLike(p))
            {
                var limit = p == Ty.Half ? new ValueRange(64, -8, 0) : FloatParameter;
                var arg = Value(p, budget);
                if (!arg.Range.IsExact || arg.Range.Max > limit.Max || (arg.Range.Max > 0 && arg.Range.Quantum < limit.Quantum)) arg = SafeFloatLeaf(p);
                args.Add(arg.Code);
            }
            else
            {
                args.Add(Value(p, budget).Code);
            }
        }
        foreach (var (kind, refType) in helper.Refs) args.Add(RefArgument(kind, refType, statementOnly));
        return new Expr($"{helper.Name}({string.Join(", ", args)})", helper.Return, PPrimary, false, helper.ReturnRange, helper.HasLog || helper.Refs.Count > 0);
    }

    private Expr SafeFloatLeaf(Ty type)
    {
        if (function.IsKernel && random.Next(2) == 0)
        {
            string input = $"fa[t * {KernelCase.InputsPerThread} + {random.Next(KernelCase.InputsPerThread)}]";
            return type == Ty.Half
                ? new Expr($"(Half){input}", type, PUnary, false, new ValueRange(KernelInputs.FloatMax, KernelInputs.FloatQuantum, 0))
                : new Expr(input, type, PPrimary, false, new ValueRange(KernelInputs.FloatMax, KernelInputs.FloatQuantum, 0));
        }
        return FloatLiteral(PickOf(0.0, 1.0, -2.0, 0.5, 3.0), type);
    }

    private Expr Ternary(Ty type, int budget)
    {
        var c = BoolExpr(budget);
        return TernaryOf(type, c, Value(type, budget), Value(type, budget));
    }

    private Expr TernaryOf(Ty type, Expr c, Expr x, Expr y)
    {
        // A side effect in an arm must run only when that arm is chosen (lazy lowering).
        if (function.HasLog && random.Next(4) == 0 && type == Ty.Int) x = Note(1);
        // C# folds a conditional whose three operands are constants (so a cast of it is checked at compile time).
        bool isConst = c.IsConst && x.IsConst && y.IsConst;
        return new Expr($"{Paren(c, PCond + 1).Code} ? {Paren(x, PCond + 1).Code} : {Paren(y, PCond).Code}", type, PCond, isConst, default, c.HasEffects || x.HasEffects || y.HasEffects);
    }

    // Any int: C# and WGSL (at run time) both use the count's low 5 bits.
    private Expr ShiftCount(int budget) => random.Next(3) switch
    {
        0 => IntLiteral(random.Next(0, 40)),
        1 => Binary(Ty.Int, "&", NonConst(Ty.Int, budget), IntLiteral(31), PAnd),
        _ when Avoid(KnownBug.UnmaskedConstantShiftCount) => Binary(Ty.Int, "&", NonConst(Ty.Int, budget), IntLiteral(31), PAnd),
        _ => NonConst(Ty.Int, budget),
    };

    /// <summary>A divisor that is never 0, nor -1 (int.MinValue / -1 throws in C#).</summary>
    private Expr Divisor(Ty type, int budget)
    {
        var n = NonConst(type, budget);
        if (type == Ty.UInt) return Paren(Binary(Ty.UInt, "|", n, UIntLiteral(PickOf(1u, 3u, 0x100u)), POr));
        var masked = Binary(Ty.Int, "&", n, IntLiteral(127), PAnd);
        return Paren(random.Next(2) == 0
            ? Binary(Ty.Int, "+", masked, IntLiteral(1), PAdd)
            : Binary(Ty.Int, "-", masked, IntLiteral(200), PAdd));
    }

    // ---------------------------------------------------------------- printing

    private Expr Binary(Ty type, string op, Expr a, Expr b, int precedence)
    {
        if (a.IsConst && b.IsConst) b = NonConstLeaf(b.Type);
        bool extra = random.Next(10) == 0;
        var code = $"{Paren(a, precedence).Code} {op} {Paren(b, precedence + 1).Code}";
        var e = new Expr(code, type, precedence, a.IsConst && b.IsConst, default, a.HasEffects || b.HasEffects);
        return extra ? Paren(e) : e;
    }

    // Never a C# constant (two constants combined may overflow at compile time): the thread index, or a helper's int parameter n.
    private Expr NonConstLeaf(Ty type)
    {
        string n = function.IsKernel ? "t" : "n";
        return type switch
        {
            Ty.Int => new Expr(n, type, PPrimary),
            Ty.UInt => new Expr($"(uint){n}", type, PUnary),
            Ty.Bool => new Expr($"({n} > 3)", type, PPrimary),
            Ty.Float => new Expr($"(float)({n} & 255)", type, PUnary, false, new ValueRange(255, 0, 0)),
            Ty.Half => new Expr($"(Half)({n} & 255)", type, PUnary, false, new ValueRange(255, 0, 0)),
            _ => Leaf(type),
        };
    }

    private Expr Unary(Ty type, string op, Expr a)
    {
        var operand = Paren(a, PUnary).Code;
        if ((op == "-" && operand.StartsWith('-')) || (op == "~" && operand.StartsWith('~'))) operand = $"({operand})";
        return new Expr(op + operand, type, PUnary, a.IsConst, a.Range, a.HasEffects);
    }

    private Expr Cast(Ty type, Expr a)
    {
        var operand = Paren(a, PUnary).Code;
        if (operand.StartsWith('-') || operand.StartsWith('+')) operand = $"({operand})";
        bool isConst = a.IsConst && type != Ty.Half && a.Type != Ty.Half;
        return new Expr($"({TypeName(type)}){operand}", type, PUnary, isConst, a.Range, a.HasEffects);
    }

    private Expr Call(Ty type, string name, params Expr[] args) =>
        new($"{name}({string.Join(", ", args.Select(a => a.Code))})", type, PPrimary, false, default, args.Any(a => a.HasEffects));

    private static Expr Paren(Expr e) => e with { Code = $"({e.Code})", Precedence = PPrimary };

    private static Expr Paren(Expr e, int atLeast) => e.Precedence < atLeast ? Paren(e) : e;

    private static Expr IntLiteral(int v) => v switch
    {
        int.MinValue => new Expr("int.MinValue", Ty.Int, PPrimary, true),
        int.MaxValue => new Expr("int.MaxValue", Ty.Int, PPrimary, true),
        < 0 => new Expr(v.ToString(CultureInfo.InvariantCulture), Ty.Int, PUnary, true),
        > 4096 => new Expr("0x" + v.ToString("X", CultureInfo.InvariantCulture), Ty.Int, PPrimary, true),
        _ => new Expr(v.ToString(CultureInfo.InvariantCulture), Ty.Int, PPrimary, true),
    };

    private static Expr UIntLiteral(uint v) => v == uint.MaxValue
        ? new Expr("uint.MaxValue", Ty.UInt, PPrimary, true)
        : new Expr((v > 4096 ? "0x" + v.ToString("X", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture)) + "u", Ty.UInt, PPrimary, true);

    private static Expr FloatLiteral(double v, Ty type)
    {
        var f = ((float)v).ToString("R", CultureInfo.InvariantCulture) + "f";
        if (type == Ty.Half) return new Expr(v < 0 ? $"(Half)({f})" : $"(Half){f}", Ty.Half, PUnary, false, ValueRange.Of(v));
        return new Expr(f, Ty.Float, v < 0 ? PUnary : PPrimary, true, ValueRange.Of(v));
    }

    private static string TypeName(Ty type) => type switch
    {
        Ty.Int => "int",
        Ty.UInt => "uint",
        Ty.Bool => "bool",
        Ty.Float => "float",
        Ty.Half => "Half",
        Ty.Vector2 => "Vector2",
        Ty.Vector3 => "Vector3",
        Ty.Matrix => "Matrix4x4",
        _ => "Vector4",
    };

    private static string[] Components(Ty type) => type switch
    {
        Ty.Vector2 => ["X", "Y"],
        Ty.Vector3 => ["X", "Y", "Z"],
        _ => ["X", "Y", "Z", "W"],
    };

    private static bool IsFloatLike(Ty type) => type is Ty.Float or Ty.Half or Ty.Vector2 or Ty.Vector3 or Ty.Vector4;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private T PickOf<T>(params T[] items) => items[random.Next(items.Length)];
}
