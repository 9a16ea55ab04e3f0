using KernelGen.Generator.Tests.Infrastructure;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The phased CPU form of barrier kernels (an iterator split at barriers): which kernels get it, what
/// it looks like, and that the code it adds compiles cleanly; the others say why in their KernelInfo.
/// </summary>
public class CpuFormTests
{
    private const string Header = "using System;\nusing KernelGen;\nnamespace Demo;\npublic static partial class K\n{\n";

    private static GeneratorRun Generate(string members)
    {
        var run = GeneratorHarness.Run(Header + members + "\n}\n");
        Assert.Null(run.Exception);
        Assert.Empty(run.Diagnostics.Select(d => d.ToString()));
        Assert.Empty(run.OutputProblems.Select(d => d.ToString()));
        return run;
    }

    [Fact]
    public void Barriers_become_yields_and_returns_become_yield_breaks()
    {
        var run = Generate("""
            [Kernel(WorkgroupSize = 16)]
            public static void Scan(LocalId local, GroupId group, Span<int> y, int rounds, [GroupShared(16)] Span<int> tile)
            {
                if (rounds == 0)
                    return;
                tile[local.Index] = y[group.X * 16 + local.Index];
                Workgroup.Barrier();
                for (int r = 0; r < rounds; r++)
                {
                    int v = tile[(local.Index + 1) % tile.Length];
                    Workgroup.StorageBarrier();
                    tile[local.Index] += v;
                    Workgroup.Barrier();
                }
                y[group.X * 16 + local.Index] = tile[local.Index];
            }
            """);
        var form = run.Sources["Demo.K.Scan.CpuForm.g.cs"];
        Assert.Contains("IEnumerator<int> KernelGenCpuPhases(global::KernelGen.LocalId local, global::KernelGen.GroupId group, global::KernelGen.CpuSpan<int> y, int rounds, global::KernelGen.CpuSpan<int> tile)", form);
        Assert.Contains("yield break;", form);
        Assert.Contains("yield return 0;", form);
        Assert.Contains("yield return 1;", form);
        Assert.Contains("yield return 2;", form);
        Assert.DoesNotContain("Barrier", form.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && !l.Contains("summary", StringComparison.Ordinal)));
        Assert.Contains("CpuPhased = static (in global::KernelGen.CpuInvocation inv) => global::Demo.K.KernelGenCpuForm_Scan.KernelGenCpuPhases(inv.Local, inv.Group, inv.BufferView<int>(0), inv.Uniform<int>(0), inv.SharedView<int>(0)),",
            run.Sources["Demo.K.Kernels.g.cs"]);
    }

    [Fact]
    public void Span_parameters_passed_to_span_helpers_keep_the_phased_form()
    {
        var run = Generate("""
            private static float First(ReadOnlySpan<float> values) => values[0];

            [Kernel(WorkgroupSize = 8)]
            public static void Broadcast(LocalId local, ReadOnlySpan<float> x, Span<float> y, [GroupShared(8)] Span<float> tile)
            {
                tile[local.Index] = First(x) + x.Length;
                Workgroup.Barrier();
                y[local.Index] = First(tile);
            }
            """);
        Assert.True(run.Sources.ContainsKey("Demo.K.Broadcast.CpuForm.g.cs"));
    }

    [Fact]
    public void A_barrier_inside_a_helper_keeps_the_threaded_path_and_says_why()
    {
        var run = Generate("""
            private static void Sync() => Workgroup.Barrier();

            [Kernel(WorkgroupSize = 8)]
            public static void ViaHelper(LocalId local, Span<float> y, [GroupShared(8)] Span<float> tile)
            {
                tile[local.Index] = local.Index;
                Sync();
                y[local.Index] = tile[7 - local.Index];
            }
            """);
        Assert.DoesNotContain(run.Sources.Keys, k => k.Contains("CpuForm", StringComparison.Ordinal));
        var info = run.Sources["Demo.K.Kernels.g.cs"];
        Assert.DoesNotContain("CpuPhased", info);
        Assert.Contains("// CPU backend: threaded barrier path ('Sync' (called by the kernel) uses a barrier).", info);
    }

    [Fact]
    public void Kernels_without_barriers_get_no_phased_form()
    {
        var run = Generate("""
            [Kernel(WorkgroupSize = 8)]
            public static void Plain(ThreadId id, Span<float> y) { if (id.X < y.Length) y[id.X] = 1f; }
            """);
        Assert.DoesNotContain(run.Sources.Keys, k => k.Contains("CpuForm", StringComparison.Ordinal));
        Assert.DoesNotContain("CPU backend", run.Sources["Demo.K.Kernels.g.cs"]);
    }
}
