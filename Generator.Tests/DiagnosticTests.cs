using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Every construct outside the kernel language gets its KG diagnostic at the marked span, and
/// nothing else from the generator (which never throws).
/// </summary>
public class DiagnosticTests
{
    private const string Prelude = "using System;\nusing System.Linq;\nusing System.Numerics;\nusing KernelGen;\n\nnamespace Tests;\n\n";

    /// <summary>(id, source with the expected spans marked).</summary>
    public static TheoryData<string, string> Cases => new()
    {
        // Declarations.
        { "KG0001", "public partial class C { [Kernel] public void [|K|](ThreadId id, Span<float> y) { y[id.X] = 1f; } }" },
        { "KG0002", "public static partial class C { [Kernel] public static void K[|<T, U>|](ThreadId id, Span<float> y) { y[id.X] = 1f; } }" },
        { "KG0003", "public static partial class C { [Kernel] public static [|int|] K(ThreadId id, Span<float> y) { y[id.X] = 1f; return 0; } }" },
        { "KG0004", "public static class [|C|] { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = 1f; } }" },
        { "KG0004", "public class [|Outer|] { public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = 1f; } } }" },
        { "KG0005", "public static partial class [|C|]<T> { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = 1f; } }" },
        { "KG0005", "public partial interface [|I|] { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = 1f; } }" },
        { "KG0014", "public static partial class C { [Kernel] public static void [|K|](ThreadId id, Span<float> y) { } [Kernel] public static void [|K|](ThreadId id, Span<int> y) { } }" },
        // Parameters.
        { "KG0006", "public static partial class C { [Kernel] public static void K(ThreadId id, [|float[]|] data) { } }" },
        { "KG0006", "public static partial class C { [Kernel] public static void K(ThreadId id, [|string|] name) { } }" },
        { "KG0006", "public class Settings { public float Scale; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, [|Settings|] settings) { } }" },
        { "KG0006", "public static partial class C { [Kernel] public static void K(ThreadId id, [|double|] scale) { } }" },
        { "KG0006", "public static partial class C { [Kernel] public static void K(ThreadId id, [|params int[] values|]) { } }" },
        { "KG0006", "public static partial class C { [Kernel] public static unsafe void K(ThreadId id, [|float*|] p) { } }" },
        { "KG0007", "public static partial class C { [Kernel] public static void K(ThreadId id, [|ref|] int count) { } }" },
        { "KG0007", "public static partial class C { [Kernel] public static void K(ThreadId id, [|out|] float result) { result = 0f; } }" },
        { "KG0008", "public static partial class C { [Kernel] public static void K(ThreadId id, [|Span<bool>|] flags) { } }" },
        { "KG0008", "public static partial class C { [Kernel] public static void K(ThreadId id, [|Span<double>|] values) { } }" },
        { "KG0008", "public static partial class C { [Kernel] public static void K(ThreadId id, [|Span<char>|] values) { } }" },
        { "KG0009", "public struct In { public float A; }\npublic struct P { public float X; public In I; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y, [|P|] p) { } }" },
        { "KG0006", "public enum Big : ulong { A, B }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y, [|Big|] s) { } }" },
        { "KG0008", "public enum Wide : long { A, B }\npublic static partial class C { [Kernel] public static void K(ThreadId id, [|Span<Wide>|] y) { } }" },
        { "KG0017", "public enum Small : long { A, B }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { [|Small|] s = Small.B; y[0] = (int)s; } }" },
        { "KG0010", "public struct Item { public float A; public Vector4 B; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|Item|] item) { y[0] = item.A; } }" },
        { "KG0010", "public record struct Span2(float Start, Vector2 Extent);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|Span2|] s) { y[0] = s.Start; } }" },
        { "KG0010", "public struct Item2 { public float A { get; set; } public Vector4 B { get; set; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|Item2|] item) { y[0] = item.A; } }" },
        { "KG0010", "public struct Point3 { public Vector3 P; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|Point3|] p) { } }" },
        { "KG0011", "public static partial class C { [Kernel([|WorkgroupSize = 0|])] public static void K(ThreadId id, Span<float> y) { } }" },
        { "KG0011", "public static partial class C { [Kernel([|WorkgroupSizeZ = 128|])] public static void K(ThreadId id, Span<float> y) { } }" },
        { "KG0011", "public static partial class C { [[|Kernel(WorkgroupSize = 64, WorkgroupSizeY = 8)|]] public static void K(ThreadId id, Span<float> y) { } }" },
        { "KG0012", "public static partial class C { [Kernel] public static void K(ThreadId id, [GroupShared(64)] [|ReadOnlySpan<float>|] tile) { } }" },
        { "KG0012", "public static partial class C { [Kernel] public static void K(ThreadId id, [[|GroupShared(0)|]] Span<float> tile) { } }" },
        { "KG0012", "public static partial class C { [Kernel] public static void K(ThreadId id, [[|GroupShared(8192)|]] Span<float> tile) { } }" },
        { "KG0013", "public static partial class C { [Kernel] public static void K(ThreadId a, [|ThreadId|] b, Span<float> y) { } }" },
        { "KG0028", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> loop, Span<float> [|loop_|]) { } }" },
        // Statements.
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|try|] { y[id.X] = 1f; } catch (Exception) { } } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Vector3> y) { [|foreach|] (ref var v in y) { v.X = 1f; } } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|again|]: y[id.X] += 1f; [|goto|] again; } }" },
        // goto case translates, except inside a loop within the switch, and in a cycle (a loop: while).
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { switch (y[0]) { case 1: for (int k = 0; k < 3; k++) { if (y[k] > 0) [|goto|] case 2; } break; case 2: y[1] = 2; break; } } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { switch (y[0]) { case 1: y[1]++; if (y[1] < 5) [|goto|] case 1; break; case 2: y[1] = 2; break; } } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { switch (y[0]) { case 1: y[1]++; [|goto|] case 2; case 2: if (y[1] < 5) goto case 1; break; } } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { if (id.X > 3) [|throw|] new InvalidOperationException(); } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|lock|] (typeof(C)) { y[0] = 1f; } } }" },
        // Local functions: what they capture that the GPU cannot take (KG0069); recursion as for helpers (KG0019).
        { "KG0069", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { float[] a = new float[4]; a[1] = 2f; y[id.X] = [|Second()|]; float Second() => a[1]; } }" },
        { "KG0069", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { float acc = 1f; AddTo([|ref acc|]); y[id.X] = acc; void AddTo(ref float t) { t += acc; acc = 0f; } } }" },
        { "KG0069", "public struct S { public float A; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { S s = default; Set([|ref s.A|]); y[id.X] = s.A; void Set(ref float t) { t = 2f + s.A; } } }" },
        { "KG0019", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = F(3); static float F(int n) => n <= 0 ? 0f : [|F(n - 1)|] + 1f; } }" },
        { "KG0026", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = Apply(v => v * 2f, 1f); } static float Apply([|Func<float, float>|] f, float v) => v; }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|using|] (var s = new System.IO.MemoryStream()) { } } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|checked|] { y[0] = 1f; } } }" },
        // Expressions.
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|Func<float, float>|] f = v => v * 2f; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<float> x, Span<float> y) { y[0] = [|(from v in new[] { 1f } select v).Sum()|]; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|new float[4][0]|]; } }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|new float[] { 1f, 2f }|].Length; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|Math.Clamp(y[1], 1f, 0f)|]; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = [|int.Clamp(y[1], 5, -5)|]; } }" },
        { "KG0016", "public struct U { public float A; }\npublic struct S { public float A; public U In; public S(float a) { A = a; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<S> y) { y[0] = new S(1f) { A = 2f }; y[1] = new S(1f) { [|In = { A = 2f }|] }; } }" },
        { "KG0018", "public struct P(float a) { public float A = a; public float Twice() => a * 2f; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|new P(1f)|].A; } }" },
        { "KG0017", "public record struct R([|double|] A);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { R r = new R(1.0); y[0] = (float)r.A; y[1] = (float)r.A; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|double|] d = 1.5; y[0] = (float)d; } }" },
        // One diagnostic per root cause: the type, not also each call that takes or returns it.
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|var|] q = Quaternion.CreateFromAxisAngle(Vector3.UnitX, y[1]); y[0] = Vector3.Transform(Vector3.One, q).X; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Vector3.Transform(Vector3.One, [|Quaternion.Identity|]).X + Quaternion.Identity.W; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|var|] a = System.Runtime.Intrinsics.Vector128.Create(y[0], y[1], y[2], y[3]); var b = System.Runtime.Intrinsics.Vector128.Add(a, a); y[0] = System.Runtime.Intrinsics.Vector128.GetElement(b, 0); } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = System.Runtime.Intrinsics.Vector256.Sum([|System.Runtime.Intrinsics.Vector256.Create(y[1])|]); } }" },
        { "KG0016", "public static partial class C { [Kernel] public static async void K(ThreadId id, Span<float> y) { [|await System.Threading.Tasks.Task.Yield()|]; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = (float)[|Math.Sqrt(y[1])|]; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|decimal|] n = id.X; y[0] = (float)n; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|string|] s = \"a\"; } }" },
        { "KG0017", "public class Box { public float V; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|new Box()|].V; } }" },
        { "KG0018", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|MathF.BitIncrement(y[1])|]; } }" },
        { "KG0018", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|MathF.Round(y[1], 2)|]; } }" },
        { "KG0018", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = [|Math.DivRem(y[1], y[2], out int r)|] + r; } }" },
        { "KG0018", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|MathF.Round(y[1], 2, MidpointRounding.AwayFromZero)|]; } }" },
        { "KG0018", "public static class Box<T> { public static float Twice(float v) => v * 2f; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|Box<int>.Twice(1f)|]; } }" },
        // Generic kernels: a type argument WGSL lacks, at the call of the stub or in Types; a call that passes a type parameter on.
        { "KG0060", "public static partial class C { [Kernel] public static void K<T>(ThreadId id, Span<T> y) where T : INumber<T> { y[id.X] = T.One; } }\npublic static class Use { public static void Run(GpuStream s, GpuBuffer<double> y) => [|C.Gpu.K(s, y, 4)|]; }" },
        { "KG0060", "public static partial class C { [Kernel([|Types = new[] { typeof(float), typeof(long) }|])] public static void K<T>(ThreadId id, Span<T> y) where T : INumber<T> { y[id.X] = T.One; } }" },
        { "KG0060", "public static partial class C { [Kernel] public static void K<T>(ThreadId id, Span<T> y) where T : IFloatingPoint<T> { y[id.X] = T.One; } }\npublic static class Use { public static void Run(GpuStream s, GpuBuffer<int> y) => [|C.Gpu.K<int>(s, y, 4)|]; }" },
        { "KG0061", "public static partial class C { [Kernel] public static void K<T>(ThreadId id, Span<T> y) where T : INumber<T> { y[id.X] = T.One; } }\npublic static class Use { public static void Run<U>(GpuStream s, GpuBuffer<U> y) where U : unmanaged => [|C.Gpu.K(s, y, 4)|]; }" },
        // A generic kernel's body is checked for each type argument used: CreateChecked cannot throw on the GPU.
        { "KG0016", "public static partial class C { [Kernel(Types = new[] { typeof(int) })] public static void K<T>(ThreadId id, Span<T> y) where T : INumber<T> { y[id.X] = [|T.CreateChecked(id.X)|]; } }" },
        { "KG0019", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = F(5); } private static int F(int n) => n <= 1 ? 1 : n * [|F(n - 1)|]; }" },
        { "KG0019", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = A(5); } private static int A(int n) => n <= 0 ? 0 : B(n - 1); private static int B(int n) => [|A(n)|]; }" },
        { "KG0020", "public static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<float> x, Span<float> y) { [|x[id.X]|] = 1f; } }" },
        { "KG0021", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { float[] a = new float[2]; y[0] = a[[|1L|]]; } }" },
        { "KG0022", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { int i = 0; y[0] = [|y[i++]++|]; } }" },
        { "KG0022", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = [|y[Next(y)] += 2|]; } static int Next(Span<int> s) { s[1] = 5; return 1; } }" },
        { "KG0051", "public struct Px { public byte R, G, B, A; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<byte> data, Span<uint> y) { var row = [|data|].Slice(4, 8); y[0] = row[1]; } }" },
        { "KG0051", "public struct Px { public byte R, G, B, A; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Px> px, Span<uint> y) { y[0] = Sum([|px|][2..]); } static uint Sum(ReadOnlySpan<Px> s) => s[0].R; }" },
        { "KG0023", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { [|ThreadId|] copy = id; y[0] = copy.X; } }" },
        // static readonly values: constants fold into a WGSL const; a computed initializer, none, or a mutable static field do not.
        { "KG0024", "public static partial class C { private static float Scale = 2f; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|Scale|]; } }" },
        { "KG0024", "public static partial class C { private static readonly float Scale = MathF.Sqrt(2f); [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|Scale|] + Scale; } }" },
        { "KG0024", "public static partial class C { private static readonly Vector3 G = new(0f, -9.8f, 0f); private static readonly Vector3 H = G * 2f; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|H|].Y; } }" },
        { "KG0024", "public struct S { public float A; public S(float a) { A = a; } }\npublic static partial class C { private static readonly S One = new S(1f); [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|One|].A; } }" },
        { "KG0024", "public static partial class C { private static readonly float Scale; static C() { Scale = 2f; } [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|Scale|]; } }" },
        { "KG0024", "public static partial class C { private static readonly float Scale = float.NaN; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|Scale|]; } }" },
        // Lookup tables: writes, tables that are not static readonly, and elements that are not constants.
        { "KG0024", "public static partial class C { private static readonly float[] W = { 1f, 2f }; [Kernel] public static void K(ThreadId id, Span<float> y) { [|W[0]|] = y[0]; } }" },
        { "KG0024", "public static partial class C { private static readonly float[] W = { 1f, 2f }; [Kernel] public static void K(ThreadId id, Span<float> y) { [|W[id.X & 1]|] += 1f; y[0] = W[1]; } }" },
        { "KG0024", "public static partial class C { private static float[] W = { 1f, 2f }; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|W|][0] + W[1]; } }" },
        { "KG0024", "public static partial class C { private static readonly float[] W = { 1f, MathF.Sqrt(2f) }; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|W|][0]; } }" },
        { "KG0024", "public static partial class C { private static readonly float[] W = new float[4]; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|W|][0]; } }" },
        { "KG0024", "public static partial class C { private static readonly float[] W = { float.NaN }; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|W|][0]; } }" },
        { "KG0024", "public static partial class C { private static readonly float[] W = { 1f }; [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> a = stackalloc float[1]; a.CopyTo([|W|]); y[0] = a[0]; } }" },
        { "KG0026", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = Length(\"abc\"); } private static int Length([|string|] s) => 3; }" },
        // Span slices: of buffers and workgroup arrays, named once, never of per-invocation arrays, Vector3 or atomic buffers.
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Span<float> z) { Span<float> [|s = y.Slice(1)|]; s = z; s[0] = 1f; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Span<float> z) { Span<float> [|s = y.Slice(1)|]; s = id.X > 0 ? s[1..] : z[1..]; s[0] = 1f; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> [|s = y.Slice(1)|]; ref Span<float> r = ref s; r[0] = 1f; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Span<float> z) { [|y|] = z[1..]; y[0] = 1f; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Span<float> z) { Walk(y, z); } static void Walk(Span<float> s, Span<float> t) { if (t.Length > 1) [|s|] = t; s[0] = 1f; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> s = y.Slice(1); Use([|s = s[1..]|]); } static void Use(Span<float> t) { t[0] = 1f; } }" },
        { "KG0051", "public static partial class C { static ReadOnlySpan<float> W => new float[] { 1f, 2f, 3f }; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Load([|W.Slice(1)|], 0); } private static float Load(ReadOnlySpan<float> s, int i) => s[i]; }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> a = stackalloc float[4]; y[0] = Load(a[..2], [|a|]); } private static float Load(ReadOnlySpan<float> s, Span<float> t) => s[0] + t[0]; }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Vector3> v, Span<float> y) { Span<Vector3> w = [|v|].Slice(1); y[0] = w[0].X; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> c) { System.Threading.Interlocked.Increment(ref c[0]); c[1] = Load([|c|][2..], 0); } private static int Load(ReadOnlySpan<int> s, int i) => s[i]; }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Span<float> z) { Span<float> s = y[1..]; Span<float> t = [|id.X > 0 ? s : z|]; t[0] = 1f; } }" },
        { "KG0051", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, ReadOnlySpan<float> z) { y[0] = Sum([|id.X > 0 ? y[1..] : z|]); } static float Sum(ReadOnlySpan<float> s) => s[0]; }" },
        { "KG0027", "public static partial class C { [Kernel] public static unsafe void K(ThreadId id, Span<float> y) { [|unsafe|] { y[0] = 1f; } } }" },
        { "KG0030", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, int n) { int i = id.X; if (i >= n) return; y[i] = 1f; [|Workgroup.Barrier()|]; } }" },
        { "KG0030", "public static partial class C { [Kernel] public static void K(LocalId local, Span<float> y) { if (local.X < 4) { [|Workgroup.Barrier()|]; } } }" },
        { "KG0030", "public static partial class C { [Kernel] public static void K(ThreadId id, [GroupShared(64)] Span<float> t, Span<float> y) { float v = t[0]; for (int k = 0; k < v; k++) { [|Sync()|]; } } static void Sync() => Workgroup.Barrier(); }" },
        { "KG0027", "public static partial class C { [Kernel] public static unsafe void K(ThreadId id, Span<float> y) { float v = 1f; [|float*|] p = &v; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { ref float c = ref y[0]; [|c = ref y[1]|]; c = 2f; } }" },
        { "KG0016", "public struct P { public float A, B; public void Deconstruct(out float a, out float b) { a = A; b = B; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { P p = default; var (a, b) = [|p|]; y[1] = a + b; } }" },
        { "KG0050", "public struct P { public int A, B; public void Deconstruct(out int a, out int b) { a = A; b = B; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { P p = default; y[0] = p is [|(1, 2)|] ? 1 : 0; } }" },
        { "KG0050", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = [|y[1] is uint|] ? 1 : 0; } }" },
        { "KG0032", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|y[0] = " + string.Join(" + ", Enumerable.Repeat("y[1]", 10000)) + "|]; } }" },
        { "KG0033", "public static partial class C { [Kernel] public static void [|K|](ThreadId id, Span<float> y) { y[0] = H0(y[1]); } "
            + string.Concat(Enumerable.Range(0, 30).Select(i => $"static float H{i}(float v) => {(i == 29 ? "v" : $"H{i + 1}(v) + H{i + 1}(v * 0.5f)")}; ")) + "}" },
        // Subgroup operations have the uniformity rule of barriers; their results differ between subgroups.
        { "KG0045", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { if (id.X < 4) { y[0] = [|Subgroup.Add(1f)|]; } } }" },
        { "KG0045", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, int n) { if (id.X >= n) return; y[id.X] = [|Subgroup.Max(y[id.X])|]; } }" },
        { "KG0045", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { if (Subgroup.Elect()) { y[0] = [|Subgroup.Add(1f)|]; } } }" },
        { "KG0045", "public static partial class C { [Kernel] public static void K(SubgroupId sg, Span<float> y) { while (sg.Lane < 3) { y[0] = [|Sum(1f)|]; } } static float Sum(float v) => Subgroup.Add(v); }" },
        { "KG0045", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { float v = y[id.X]; y[0] = v > 0f ? [|Subgroup.Add(v)|] : 0f; } }" },
        { "KG0030", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { if (Subgroup.Any(y[0] > 0f)) { [|Workgroup.Barrier()|]; } } }" },
        { "KG0046", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<uint> y, int w) { y[0] = Subgroup.Ballot(true, [|w|]); } }" },
        { "KG0047", "public static partial class C { [Kernel] public static void K(SubgroupId sg, Span<float> y) { y[0] = Subgroup.ShuffleUp(y[0], [|sg.Lane % 2|]); } }" },
        { "KG0047", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Down(y[1], id.X); } static float Down(float v, int d) => Subgroup.ShuffleDown(v, [|d|]); }" },
        // Inside helpers, with the parameters that a call gives per-invocation values.
        { "KG0045", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = F(1f, id.X); } static float F(float v, int c) { if (c == 0) return [|Subgroup.Add(v)|]; return v; } }" },
        { "KG0045", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = F(y); } static float F(Span<float> s) { float r = 0f; if (s[0] > 1f) r = [|Subgroup.Max(r)|]; return r; } }" },
        { "KG0030", "public static partial class C { [Kernel] public static void K(LocalId local, Span<float> y) { Sync(local.Index); } static void Sync(int c) { if (c > 3) [|Workgroup.Barrier()|]; } }" },
        // An id passed to a helper is as non-uniform there as in the kernel; an id that is not the caller's id parameter is no value.
        { "KG0030", "public static partial class C { [Kernel] public static void K(LocalId local, Span<float> y) { Sync(local); } static void Sync(LocalId l) { if (l.X > 3) [|Workgroup.Barrier()|]; } }" },
        { "KG0023", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = X([|default|]); } static int X(ThreadId t) => t.X; }" },
        { "KG0046", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<uint> y) { y[0] = Subgroup.Ballot(id.X > 1, [|4|]); } }" },
        { "KG0023", "public static partial class C { [Kernel] public static void K(SubgroupId sg, Span<int> y) { [|SubgroupId|] copy = sg; y[0] = copy.Lane; } }" },
        { "KG0013", "public static partial class C { [Kernel] public static void K(SubgroupId a, [|SubgroupId|] b, Span<int> y) { y[0] = a.Lane; } }" },
        // Per-invocation arrays.
        { "KG0055", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, int n) { Span<float> a = stackalloc float[[|n|]]; y[0] = a[0]; } }" },
        { "KG0055", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [Specialize] int block) { Span<float> a = stackalloc float[[|block|]]; y[0] = a[0]; } }" },
        { "KG0055", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|float[,]|] a = new float[2, 2]; y[0] = a[0, 0]; } }" },
        { "KG0055", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> [|a = stackalloc float[4096]|]; y[0] = a[0]; } }" },
        { "KG0055", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { int[] a = new int[[|0|]]; y[0] = a.Length; } }" },
        { "KG0056", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> a = stackalloc float[4]; y[0] = a[[|4|]]; } }" },
        { "KG0056", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { int[] a = { 1, 2 }; a[[|2|]] = 3; y[0] = a[0]; } }" },
        { "KG0056", "public static partial class C { [Kernel] public static void K(ThreadId id, [GroupShared(8)] Span<float> t, Span<float> y) { t[[|8|]] = 1f; } }" },
        { "KG0056", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> a = stackalloc float[2]; Fill(a); y[0] = a[0]; } static void Fill(Span<float> s) { s[[|2|]] = 1f; } }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> a = stackalloc float[4]; Span<float> b = [|a|]; y[0] = b[0]; } }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { float[] a = new float[2]; float[] b = new float[2]; [|a|] = b; y[0] = a[0]; } }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> [|a|]; y[0] = 1f; } }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> a = stackalloc float[2]; Add(a, [|a|]); y[0] = a[0]; } static void Add(Span<float> p, Span<float> q) { p[0] += q[1]; } }" },
        { "KG0057", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Sum([|stackalloc float[] { 1f, 2f }|]); } static float Sum(ReadOnlySpan<float> s) => s[0] + s[1]; }" },
        // Specialisation constants.
        { "KG0058", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Vector4> y, [Specialize] [|Vector4|] v) { y[0] = v; } }" },
        { "KG0058", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [Specialize] [|Span<float>|] z) { y[0] = z[0]; } }" },
        { "KG0058", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = F(2); } static float F([Specialize] [|int|] n) => n; }" },
        { "KG0058", "public enum Huge : long { A, B }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [Specialize] [|Huge|] t) { y[0] = t == Huge.B ? 1f : 0f; } }" },
        { "KG0059", "public static partial class C { [Kernel([|WorkgroupSizeFrom = \"nope\"|])] public static void K(ThreadId id, Span<float> y, [Specialize] int n) { y[0] = n; } }" },
        { "KG0059", "public static partial class C { [Kernel([|WorkgroupSizeFrom = nameof(n)|])] public static void K(ThreadId id, Span<float> y, int n) { y[0] = n; } }" },
        { "KG0059", "public static partial class C { [Kernel(WorkgroupSize = 64, [|WorkgroupSizeYFrom = nameof(n)|])] public static void K(ThreadId id, Span<float> y, [Specialize] int n) { y[0] = n; } }".Replace("WorkgroupSize = 64", "WorkgroupSizeY = 2") },
        { "KG0059", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [Specialize] float f, [[|GroupShared(nameof(f))|]] Span<float> t) { y[0] = t[0] * f; } }" },
        // Matrices: members without a translation, constant indices outside the matrix.
        { "KG0062", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Matrix4x4 m) { y[0] = [|m.GetDeterminant()|]; } }" },
        { "KG0062", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Matrix4x4> y, Matrix4x4 m) { [|Matrix4x4.Invert(m, out var inverse)|]; y[0] = inverse; } }" },
        { "KG0062", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Matrix4x4> y, Vector3 e) { y[0] = [|Matrix4x4.CreateLookAt(e, Vector3.Zero, Vector3.UnitY)|]; } }" },
        { "KG0062", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Matrix4x4> y, Vector3 t) { Matrix4x4 m = y[0]; [|m.Translation|] = t; y[0] = m; } }" },
        { "KG0062", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Matrix3x2> y, float a) { y[0] = [|Matrix3x2.CreateRotation(a)|]; } }" },
        { "KG0063", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, Matrix4x4 m) { y[0] = m[[|4|], 0]; } }" },
        { "KG0063", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Matrix3x2> y) { Matrix3x2 m = y[0]; m[0, [|2|]] = 1f; y[0] = m; } }" },
        { "KG0063", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Vector2> y, Matrix3x2 m) { y[0] = m.GetRow([|3|]); } }" },
        // Atomics: on buffer and shared-array elements of int, uint (float for some), and only the operations WGSL has.
        { "KG0040", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { int c = 0; System.Threading.Interlocked.Increment(ref [|c|]); y[0] = c; } }" },
        { "KG0040", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y, int n) { y[0] = System.Threading.Interlocked.Add(ref [|n|], 1); } }" },
        { "KG0040", "public struct Counter { public int Count; public int Other; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Counter> items) { Counter c = items[0]; System.Threading.Interlocked.Increment(ref [|c.Count|]); items[1] = c; } }" },
        // Atomics on fields of struct elements: whole, aligned 32-bit fields of elements that can be held as words.
        { "KG0071", "public struct Px { public byte R, G, B, A; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Px> p) { [|System.Threading.Interlocked.Exchange(ref p[0].R, (byte)1)|]; } }" },
        { "KG0071", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<short> p) { [|System.Threading.Interlocked.CompareExchange(ref p[0], (short)1, (short)0)|]; } }" },
        { "KG0071", "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)] public struct Tight { public byte Tag; public int Count; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Tight> t) { System.Threading.Interlocked.Increment(ref [|t[id.X].Count|]); } }" },
        // Atomics through references: a helper's ref parameter given a place without atomic memory (KG0074).
        { "KG0074", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { int local = 0; Bump(ref local); Bump(ref y[0]); y[1] = local; } static void Bump(ref int c) => System.Threading.Interlocked.Increment(ref [|c|]); }" },
        { "KG0074", "public struct Counter { public int Count; public int Other; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Counter> items) { Counter c = items[0]; Add(ref c); items[1] = c; } static void Add(ref Counter c) => System.Threading.Interlocked.Add(ref [|c.Count|], 2); }" },
        { "KG0072", "public struct Flagged { public int Count; public bool Seen; }\npublic static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<int> y, [GroupShared(8)] Span<Flagged> f) { System.Threading.Interlocked.Increment(ref [|f[local.Index & 7].Count|]); Workgroup.Barrier(); if (local.Index == 0) y[0] = f[0].Count; } }" },
        { "KG0040", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { Bump(y); } static void Bump(Span<int> s) { int local = s[0]; KernelGen.Atomic.Max(ref [|local|], 3); s[1] = local; } }" },
        // A place of an array atomics use that cannot be atomic (a ref local's target, an assignment inside an expression): one clear error.
        { "KG0041", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Vector4> v) { [|System.Threading.Interlocked.Exchange(ref v[0], Vector4.One)|]; } }" },
        { "KG0043", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { float v = y[0]; [|System.Runtime.CompilerServices.Unsafe.As<float, uint>(ref v)|] = 1u; y[1] = v; } }" },
        { "KG0043", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y, Half h) { y[0] = [|System.Runtime.CompilerServices.Unsafe.BitCast<Half, short>(h)|]; } }" },
        { "KG0043", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y, Half h) { y[0] = [|BitConverter.Int16BitsToHalf(BitConverter.HalfToInt16Bits(h))|] > h ? 1 : 0; } }" },
        { "KG0042", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { [|System.Threading.Interlocked.MemoryBarrier()|]; y[0] = 1; } }" },
        // Uniformity in every position: WGSL never reconverges after an exit taken by some invocations only.
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { for (int k = 0; k < 4; k++) { if (local.Index > k) break; [|Workgroup.Barrier()|]; } } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { for (int k = 0; k < 4; k++) { [|Workgroup.Barrier()|]; if (local.Index > k) break; y[0] = 1f; } } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { for (int k = 0; k < 4; k++) { [|Workgroup.Barrier()|]; if (local.Index > k) continue; y[0] = 1f; } } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { int k = 0; do { [|Workgroup.Barrier()|]; k++; } while (k < local.Index); } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { switch (local.Index) { case 0: [|Workgroup.Barrier()|]; break; default: break; } } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { y[0] = local.Index > 3 ? [|F()|] : 0f; } static float F() { Workgroup.Barrier(); return 1f; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { if (local.Index > 3 && [|G()|]) y[0] = 1f; } static bool G() { Workgroup.Barrier(); return true; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { bool b = local.Index > 3 || [|G()|]; y[0] = b ? 1f : 0f; } static bool G() { Workgroup.Barrier(); return true; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { if (local.Index > 3) [|H()|]; } static void H() { S(); } static void S() { Workgroup.Barrier(); } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { float v = local.Index > 3 ? 1f : 2f; if (v > 1f) [|Workgroup.Barrier()|]; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { int n = local.Index switch { 0 => 1, _ => 2 }; for (int k = 0; k < n; k++) [|Workgroup.Barrier()|]; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { for (int k = 0; k < 4; k++) { [|Sync()|]; if (local.Index > k) return; } } static void Sync() => Workgroup.Barrier(); }" },
        // The uniformity pass (Passes/Uniformity.cs): a loop some invocations leave by a return, a local written under
        // per-invocation control, a loop bound a local set in the loop decides, a helper waiting under a
        // per-invocation parameter reached through another helper, a subgroup operation after a && with a helper.
        // (After a loop some leave by break, or a call of a helper that returns early for some, WGSL reconverges:
        // Corpus/Uniformity.cs ReconvergingExits, Runtime.Tests/UniformityOnDawnTests.cs.)
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { for (int k = 0; k < 4; k++) { if (local.Index > k) return; } [|Workgroup.Barrier()|]; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { int k = 0; if (local.Index > 3) k = 1; if (k > 0) [|Workgroup.Barrier()|]; } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { int n = 4; for (int k = 0; k < n; k++) { [|Workgroup.Barrier()|]; n = local.Index; } } }" },
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { Outer(local.Index); } static void Outer(int c) { Inner(c + 1); } static void Inner(int c) { if (c > 3) [|Workgroup.Barrier()|]; } }" },
        // Conservative (Dawn accepts it: UniformityOnDawnTests): a local is per-invocation wherever any write makes it so.
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { int k = local.Index; y[0] = k; k = 0; if (k > 0) [|Workgroup.Barrier()|]; } }" },
        { "KG0045", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y) { float v = 0f; bool any = local.Index > 3 && Positive(y); if (any) v = [|Subgroup.Add(1f)|]; y[0] = v; } static bool Positive(Span<float> s) => s[0] > 0f; }" },
        // One error per root cause: a rejected type, struct member, buffer or local is reported once, at its declaration, however often it is used.
        { "KG0008", "public static partial class C { [Kernel] public static void K(ThreadId id, [|Span<double>|] y, Span<float> z) { y[0] = 1; y[id.X] += 2; y[1]++; z[0] = (float)y[0]; z[1] = y.Length; } }" },
        { "KG0008", "public static partial class C { [Kernel] public static void K(ThreadId id, [|Span<decimal>|] y) { y[0] = 1; y[1] = y[0]; y[2] = 2; y[3] = y[2]; y[4] = 3; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|double|] d = 1; y[0] = (float)d; y[1] = (float)d; y[2] = (float)d; y[3] = (float)d; y[4] = (float)(d * d); } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|double|] a = 1, b = 2; double c = a + b; y[0] = (float)c; y[1] = (float)(a * b); y[2] = (float)Math.Sqrt(c); } }" },
        { "KG0017", "public struct Bad { public [|double|] D; public float F; }\npublic struct Outer { public Bad B; public float G; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Outer o = default; Bad b = default; y[0] = o.G; y[1] = (float)o.B.D; y[2] = b.F; y[3] = F(b); y[4] = (float)b.D; } static float F(Bad b) => b.F; }" },
        { "KG0017", "public struct Auto { public [|double|] A { get; set; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Auto a = default; y[0] = (float)a.A; y[1] = (float)a.A; a.A = 2f; y[2] = (float)a.A; y[3] = (float)(a.A + a.A); } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|Func<float>|] f = () => 1f; y[0] = f(); y[1] = f(); y[2] = f() + f(); y[3] = f(); } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|var|] t = (1, 2, 3, 4, 5, 6, 7, 8f); y[0] = t.Item8; y[1] = t.Item1; t.Item1 = 3; y[2] = t.Item1; } }" },
        // Tuples: values everywhere in the kernel, but never in host memory (ValueTuple's layout is not stable).
        { "KG0067", "public static partial class C { [Kernel] public static void K(ThreadId id, [|Span<(float, int)>|] y) { y[0] = (1f, 2); } }" },
        { "KG0067", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|(float lo, float hi)|] range) { y[0] = range.lo; } }" },
        { "KG0067", "public struct Band { public (float, float) Range; public float W; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, [|ReadOnlySpan<Band>|] b, Span<float> y) { y[0] = b[0].W; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { var t = (1, 2f); y[0] = [|t|] == (1u, 2f) ? 1f : 0f; } }" },
        { "KG0006", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|double|] s) { y[0] = (float)s; y[1] = (float)s; y[2] = (float)s; y[3] = (float)s; y[4] = (float)(s * s); } }" },
        { "KG0026", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = F(1); y[1] = F(2); y[2] = F(3); y[3] = F(4); y[4] = F(5); } static float F([|double|] d) => (float)d; }" },
        // Buffers in C#'s byte layout (byte fields, Vector3 after a float, Pack): what cannot be reproduced, and what an element cannot do.
        { "KG0065", "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct U { [System.Runtime.InteropServices.FieldOffset(0)] public byte B; [System.Runtime.InteropServices.FieldOffset(0)] public ushort S; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, [|Span<U>|] u) { } }" },
        // long and ulong: what has no exact translation on two u32 words.
        { "KG0075", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<long> y) { y[0] = [|Math.BigMul(y[1], y[2], out long low)|] + low; } }" },
        { "KG0075", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<long> y) { y[0] = [|long.MinMagnitude(y[1], y[2])|]; } }" },
        { "KG0075", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<long> y) { y[0] = [|Math.DivRem(y[1], y[2], out long r)|] + r; } }" },
        { "KG0075", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<long> y) { y[0] = [|long.MaxMagnitude(y[1], y[2])|]; } }" },
        { "KG0041", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<long> y) { [|System.Threading.Interlocked.Add(ref y[0], 1L)|]; } }" },
        { "KG0065", "public struct P { public long A; public byte B; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, [|Span<P>|] p) { } }" },
        { "KG0058", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<long> y, [Specialize] [|long|] n) { y[0] = n; } }" },
        { "KG0066", "public struct Rgb { public byte R, G, B; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Rgb> p) { if (id.X < [|p.Length|]) p[id.X].R = 1; } }" },
        { "KG0066", "public struct Rgba { public byte R, G, B, A; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Rgba> p, Rgba a) { int n; ([|p[0]|], n) = (a, 1); p[1].R = (byte)n; } }" },
        // Records and properties (corpus Records, Properties).
        { "KG0064", "public record struct Pose(Matrix4x4 World, float Weight);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Pose a = default, b = default; y[0] = [|a == b|] ? 1f : 0f; } }" },
        { "KG0064", "public struct Tagged { public int T; public override bool Equals(object o) => false; public override int GetHashCode() => 0; }\npublic record struct R(Tagged A);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { R a = default, b = default; y[0] = [|a != b|] ? 1f : 0f; } }" },
        { "KG0018", "public record struct R(int A, float B);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { R r = new R(1, 2f); y[0] = [|r.GetHashCode()|]; } }" },
        { "KG0018", "public record struct R(int A, float B);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { R r = new R(1, 2f); y[0] = [|r.Equals((object)r)|] ? 1 : 0; } }" },
        { "KG0016", "public struct T { public float K; public float C { readonly get => K - 1f; set => K = value + 1f; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { T t = default; [|t.C|] += 2f; y[0] = t.K; } }" },
        { "KG0016", "public struct T { public float K; public float C { readonly get => K - 1f; set => K = value + 1f; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { T t = default; y[0] = [|t.C|]++; } }" },
        { "KG0016", "public struct U { public float K; }\npublic struct T { public float K; public U D; public float C { readonly get => K - 1f; set => K = value + 1f; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { T t = new T { C = 2f }; y[0] = t.K; var u = new T { [|D = { K = 1f }|] }; y[1] = u.K; } }" },
        { "KG0016", "public struct T { public float K; public float this[int i] { readonly get => K; set => K = value + i; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { T t = new T { [|[1] = 2f|] }; y[0] = t.K; } }" },
        { "KG0024", "public struct S { public float A; public static float Scale { get; } = 2f; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = [|S.Scale|]; } }" },
        { "KG0016", "public record struct R(int A, int B);\npublic record struct Q(R Inner, int C);\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { Q q = default; var ([|(a, b)|], c) = q; y[0] = a + b + c; } }" },
        { "KG0066", "public struct Rgba { public byte R, G, B, A; public void Clear() { R = 0; } }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<Rgba> p) { ref Rgba q = ref p[id.X]; [|q|].Clear(); } }" },
        // A conditional expression with a helper call in a branch runs as if/else before its statement: not where that changes what runs or in which order.
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_diagnostic_at_the_marked_span(string id, string markup)
    {
        var (source, spans) = Markup.Parse(Prelude + markup);
        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Exception);
        var reported = run.Diagnostics.Select(d => $"{d.Id} {d.Location.SourceSpan} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}").ToList();
        var expected = spans.Select(s => $"{id} {s} '{source.Substring(s.Start, s.Length)}'").ToList();
        Assert.Equal(expected, reported.Select(r => r.Substring(0, r.IndexOf("':", StringComparison.Ordinal) + 1)).ToList());
        Assert.All(run.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void Every_descriptor_has_a_test_case_and_is_listed_in_the_release_tracking_file()
    {
        var tested = Cases.Select(c => (string)c[0]).ToHashSet();
        var unshipped = File.ReadAllText(Path.Combine(Snapshot.Directory, "..", "..", "Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in typeof(KernelGenerator).Assembly.GetType("KernelGen.Generator.DiagnosticDescriptors")!
            .GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor)).Select(f => (DiagnosticDescriptor)f.GetValue(null)!))
        {
            Assert.Contains($"{descriptor.Id} | KernelGen | Error | {descriptor.Title}", unshipped, StringComparison.Ordinal);
            // KG0029 reports an internal failure of the generator, which no input is known to cause.
            if (descriptor.Id != "KG0029")
                Assert.Contains(descriptor.Id, tested);
        }
    }

    [Fact]
    public void A_static_readonly_value_that_is_not_constant_says_what_works()
    {
        var run = GeneratorHarness.Run(Prelude + "public static partial class C { private static readonly Vector3 G = Make(); static Vector3 Make() => Vector3.One; [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = G.Y; } }");
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("'G' cannot be used in a kernel: the initializer of 'C.G' (Make()) is not made of constants, so it has no value when the WGSL module is built: initialize it with constants (2f, new Vector3(0f, -9.8f, 0f), Vector3.UnitY, new S { A = 1f }), or pass the value as a uniform parameter", diagnostic.GetMessage());
    }

    [Fact]
    public void Messages_say_what_to_write_instead()
    {
        var run = GeneratorHarness.Run(Prelude + "public static class C { [Kernel(WorkgroupSize = 512)] public static int K(ThreadId id, Span<bool> y) { return 0; } }");
        var messages = run.Diagnostics.ToDictionary(d => d.Id, d => d.GetMessage());
        Assert.Equal("Type 'C' contains kernel 'K' and must be declared partial, because the generator adds the nested classes Kernels and Gpu to it: write 'partial static class C'", messages["KG0004"]);
        Assert.Equal("Kernel 'K' returns 'int'; kernels return void and write their results into a Span<T> buffer parameter", messages["KG0003"]);
        Assert.Equal("Invalid workgroup size for kernel 'K': WorkgroupSize is 512, above WebGPU's default limit of 256 for this dimension", messages["KG0011"]);
        Assert.Equal("Buffer 'y' has element type 'bool', which cannot be stored in a WGSL storage buffer: bool has no defined size in GPU buffers: store an int (0 or 1) or a uint", messages["KG0008"]);
    }
}
