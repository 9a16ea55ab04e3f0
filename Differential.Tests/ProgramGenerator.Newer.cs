using System.Globalization;
using System.Text;

namespace KernelGen.Differential.Tests;

/// <summary>
/// The newer language forms: struct types with constructors, members and operators; <c>ref</c>/<c>out</c> helper
/// parameters and ref locals; tuple swaps and deconstruction; switch expressions and relational/<c>and</c>/<c>or</c>/<c>not</c>
/// patterns (also property patterns and pattern <c>case</c>s); per-invocation arrays and span helpers with slices;
/// byte/sbyte/short/ushort truncation; enums and flags; lookup tables; the int/uint bit members; bit reinterpretation;
/// Matrix4x4 arithmetic; atomics on elements each thread owns; generic helpers. Each is written mixed with the older
/// forms, with side effects (the log) in operands, indices and ref arguments where C#'s order matters.
/// </summary>
internal sealed partial class ProgramGenerator
{
    /// <summary>The support declarations the kernel uses (emitted only then).</summary>
    private readonly HashSet<string> uses = [];

    private bool? intAtomics;

    /// <summary>
    /// Whether this kernel's integer atomics use <c>oi</c> (else <c>ou</c>); ref locals refer to elements of the other
    /// buffer only (a ref local to an element of an array atomics use is KG0016).
    /// </summary>
    private bool IntAtomics => intAtomics ??= random.Next(2) == 0;

    private string StructName => className + "P";

    private string ModeName => className + "M";

    private string FlagsName => className + "F";

    private static readonly string[] ModeMembers = ["Zero", "One", "Three", "Five", "Seven"];

    private static readonly string[] FlagMembers = ["X", "Y", "Z", "W"];

    private string ClassSupport()
    {
        var b = new StringBuilder();
        if (uses.Contains("SumS")) b.Append("    static int SumS(ReadOnlySpan<int> s)\n    {\n        int acc = 0;\n        for (int i = 0; i < s.Length; i++)\n            acc = acc * 3 + s[i];\n        return acc;\n    }\n\n");
        if (uses.Contains("EndsS")) b.Append("    static int EndsS(ReadOnlySpan<int> s) => s[0] - s[^1] * 3 + s.Length;\n\n");
        if (uses.Contains("MixS")) b.Append("    static void MixS(Span<int> s, int v)\n    {\n        for (int i = 0; i < s.Length; i++)\n            s[i] = s[i] * 5 + v;\n        s[^1] ^= v;\n    }\n\n");
        if (uses.Contains("GAdd")) b.Append("    static T GAdd<T>(T a, T b) where T : INumber<T> => a + b;\n\n");
        if (uses.Contains("GMax")) b.Append("    static T GMax<T>(T a, T b, T c) where T : INumber<T> => T.Max(a, T.Max(b, c));\n\n");
        if (uses.Contains("GPick")) b.Append("    static T GPick<T>(bool c, T a, T b) => c ? a : b;\n\n");
        if (uses.Contains("Flip")) b.Append($"    static {StructName} Flip({StructName} p, int k) => new {StructName}(p.B + k, p.A);\n\n");
        if (uses.Contains("Nudge")) b.Append($"    static void Nudge(ref {StructName} p, int v)\n    {{\n        p.A -= v;\n        p.Bump(v);\n    }}\n\n");
        if (uses.Contains("Tab")) b.Append("    static readonly int[] Tab = { 3, -7, 11, 0x1234, -1, 100, 5, int.MinValue };\n\n");
        if (uses.Contains("UTab")) b.Append("    static ReadOnlySpan<uint> UTab => new uint[] { 1u, 0xFFFFFFFFu, 7u, 0x80000000u, 42u, 9u, 0u, 12345u };\n\n");
        return b.ToString();
    }

    private string NamespaceSupport()
    {
        var b = new StringBuilder();
        if (uses.Contains("Struct") || uses.Contains("Flip") || uses.Contains("Nudge"))
        {
            var p = StructName;
            b.Append($"\npublic struct {p}\n{{\n    public int A;\n    public int B;\n\n")
             .Append($"    public {p}(int a, int b)\n    {{\n        A = a;\n        B = b;\n    }}\n\n")
             .Append($"    public {p}(int a) : this(a, a ^ 5) {{ }}\n\n")
             .Append("    public readonly int Sum => A + B;\n\n")
             .Append("    public readonly int Mix(int k) => (A ^ k) * 3 + B;\n\n")
             .Append("    public void Bump(int v)\n    {\n        A += v;\n        B ^= A;\n    }\n\n")
             .Append("    public int Step()\n    {\n        A = A * 5 + 1;\n        return A >> 3;\n    }\n\n")
             .Append($"    public static {p} operator +({p} x, {p} y) => new(x.A + y.A, x.B - y.B);\n\n")
             .Append($"    public static {p} operator *({p} x, int k) => new(x.A * k, x.B ^ k);\n}}\n");
        }
        if (uses.Contains("Mode")) b.Append($"\npublic enum {ModeName} {{ Zero, One, Three = 3, Five = 5, Seven = 7 }}\n");
        if (uses.Contains("Flags")) b.Append($"\n[Flags]\npublic enum {FlagsName} : uint {{ None = 0, X = 1, Y = 2, Z = 4, W = 8 }}\n");
        return b.ToString();
    }

    // ---------------------------------------------------------------- statements

    private void NewerStatement(int nesting)
    {
        switch (random.Next(14))
        {
            case 13 when HelperCall(null, 2, statementOnly: true) is { } call: Line($"{call.Code};"); break;
            case 0 or 1: TupleStatement(); break;
            case 2: RefLocal(); break;
            case 3: ArrayDeclaration(); break;
            case 4: ArrayStatement(); break;
            case 5: SmallIntBlock(); break;
            case 6: StructDeclaration(); break;
            case 7: StructStatement(); break;
            case 8: EnumDeclaration(); break;
            case 9: EnumStatement(nesting); break;
            case 10 when nesting > 0: PatternSwitch(nesting - 1); break;
            case 11: AtomicStatement(); break;
            default: MatrixDeclaration(); break;
        }
    }

    private List<Var> VarsOf(Ty type) => Visible.Where(v => v.Type == type).ToList();

    private Var? AnyVar(Ty type)
    {
        var vars = VarsOf(type);
        return vars.Count == 0 ? null : Pick(vars);
    }

    private string NewName(string prefix) => prefix + names++;

    /// <summary>An index of an output buffer slot 0-7 of this thread, sometimes with a side effect (it must run once, first).</summary>
    private string OwnedSlot(bool allowEffects = true)
    {
        if (allowEffects && function.HasLog && random.Next(3) == 0) return $"t * {KernelCase.OutputsPerThread} + ({Note(1).Code} & 7)";
        return $"t * {KernelCase.OutputsPerThread} + {random.Next(8)}";
    }

    /// <summary>An index into a per-invocation array of <paramref name="length"/> (a power of two): always in range.</summary>
    private string ArrayIndex(int length, int budget)
    {
        return random.Next(4) switch
        {
            0 => random.Next(length).ToString(CultureInfo.InvariantCulture),
            1 => "^" + random.Next(1, length + 1).ToString(CultureInfo.InvariantCulture),
            2 when function.HasLog => $"{Note(budget).Code} & {length - 1}",
            _ => $"{Paren(IntExpr(budget), PAnd + 1).Code} & {length - 1}",
        };
    }

    private void TupleStatement()
    {
        switch (random.Next(5))
        {
            case 0:
            {
                // A swap of two variables of one type (float-like ones swap their ranges).
                var type = PickOf(Ty.Int, Ty.UInt, Ty.Bool, Ty.Float, Ty.Vector2);
                var candidates = Visible.Where(v => v.Assignable && v.Type == type && (!IsFloatLike(type) || v.LoopLevel == loopDepth)).ToList();
                if (candidates.Count < 2) { TupleDeclaration(); return; }
                var a = Pick(candidates);
                var b = Pick(candidates.Where(v => v != a).ToList());
                Line($"({a.Name}, {b.Name}) = ({b.Name}, {a.Name});");
                (a.Range, b.Range) = (b.Range, a.Range);
                return;
            }
            case 1:
            {
                // Two assignments at once: every right side is evaluated before either variable changes.
                var candidates = Visible.Where(v => v.Assignable && v.Type is Ty.Int or Ty.UInt or Ty.Float && (v.Type != Ty.Float || v.LoopLevel == loopDepth)).ToList();
                if (candidates.Count < 2) { TupleDeclaration(); return; }
                var a = Pick(candidates);
                var b = Pick(candidates.Where(v => v != a).ToList());
                var (x, y) = (Value(a.Type, 2), Value(b.Type, 2));
                Line($"({a.Name}, {b.Name}) = ({x.Code}, {y.Code});");
                a.Range = x.Range;
                b.Range = y.Range;
                return;
            }
            case 2 when function.IsKernel:
            {
                // Buffer elements: both places (with their index side effects) first, then the values, then the stores.
                var (buffer, type) = random.Next(2) == 0 ? ("oi", Ty.Int) : ("ou", Ty.UInt);
                string first = OwnedSlot(), second = OwnedSlot();
                var value = Value(type, 2);
                Line(random.Next(2) == 0
                    ? $"({buffer}[{first}], {buffer}[{second}]) = ({buffer}[{second}], {value.Code});"
                    : $"({buffer}[{first}], {buffer}[{second}]) = ({value.Code}, {buffer}[{first}]);");
                return;
            }
            case 3:
            {
                var array = AnyVar(Ty.IntArray);
                if (array is null) { TupleDeclaration(); return; }
                string i = ArrayIndex(array.Length, 1), j = ArrayIndex(array.Length, 1);
                Line($"({array.Name}[{i}], {array.Name}[{j}]) = ({array.Name}[{j}], {array.Name}[{i}]);");
                return;
            }
            default:
                TupleDeclaration();
                return;
        }
    }

    private void TupleDeclaration()
    {
        var types = Enumerable.Range(0, random.Next(2, 4)).Select(_ => PickOf(Ty.Int, Ty.Int, Ty.UInt, Ty.Bool, Ty.Float)).ToList();
        var values = types.Select(t => Value(t, 2)).ToList();
        var vars = types.Select(t => new Var(NewName(t switch { Ty.Int => "i", Ty.UInt => "u", Ty.Bool => "b", _ => "f" }), t, default, loopDepth, true)).ToList();
        for (int k = 0; k < vars.Count; k++) vars[k].Range = values[k].Range;
        bool nested = types.Count == 3 && random.Next(2) == 0;
        bool typed = random.Next(2) == 0;
        string Target(int k) => typed ? $"{TypeName(types[k])} {vars[k].Name}" : vars[k].Name;
        string left, right;
        if (nested)
        {
            left = $"({Target(0)}, ({Target(1)}, {Target(2)}))";
            right = $"({values[0].Code}, ({values[1].Code}, {values[2].Code}))";
        }
        else
        {
            left = "(" + string.Join(", ", vars.Select((_, k) => Target(k))) + ")";
            right = "(" + string.Join(", ", values.Select(v => v.Code)) + ")";
        }
        Line(typed ? $"{left} = {right};" : $"var {left} = {right};");
        foreach (var v in vars) Declare(v);
    }

    private void RefLocal()
    {
        var name = NewName("rf");
        string place;
        var type = Ty.Int;
        bool writable = true;
        int choice = random.Next(6);
        var intVars = Visible.Where(v => v.Assignable && v.Type == Ty.Int).ToList();
        if (choice == 0 && intVars.Count > 0) place = Pick(intVars).Name;
        else if (choice == 1 && AnyVar(Ty.IntArray) is { } array) place = $"{array.Name}[{ArrayIndex(array.Length, 1)}]";
        else if (choice == 2 && AnyVar(Ty.Struct) is { } p) place = $"{p.Name}.{PickOf("A", "B")}";
        else if (choice == 3 && function.IsKernel)
        {
            place = $"ia[t * {KernelCase.InputsPerThread} + {random.Next(KernelCase.InputsPerThread)}]";
            writable = false;
        }
        else if (function.IsKernel)
        {
            type = IntAtomics ? Ty.UInt : Ty.Int;
            place = $"{(type == Ty.Int ? "oi" : "ou")}[{OwnedSlot()}]";
        }
        else if (intVars.Count > 0) place = Pick(intVars).Name;
        else { Declaration(); return; }
        Line($"ref {(writable ? "" : "readonly ")}{TypeName(type)} {name} = ref {place};");
        Declare(new Var(name, type, default, loopDepth, writable));
        if (!writable) return;
        var value = Value(type, 2);
        Line(random.Next(2) == 0 ? $"{name} += {value.Code};" : $"{name} = {name} * 3 + {Paren(value, PMul).Code};");
    }

    private void ArrayDeclaration()
    {
        int length = PickOf(4, 8);
        var name = NewName("a");
        string Elements() => string.Join(", ", Enumerable.Range(0, length).Select(_ => IntExpr(1).Code));
        var declaration = random.Next(6) switch
        {
            0 => $"Span<int> {name} = stackalloc int[{length}];",
            1 => $"int[] {name} = new int[{length}];",
            2 => $"Span<int> {name} = stackalloc int[] {{ {Elements()} }};",
            3 => $"int[] {name} = {{ {Elements()} }};",
            4 => $"Span<int> {name} = [{Elements()}];",
            _ => $"int[] {name} = new int[] {{ {Elements()} }};",
        };
        Line(declaration);
        Declare(new Var(name, Ty.IntArray, default, loopDepth, true) { Length = length, IsSpan = declaration.StartsWith("Span", StringComparison.Ordinal) });
    }

    private void ArrayStatement()
    {
        var array = AnyVar(Ty.IntArray);
        if (array is null) { ArrayDeclaration(); return; }
        string a = array.Name;
        switch (random.Next(7))
        {
            case 0: Line($"{a}[{ArrayIndex(array.Length, 2)}] = {IntExpr(2).Code};"); break;
            case 1: Line($"{a}[{ArrayIndex(array.Length, 2)}] {PickOf("+=", "-=", "^=", "|=", "*=")} {IntExpr(2).Code};"); break;
            case 2: Line($"{a}[{ArrayIndex(array.Length, 1)}]{PickOf("++", "--")};"); break;
            case 3:
                uses.Add("MixS");
                Line($"MixS({SpanOf(array, writable: true)}, {IntExpr(2).Code});");
                break;
            case 4 when function.IsKernel && !IntAtomics: // (a view of a buffer atomics use is KG0051)
                uses.Add("MixS");
                Line($"MixS(oi.Slice(t * {KernelCase.OutputsPerThread}, {random.Next(1, 9)}), {IntExpr(2).Code});");
                break;
            case 5:
            {
                var target = AssignableVar(v => v.Type == Ty.Int);
                if (target is null) goto default;
                var w = NewName("w");
                Line($"foreach ({(random.Next(2) == 0 ? "var" : "int")} {w} in {a})");
                Line($"{Indent}{target.Name} = {target.Name} * 7 + {w};");
                break;
            }
            default:
                Line($"{a}[{ArrayIndex(array.Length, 1)}] = {a}[{ArrayIndex(array.Length, 1)}] + {a}.Length;");
                break;
        }
    }

    /// <summary>
    /// A per-invocation array as a span argument: whole, or a slice within its length (a <c>Span</c>'s <c>Slice</c> or
    /// range; never an array's range, which C# copies: <paramref name="writable"/> callers see no writes through that).
    /// </summary>
    private string SpanOf(Var array, bool writable)
    {
        int start = random.Next(array.Length);
        int count = random.Next(1, array.Length - start + 1);
        return random.Next(5) switch
        {
            0 when array.IsSpan => $"{array.Name}.Slice({start}, {count})",
            1 when array.IsSpan || !writable => $"{array.Name}[{start}..{start + count}]",
            2 when array.IsSpan || !writable => $"{array.Name}[{start}..]",
            _ => array.Name,
        };
    }

    private void SmallIntBlock()
    {
        var (typeName, cast) = PickOf(("byte", "(byte)"), ("sbyte", "(sbyte)"), ("short", "(short)"), ("ushort", "(ushort)"));
        var name = NewName("s");
        Line($"{typeName} {name} = {cast}{Paren(NonConst(random.Next(3) == 0 ? Ty.UInt : Ty.Int, 2), PPrimary).Code};");
        for (int k = random.Next(1, 4); k > 0; k--)
        {
            Line(random.Next(6) switch
            {
                0 => $"{name} {PickOf("+=", "-=", "*=", "^=", "|=", "&=")} {cast}{Paren(NonConst(Ty.Int, 1), PPrimary).Code};",
                1 => $"{name} {PickOf("<<=", ">>=")} {ShiftCount(1).Code};",
                2 => $"{name}{PickOf("++", "--")};",
                3 => $"{name} = {cast}({name} * 3 + {Paren(IntExpr(1), PMul).Code});",
                4 => $"{PickOf("++", "--")}{name};",
                _ => $"{name} += {cast}1;",
            });
        }
        var result = NewName("i");
        Line($"int {result} = {name} * 5 + {cast}{Paren(NonConst(Ty.Int, 1), PPrimary).Code} - {name};");
        Declare(new Var(result, Ty.Int, default, loopDepth, true));
    }

    // ---------------------------------------------------------------- structs

    private Expr StructExpr(int budget, bool targetTyped = false)
    {
        uses.Add("Struct");
        var p = StructName;
        var existing = AnyVar(Ty.Struct);
        if (existing is not null && (budget <= 0 || random.Next(3) == 0)) return new Expr(existing.Name, Ty.Struct, PPrimary);
        int b = Math.Max(budget - 1, 0);
        switch (budget <= 0 ? random.Next(2) : random.Next(9))
        {
            case 0: return new Expr($"new {p}({IntExpr(b).Code}, {IntExpr(b).Code})", Ty.Struct, PPrimary);
            case 1: return new Expr($"new {p}({IntExpr(b).Code})", Ty.Struct, PPrimary);
            case 2: return new Expr($"new {p} {{ B = {IntExpr(b).Code} }}", Ty.Struct, PUnary);
            case 3: return new Expr($"new {p} {{ A = {IntExpr(b).Code}, B = {IntExpr(b).Code} }}", Ty.Struct, PUnary);
            case 4: return new Expr($"{Paren(StructExpr(b), PAdd).Code} + {Paren(StructExpr(b), PAdd + 1).Code}", Ty.Struct, PAdd);
            case 5: return new Expr($"{Paren(StructExpr(b), PMul).Code} * {Paren(IntExpr(b), PMul + 1).Code}", Ty.Struct, PMul);
            case 6: return new Expr($"{Paren(StructExpr(b), PPrimary).Code} with {{ {PickOf("A", "B")} = {IntExpr(b).Code} }}", Ty.Struct, PRel);
            case 7:
                uses.Add("Flip");
                return new Expr($"Flip({StructExpr(b, targetTyped: true).Code}, {IntExpr(b).Code})", Ty.Struct, PPrimary);
            default: return targetTyped ? new Expr("default", Ty.Struct, PPrimary) : new Expr($"new {p}({IntExpr(b).Code})", Ty.Struct, PPrimary);
        }
    }

    private void StructDeclaration()
    {
        var name = NewName("q");
        var init = StructExpr(2, targetTyped: true);
        Line($"{StructName} {name} = {init.Code};");
        Declare(new Var(name, Ty.Struct, default, loopDepth, true));
    }

    private void StructStatement()
    {
        var p = AnyVar(Ty.Struct);
        if (p is null) { StructDeclaration(); return; }
        switch (random.Next(7))
        {
            case 0: Line($"{p.Name}.Bump({IntExpr(2).Code});"); break;
            case 1: Line($"{p.Name}.{PickOf("A", "B")} {PickOf("+=", "^=", "=", "*=")} {IntExpr(2).Code};"); break;
            case 2: Line($"{p.Name} = {StructExpr(2, targetTyped: true).Code};"); break;
            case 3:
                uses.Add("Nudge");
                Line($"Nudge(ref {p.Name}, {IntExpr(2).Code});");
                break;
            case 4: Line($"_ = {p.Name}.Step();"); break;
            case 5: Line($"{p.Name}.{PickOf("A", "B")}{PickOf("++", "--")};"); break;
            default: Line($"{p.Name} += {StructExpr(1).Code};"); break;
        }
    }

    // ---------------------------------------------------------------- enums

    private Expr ModeExpr(int budget)
    {
        uses.Add("Mode");
        var existing = AnyVar(Ty.Mode);
        if (existing is not null && random.Next(3) == 0) return new Expr(existing.Name, Ty.Mode, PPrimary);
        return random.Next(3) == 0
            ? new Expr($"{ModeName}.{PickOf(ModeMembers)}", Ty.Mode, PPrimary)
            : new Expr($"({ModeName})({Paren(IntExpr(budget), PAnd + 1).Code} & 7)", Ty.Mode, PUnary);
    }

    private Expr FlagsExpr(int budget)
    {
        uses.Add("Flags");
        var existing = AnyVar(Ty.Flags);
        if (existing is not null && random.Next(3) == 0) return new Expr(existing.Name, Ty.Flags, PPrimary);
        return random.Next(3) switch
        {
            // Members are constants: C# folds (int)~(uint)(F.Z | F.Y) and refuses its overflow (seed 2412), so they
            // are marked constant and NonConst replaces them where a fold could overflow.
            0 => new Expr($"{FlagsName}.{PickOf(FlagMembers)} | {FlagsName}.{PickOf(FlagMembers)}", Ty.Flags, POr, true),
            1 => new Expr($"{FlagsName}.{PickOf(FlagMembers)}", Ty.Flags, PPrimary, true),
            _ => new Expr($"({FlagsName})({Paren(UIntExpr(budget), PAnd + 1).Code} & 15u)", Ty.Flags, PUnary),
        };
    }

    private void EnumDeclaration()
    {
        if (random.Next(2) == 0)
        {
            var name = NewName("m");
            Line($"{ModeName} {name} = {ModeExpr(2).Code};");
            Declare(new Var(name, Ty.Mode, default, loopDepth, true));
        }
        else
        {
            var name = NewName("g");
            Line($"{FlagsName} {name} = {FlagsExpr(2).Code};");
            Declare(new Var(name, Ty.Flags, default, loopDepth, true));
        }
    }

    private void EnumStatement(int nesting)
    {
        var mode = AnyVar(Ty.Mode);
        var flags = AnyVar(Ty.Flags);
        if (mode is null && flags is null) { EnumDeclaration(); return; }
        if (mode is not null && (flags is null || random.Next(2) == 0))
        {
            if (nesting > 0 && random.Next(2) == 0)
            {
                var members = ModeMembers.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToList();
                var sections = new List<List<string>>();
                foreach (var m in members)
                {
                    if (sections.Count > 0 && random.Next(3) == 0) sections[^1].Add($"case {ModeName}.{m}:");
                    else sections.Add([$"case {ModeName}.{m}:"]);
                }
                SwitchOn(mode.Name, sections, random.Next(2) == 0, nesting - 1);
                return;
            }
            Line(random.Next(3) switch
            {
                0 => $"{mode.Name}{PickOf("++", "--")};",
                1 => $"{mode.Name} = {ModeExpr(2).Code};",
                _ => $"{mode.Name} += {Paren(NonConst(Ty.Int, 1), PPrimary).Code} & 3;",
            });
            return;
        }
        Line(random.Next(4) switch
        {
            0 => $"{flags!.Name} |= {FlagsName}.{PickOf(FlagMembers)};",
            1 => $"{flags!.Name} &= ~{FlagsName}.{PickOf(FlagMembers)};",
            2 => $"{flags!.Name} ^= {FlagsExpr(1).Code};",
            _ => $"{flags!.Name} = {FlagsExpr(2).Code};",
        });
    }

    // ---------------------------------------------------------------- switch and patterns

    /// <summary>
    /// Patterns over disjoint intervals with gaps between them (so that none is subsumed by an earlier one and the
    /// discard stays reachable): constants, <c>&gt;= a and &lt;= b</c>, <c>not (&lt; a or &gt; b)</c>, <c>a or b</c>, open ends.
    /// </summary>
    private List<string> DisjointPatterns(int count, bool unsigned, string suffix = "")
    {
        var result = new List<string>();
        long current = unsigned ? 0 : random.Next(-30, 10);
        for (int i = 0; i < count; i++)
        {
            long lo = current + random.Next(1, 4);
            long hi = lo + random.Next(0, 4);
            current = hi + 1;
            bool openBelow = i == 0 && random.Next(4) == 0;
            bool openAbove = i == count - 1 && !openBelow && random.Next(4) == 0;
            string L(long v) => v.ToString(CultureInfo.InvariantCulture) + suffix;
            string pattern;
            if (openBelow) pattern = random.Next(2) == 0 ? $"< {L(hi + 1)}" : $"<= {L(hi)}";
            else if (openAbove) pattern = random.Next(2) == 0 ? $"> {L(lo - 1)}" : $">= {L(lo)}";
            else if (lo == hi) pattern = random.Next(3) == 0 ? $"not < {L(lo)} and not > {L(lo)}" : L(lo);
            else pattern = random.Next(5) switch
            {
                0 => $">= {L(lo)} and <= {L(hi)}",
                1 => $"> {L(lo - 1)} and < {L(hi + 1)}",
                2 => $"not < {L(lo)} and not > {L(hi)}",
                3 when hi == lo + 1 => $"{L(lo)} or {L(hi)}",
                _ => $">= {L(lo)} and < {L(hi)} or {L(hi)}",
            };
            result.Add(pattern);
        }
        return result;
    }

    private Expr Selector(Ty type, int budget)
    {
        var e = NonConst(type, budget);
        return random.Next(3) switch
        {
            0 => e,
            1 => type == Ty.UInt ? Paren(Binary(Ty.UInt, "&", e, UIntLiteral(15u), PAnd)) : Paren(Binary(Ty.Int, "-", Binary(Ty.Int, "&", e, IntLiteral(31), PAnd), IntLiteral(8), PAdd)),
            _ => type == Ty.UInt ? Paren(Binary(Ty.UInt, "%", e, UIntLiteral(20u), PMul)) : Paren(Binary(Ty.Int, "%", e, IntLiteral(40), PMul)),
        };
    }

    /// <summary>A switch expression over patterns, its arms of <paramref name="type"/> (side effects only in the arm chosen).</summary>
    private Expr SwitchExpression(Ty type, int budget)
    {
        bool onUInt = random.Next(4) == 0;
        var selector = Selector(onUInt ? Ty.UInt : Ty.Int, budget);
        var patterns = DisjointPatterns(random.Next(1, 5), onUInt);
        var arms = new List<string>();
        var range = type == Ty.Float ? ValueRange.Zero : default;
        foreach (var pattern in patterns)
        {
            var value = Value(type, budget);
            range = ValueRange.Either(range, value.Range);
            var guard = random.Next(5) == 0 ? $" when {Paren(BoolExpr(budget), PCond + 1).Code}" : "";
            arms.Add($"{pattern}{guard} => {value.Code}");
        }
        var fallback = Value(type, budget);
        range = ValueRange.Either(range, fallback.Range);
        arms.Add($"_ => {fallback.Code}");
        return new Expr($"({Paren(selector, PPrimary).Code} switch {{ {string.Join(", ", arms)} }})", type, PPrimary, false, range, true);
    }

    private Expr ModeSwitchExpression(int budget)
    {
        var selector = ModeExpr(budget);
        var members = ModeMembers.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToList();
        var arms = new List<string>();
        for (int k = 0; k < members.Count; k++)
        {
            var pattern = $"{ModeName}.{members[k]}";
            if (k + 1 < members.Count && random.Next(3) == 0) pattern += $" or {ModeName}.{members[++k]}";
            arms.Add($"{pattern} => {IntExpr(budget).Code}");
        }
        arms.Add($"_ => {IntExpr(budget).Code}");
        return new Expr($"({Paren(selector, PPrimary).Code} switch {{ {string.Join(", ", arms)} }})", Ty.Int, PPrimary, false, default, true);
    }

    private void PatternSwitch(int nesting)
    {
        bool onUInt = random.Next(4) == 0;
        var selector = Selector(onUInt ? Ty.UInt : Ty.Int, 2);
        var sections = new List<List<string>>();
        foreach (var pattern in DisjointPatterns(random.Next(1, 5), onUInt))
        {
            var guard = random.Next(5) == 0 ? $" when {BoolExpr(1).Code}" : "";
            var label = $"case {pattern}{guard}:";
            if (sections.Count > 0 && random.Next(4) == 0) sections[^1].Add(label);
            else sections.Add([label]);
        }
        SwitchOn(selector.Code, sections, random.Next(2) == 0, nesting);
    }

    /// <summary>A switch statement with the given labels per section (and a default), the arms' ranges merged.</summary>
    private void SwitchOn(string selector, List<List<string>> sections, bool hasDefault, int nesting)
    {
        Line($"switch ({selector})");
        Line("{");
        depth++;
        var before = Snapshot();
        var merged = new List<State>();
        foreach (var labels in sections)
        {
            foreach (var label in labels) Line(label);
            Restore(before);
            Block(() => Statements(random.Next(1, 3), nesting));
            Line(Indent + "break;");
            merged.Add(Snapshot());
        }
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

    // ---------------------------------------------------------------- atomics (elements each thread owns)

    private void AtomicStatement()
    {
        if (!function.IsKernel) { Declaration(); return; }
        if (loopDepth == 0 && random.Next(4) == 0)
        {
            int slot = random.Next(8);
            var value = FloatExpr(2, F32);
            var sum = ValueRange.Add(floatSlots[slot], value.Range, F32);
            if (sum.FitsIn(F32))
            {
                Line($"{(random.Next(2) == 0 ? "_ = " : "")}Atomic.Add(ref of[t * {KernelCase.OutputsPerThread} + {slot}], {value.Code});");
                floatSlots[slot] = sum;
                return;
            }
        }
        var atomic = IntAtomics ? AtomicInt(2) : AtomicUInt(2);
        Line(random.Next(2) == 0 ? $"{atomic.Code};" : $"_ = {atomic.Code};");
    }

    private Expr AtomicInt(int budget)
    {
        var at = $"ref oi[{OwnedSlot()}]";
        return random.Next(7) switch
        {
            0 => Call(Ty.Int, "Interlocked.Add", new Expr(at, Ty.Int, PPrimary), IntExpr(budget)) with { HasEffects = true },
            1 => new Expr($"Interlocked.{PickOf("Increment", "Decrement")}({at})", Ty.Int, PPrimary, false, default, true),
            2 => Call(Ty.Int, "Interlocked.Exchange", new Expr(at, Ty.Int, PPrimary), IntExpr(budget)) with { HasEffects = true },
            3 => Call(Ty.Int, "Interlocked.CompareExchange", new Expr(at, Ty.Int, PPrimary), IntExpr(budget), IntExpr(budget)) with { HasEffects = true },
            4 => Call(Ty.Int, $"Interlocked.{PickOf("And", "Or")}", new Expr(at, Ty.Int, PPrimary), IntExpr(budget)) with { HasEffects = true },
            _ => Call(Ty.Int, $"Atomic.{PickOf("Min", "Max")}", new Expr(at, Ty.Int, PPrimary), IntExpr(budget)) with { HasEffects = true },
        };
    }

    private Expr AtomicUInt(int budget)
    {
        var at = new Expr($"ref ou[{OwnedSlot()}]", Ty.UInt, PPrimary);
        return (random.Next(5) switch
        {
            0 => Call(Ty.UInt, "Interlocked.Add", at, UIntExpr(budget)),
            1 => Call(Ty.UInt, $"Interlocked.{PickOf("And", "Or")}", at, UIntExpr(budget)),
            2 => Call(Ty.UInt, "Interlocked.Exchange", at, UIntExpr(budget)),
            3 => Call(Ty.UInt, "Interlocked.CompareExchange", at, UIntExpr(budget), UIntExpr(budget)),
            _ => Call(Ty.UInt, $"Atomic.{PickOf("Min", "Max")}", at, UIntExpr(budget)),
        }) with { HasEffects = true };
    }

    // ---------------------------------------------------------------- matrices

    private Expr MatrixExpr(int budget)
    {
        for (int attempt = 0; attempt < 6; attempt++)
        {
            var e = MatrixCandidate(budget);
            if (e.Range.FitsIn(F32)) return e;
        }
        return new Expr("Matrix4x4.Identity", Ty.Matrix, PPrimary, false, ValueRange.Of(1));
    }

    private Expr MatrixCandidate(int budget)
    {
        var existing = AnyVar(Ty.Matrix);
        if (existing is not null && (budget <= 0 || random.Next(3) == 0)) return new Expr(existing.Name, Ty.Matrix, PPrimary, false, existing.Range);
        int b = Math.Max(budget - 1, 0);
        switch (budget <= 0 ? random.Next(4) : random.Next(10))
        {
            case 0: return new Expr("Matrix4x4.Identity", Ty.Matrix, PPrimary, false, ValueRange.Of(1));
            case 1:
            {
                var elements = Enumerable.Range(0, 16).Select(_ => Leaf(Ty.Float)).ToList();
                return new Expr($"new Matrix4x4({string.Join(", ", elements.Select(e => e.Code))})", Ty.Matrix, PPrimary, false, elements.Select(e => e.Range).Aggregate(ValueRange.Either));
            }
            case 2:
            {
                var f = FloatExpr(b, F32);
                return new Expr($"Matrix4x4.CreateScale({f.Code})", Ty.Matrix, PPrimary, false, ValueRange.Either(f.Range, ValueRange.Of(1)), f.HasEffects);
            }
            case 3:
            {
                var (x, y, z) = (FloatExpr(b, F32), FloatExpr(b, F32), FloatExpr(b, F32));
                var range = ValueRange.Either(ValueRange.Either(x.Range, y.Range), ValueRange.Either(z.Range, ValueRange.Of(1)));
                return new Expr($"Matrix4x4.{PickOf("CreateScale", "CreateTranslation")}({x.Code}, {y.Code}, {z.Code})", Ty.Matrix, PPrimary, false, range);
            }
            case 4:
            {
                var m = MatrixExpr(b);
                return new Expr($"Matrix4x4.Transpose({m.Code})", Ty.Matrix, PPrimary, false, m.Range);
            }
            case 5:
            {
                var (x, y) = (MatrixExpr(b), MatrixExpr(b));
                return new Expr($"{Paren(x, PAdd).Code} {PickOf("+", "-")} {Paren(y, PAdd + 1).Code}", Ty.Matrix, PAdd, false, ValueRange.Add(x.Range, y.Range, F32));
            }
            case 6:
            {
                var (x, f) = (MatrixExpr(b), FloatExpr(b, F32));
                return new Expr($"{Paren(x, PMul).Code} * {Paren(f, PMul + 1).Code}", Ty.Matrix, PMul, false, ValueRange.Multiply(x.Range, f.Range, F32));
            }
            case 7:
            {
                var m = MatrixExpr(b);
                var operand = Paren(m, PUnary).Code;
                return new Expr($"-{(operand.StartsWith('-') ? $"({operand})" : operand)}", Ty.Matrix, PUnary, false, m.Range);
            }
            default:
            {
                // A product: every element a sum of four products, which a GPU may fuse and add in another order.
                var (x, y) = (MatrixExpr(b), MatrixExpr(b));
                var product = ValueRange.Multiply(x.Range, y.Range, F32);
                var sum = product;
                for (int k = 1; k < 4; k++) sum = ValueRange.Add(sum, product, F32);
                return new Expr($"{Paren(x, PMul).Code} * {Paren(y, PMul + 1).Code}", Ty.Matrix, PMul, false, sum);
            }
        }
    }

    private void MatrixDeclaration()
    {
        var name = NewName("x");
        var init = MatrixExpr(2);
        Line($"Matrix4x4 {name} = {init.Code};");
        Declare(new Var(name, Ty.Matrix, init.Range, loopDepth, true));
    }

    // ---------------------------------------------------------------- ref and out arguments

    /// <summary>
    /// Whether every ref parameter can get an argument: a call inside an expression passes whole variables only (the
    /// documented form; other places need the call on its own line, KG0016), a call statement any place.
    /// </summary>
    private bool CanPassRefs(Helper helper, bool statement) =>
        (statement && function.IsKernel) || helper.Refs.All(r => r.Kind == "out" || Visible.Any(v => v.Assignable && v.Type == r.Type));

    /// <summary>A <c>ref</c> or <c>out</c> argument: a variable, an owned buffer element (its index may log), an array element or a struct field.</summary>
    private string RefArgument(string kind, Ty type, bool statement)
    {
        var vars = Visible.Where(v => v.Assignable && v.Type == type).ToList();
        if (!statement) return vars.Count > 0 && (kind == "ref" || random.Next(4) > 0) ? $"{kind} {Pick(vars).Name}" : "out _";
        int choice = random.Next(6);
        if (choice == 0 && vars.Count > 0) return $"{kind} {Pick(vars).Name}";
        if (choice == 1 && type == Ty.Int && AnyVar(Ty.IntArray) is { } array) return $"{kind} {array.Name}[{ArrayIndex(array.Length, 1)}]";
        if (choice == 2 && type == Ty.Int && AnyVar(Ty.Struct) is { } p) return $"{kind} {p.Name}.{PickOf("A", "B")}";
        if (choice == 3 && kind == "out") return "out _";
        if (function.IsKernel && (choice >= 4 || vars.Count == 0)) return $"{kind} {(type == Ty.Int ? "oi" : "ou")}[{OwnedSlot()}]";
        if (vars.Count > 0) return $"{kind} {Pick(vars).Name}";
        return "out _"; // only reached for out parameters (CanPassRefs)
    }

    // ---------------------------------------------------------------- expressions

    private Expr NewerInt(int b)
    {
        switch (random.Next(22))
        {
            case 0: return SwitchExpression(Ty.Int, b);
            case 1: return Call(Ty.Int, $"int.{PickOf("PopCount", "LeadingZeroCount", "TrailingZeroCount")}", IntExpr(b));
            // (int.RotateLeft/RotateRight are not translated, KG0018: the docs list the uint forms.)
            case 2: return Cast(Ty.Int, Rotate($"uint.{PickOf("RotateLeft", "RotateRight")}", Cast(Ty.UInt, NonConst(Ty.Int, b)), IntExpr(b)));
            case 3: return Call(Ty.Int, "int.Log2", Binary(Ty.Int, "&", NonConst(Ty.Int, b), new Expr("int.MaxValue", Ty.Int, PPrimary, true), PAnd));
            case 4: return random.Next(2) == 0
                ? Call(Ty.Int, $"int.{PickOf("CreateTruncating", "CreateSaturating")}", UIntExpr(b))
                : Cast(Ty.Int, Rotate($"BitOperations.{PickOf("RotateLeft", "RotateRight")}", UIntExpr(b), IntExpr(b)));
            case 5:
            {
                var f = ExactFloat(b, F32);
                if (f is null) return Leaf(Ty.Int);
                var vars = Visible.Where(v => v.Type == Ty.Float && v.Range.IsExact).ToList();
                // The sign bit is masked: Vulkan does not promise the sign of a zero.
                return random.Next(3) switch
                {
                    0 => Binary(Ty.Int, "&", Call(Ty.Int, "BitConverter.SingleToInt32Bits", f), new Expr("int.MaxValue", Ty.Int, PPrimary, true), PAnd),
                    1 when vars.Count > 0 => Binary(Ty.Int, "&", new Expr($"Unsafe.As<float, int>(ref {Pick(vars).Name})", Ty.Int, PPrimary), IntLiteral(0x7FFFFFFF), PAnd),
                    _ => Binary(Ty.Int, "&", Call(Ty.Int, "Unsafe.BitCast<float, int>", f), IntLiteral(0x7FFFFFFF), PAnd),
                };
            }
            case 6:
            {
                var h = ExactFloat(b, F16);
                if (h is null) return Leaf(Ty.Int);
                return Binary(Ty.Int, "&", new Expr($"(int)BitConverter.HalfToInt16Bits({h.Code})", Ty.Int, PUnary, false, default, h.HasEffects), IntLiteral(0x7FFF), PAnd);
            }
            case 7:
            {
                // byte/sbyte/short/ushort truncate; C# promotes them to int in arithmetic.
                string SmallCast() => PickOf("(byte)", "(sbyte)", "(short)", "(ushort)");
                var small = new Expr(SmallCast() + Paren(NonConst(random.Next(3) == 0 ? Ty.UInt : Ty.Int, b), PPrimary).Code, Ty.Int, PUnary);
                if (random.Next(2) == 0) return Binary(Ty.Int, "*", small, new Expr(SmallCast() + Paren(NonConst(Ty.Int, b), PPrimary).Code, Ty.Int, PUnary), PMul);
                var op = PickOf("+", "-", "^");
                return Binary(Ty.Int, op, small, IntExpr(b), op == "^" ? PXor : PAdd);
            }
            case 8:
            {
                var p = AnyVar(Ty.Struct);
                var s = p is not null && random.Next(3) > 0 ? new Expr(p.Name, Ty.Struct, PPrimary) : StructExpr(b);
                var member = random.Next(5) switch
                {
                    0 => ".Sum",
                    1 => $".Mix({IntExpr(b).Code})",
                    2 when s.Code == p?.Name => ".Step()",
                    _ => "." + PickOf("A", "B"),
                };
                return new Expr($"{Paren(s, PPrimary).Code}{member}", Ty.Int, PPrimary, false, default, true);
            }
            case 9:
            {
                var array = AnyVar(Ty.IntArray);
                if (array is null) return Leaf(Ty.Int);
                return new Expr($"{array.Name}[{ArrayIndex(array.Length, b)}]", Ty.Int, PPrimary);
            }
            case 10:
            {
                var array = AnyVar(Ty.IntArray);
                string span;
                if (array is not null && random.Next(3) > 0) span = SpanOf(array, writable: false);
                else if (function.IsKernel) span = random.Next(2) == 0 ? $"ia.Slice(t * {KernelCase.InputsPerThread}, {random.Next(1, 5)})" : $"ia[(t * {KernelCase.InputsPerThread})..(t * {KernelCase.InputsPerThread} + {random.Next(1, 5)})]";
                else return Leaf(Ty.Int);
                var helper = PickOf("SumS", "EndsS");
                uses.Add(helper);
                return new Expr($"{helper}({span})", Ty.Int, PPrimary);
            }
            case 11: return random.Next(3) == 0 ? ModeSwitchExpression(b) : Cast(Ty.Int, ModeExpr(b));
            case 12:
                uses.Add("Tab");
                return random.Next(4) == 0 ? new Expr("Tab.Length", Ty.Int, PPrimary) : new Expr($"Tab[{Paren(IntExpr(b), PAnd + 1).Code} & 7]", Ty.Int, PPrimary);
            case 13: return GenericCall(Ty.Int, b);
            case 14 when function.IsKernel && IntAtomics: return AtomicInt(b);
            case 15: return Cast(Ty.Int, Unsafe(Ty.UInt, b));
            case 16: return Call(Ty.Int, "int.Clamp", IntExpr(b), IntLiteral(-random.Next(100)), IntLiteral(random.Next(100)));
            default: return IntExpr(b);
        }
    }

    private Expr Unsafe(Ty type, int b)
    {
        var from = type == Ty.UInt ? Ty.Int : Ty.UInt;
        var vars = Visible.Where(v => v.Assignable && v.Type == from).ToList();
        if (vars.Count > 0 && random.Next(2) == 0) return new Expr($"Unsafe.As<{TypeName(from)}, {TypeName(type)}>(ref {Pick(vars).Name})", type, PPrimary);
        return Call(type, $"Unsafe.BitCast<{TypeName(from)}, {TypeName(type)}>", Value(from, b));
    }

    private Expr GenericCall(Ty type, int b)
    {
        var explicitType = random.Next(3) == 0 ? $"<{TypeName(type)}>" : "";
        switch (random.Next(3))
        {
            case 0:
            {
                uses.Add("GAdd");
                var (x, y) = (Value(type, b), Value(type, b));
                return Call(type, $"GAdd{explicitType}", x, y) with { Range = IsFloatLike(type) ? ValueRange.Add(x.Range, y.Range, F32) : default };
            }
            case 1:
            {
                uses.Add("GMax");
                var (x, y, z) = (Value(type, b), Value(type, b), Value(type, b));
                return Call(type, $"GMax{explicitType}", x, y, z) with { Range = ValueRange.Either(ValueRange.Either(x.Range, y.Range), z.Range) };
            }
            default:
            {
                uses.Add("GPick");
                var (c, x, y) = (BoolExpr(b), Value(type, b), Value(type, b));
                return Call(type, $"GPick{explicitType}", c, x, y) with { Range = ValueRange.Either(x.Range, y.Range) };
            }
        }
    }

    /// <summary>
    /// A uint rotate whose operands the JIT cannot both fold: .NET's JIT folds <c>RotateLeft/RotateRight</c> of two
    /// constants to a zero-extended int constant, so a signed <c>/</c> or <c>%</c> of <c>(int)</c> of it divides
    /// unsigned, or throws OverflowException for a divisor of 1 (dotnet/runtime#129099; seed 1317). The value
    /// rotated is then the thread id instead (no random draw: the rest of the kernel is unchanged).
    /// </summary>
    private Expr Rotate(string name, Expr value, Expr count)
    {
        if (Foldable(value) && Foldable(count)) value = Cast(Ty.UInt, NonConstLeaf(Ty.Int));
        return Call(Ty.UInt, name, value, count);
    }

    private static readonly HashSet<string> Keywords = ["int", "uint", "float", "bool", "byte", "sbyte", "short", "ushort", "long", "ulong", "true", "false", "new", "default", "stackalloc", "is", "and", "or", "not", "with", "checked", "unchecked"];

    /// <summary>
    /// Whether the JIT may fold <paramref name="e"/> to a constant: its code names no local, parameter, input or
    /// uniform (they are all lower-case; a static table, enum member or struct constructor counts as foldable).
    /// </summary>
    private static bool Foldable(Expr e) =>
        !System.Text.RegularExpressions.Regex.Matches(e.Code, @"(?<![\w.])[a-z_][A-Za-z0-9_]*").Any(m => !Keywords.Contains(m.Value));

    private Expr NewerUInt(int b)
    {
        switch (random.Next(12))
        {
            case 0: return SwitchExpression(Ty.UInt, b);
            case 1: return Rotate($"uint.{PickOf("RotateLeft", "RotateRight")}", UIntExpr(b), IntExpr(b));
            case 2: return Call(Ty.UInt, "BitOperations.RoundUpToPowerOf2", UIntExpr(b));
            case 3: return Call(Ty.UInt, $"uint.{PickOf("CreateTruncating", "CreateSaturating")}", IntExpr(b));
            case 4:
            {
                var f = ExactFloat(b, F32);
                if (f is null) return Leaf(Ty.UInt);
                return Binary(Ty.UInt, "&", Call(Ty.UInt, "BitConverter.SingleToUInt32Bits", f), UIntLiteral(0x7FFFFFFFu), PAnd);
            }
            case 5:
            {
                var h = ExactFloat(b, F16);
                if (h is null) return Leaf(Ty.UInt);
                return Binary(Ty.UInt, "&", new Expr($"(uint)BitConverter.HalfToUInt16Bits({h.Code})", Ty.UInt, PUnary, false, default, h.HasEffects), UIntLiteral(0x7FFFu), PAnd);
            }
            case 6: return Unsafe(Ty.UInt, b);
            case 7:
                uses.Add("UTab");
                return new Expr($"UTab[{Paren(IntExpr(b), PAnd + 1).Code} & 7]", Ty.UInt, PPrimary);
            case 8: return Cast(Ty.UInt, FlagsExpr(b));
            case 9: return GenericCall(Ty.UInt, b);
            case 10 when function.IsKernel && !IntAtomics: return AtomicUInt(b);
            default: return Cast(Ty.UInt, new Expr($"{PickOf("(byte)", "(ushort)")}{Paren(NonConst(Ty.UInt, b), PPrimary).Code}", Ty.Int, PUnary));
        }
    }

    private Expr NewerBool(int b)
    {
        switch (random.Next(8))
        {
            case 0 or 1:
            {
                bool onUInt = random.Next(4) == 0;
                var value = NonConst(onUInt ? Ty.UInt : Ty.Int, b);
                var patterns = DisjointPatterns(random.Next(1, 3), onUInt);
                var pattern = string.Join(" or ", patterns);
                var test = new Expr($"{Paren(value, PRel + 1).Code} is {pattern}", Ty.Bool, PRel, false, default, value.HasEffects);
                return random.Next(3) == 0 ? new Expr($"!({test.Code})", Ty.Bool, PUnary, false, default, value.HasEffects) : test;
            }
            case 2:
            {
                var f = ExactFloat(b, F32);
                if (f is null) return Leaf(Ty.Bool);
                var pattern = DisjointPatterns(1, false, "f")[0];
                return new Expr($"{Paren(f, PRel + 1).Code} is {pattern}", Ty.Bool, PRel, false, default, f.HasEffects);
            }
            case 3: return random.Next(2) == 0 ? Call(Ty.Bool, PickOf("int.IsPow2", "BitOperations.IsPow2"), IntExpr(b)) : Call(Ty.Bool, "uint.IsPow2", UIntExpr(b));
            case 4:
            {
                var p = AnyVar(Ty.Struct);
                if (p is null) return Leaf(Ty.Bool);
                var a = DisjointPatterns(1, false)[0];
                return random.Next(2) == 0
                    ? new Expr($"{p.Name} is {{ A: {a} }}", Ty.Bool, PRel)
                    : new Expr($"{p.Name} is {{ B: {a}, A: {DisjointPatterns(1, false)[0]} }}", Ty.Bool, PRel);
            }
            case 5:
            {
                var m = ModeExpr(b);
                return random.Next(3) switch
                {
                    0 => new Expr($"{Paren(m, PRel + 1).Code} is {string.Join(" or ", ModeMembers.OrderBy(_ => random.Next()).Take(2).Select(x => ModeName + "." + x))}", Ty.Bool, PRel),
                    1 => new Expr($"{Paren(m, PRel).Code} {PickOf("<", ">=", ">", "<=")} {ModeName}.{PickOf(ModeMembers)}", Ty.Bool, PRel),
                    _ => new Expr($"{Paren(m, PEq).Code} == {ModeName}.{PickOf(ModeMembers)}", Ty.Bool, PEq),
                };
            }
            case 6:
            {
                var f = FlagsExpr(b);
                return random.Next(3) switch
                {
                    0 => new Expr($"{Paren(f, PPrimary).Code}.HasFlag({FlagsName}.{PickOf(FlagMembers)})", Ty.Bool, PPrimary),
                    1 => new Expr($"({Paren(f, PAnd).Code} & {FlagsName}.{PickOf(FlagMembers)}) != 0", Ty.Bool, PEq),
                    _ => new Expr($"{Paren(f, PEq).Code} == {FlagsName}.None", Ty.Bool, PEq),
                };
            }
            default: return BoolExpr(b);
        }
    }

    private Expr? NewerFloat(int b)
    {
        switch (random.Next(8))
        {
            case 0: return SwitchExpression(Ty.Float, b);
            case 1:
                return new Expr($"BitConverter.Int32BitsToSingle(({Paren(IntExpr(b), PAnd + 1).Code} & 0x007FFFFF) | 0x3F800000)", Ty.Float, PPrimary, false, new ValueRange(2, -23, 0));
            case 2:
                return new Expr($"BitConverter.UInt32BitsToSingle(({Paren(UIntExpr(b), PAnd + 1).Code} & 0x007FFFFFu) | 0x40000000u)", Ty.Float, PPrimary, false, new ValueRange(4, -22, 0));
            case 3:
                return new Expr($"Unsafe.BitCast<int, float>(({Paren(IntExpr(b), PAnd + 1).Code} & 0x7FFFFF) | 0x3F000000)", Ty.Float, PPrimary, false, new ValueRange(1, -24, 0));
            case 4:
                return new Expr($"(float)BitConverter.Int16BitsToHalf((short)(({Paren(IntExpr(b), PAnd + 1).Code} & 0x3FF) | 0x3C00))", Ty.Float, PUnary, false, new ValueRange(2, -10, 0));
            case 5: return GenericCall(Ty.Float, b);
            case 6:
            {
                var m = MatrixExpr(b);
                var element = $"M{random.Next(1, 5)}{random.Next(1, 5)}";
                return new Expr($"{Paren(m, PPrimary).Code}.{element}", Ty.Float, PPrimary, false, m.Range, m.HasEffects);
            }
            default:
            {
                var (v, m) = (VectorExpr(Ty.Vector4, b), MatrixExpr(b));
                var product = ValueRange.Multiply(v.Range, m.Range, F32);
                var sum = product;
                for (int k = 1; k < 4; k++) sum = ValueRange.Add(sum, product, F32);
                return new Expr($"Vector4.Transform({v.Code}, {m.Code}).{PickOf("X", "Y", "Z", "W")}", Ty.Float, PPrimary, false, sum);
            }
        }
    }
}
