using KernelGen.Backends;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The uniformity pass (Generator/Translation/Passes/Uniformity.cs) against Dawn's own analysis, on WGSL written as
/// the generator prints it for the KG0030 cases of Generator.Tests/DiagnosticTests.cs and the shapes it accepts: what
/// the pass rejects, Dawn refuses, except the shapes listed as conservative (the pass rejects them, Dawn accepts
/// them); what the pass accepts, Dawn accepts (the corpus kernels, Generator.Tests/Corpus/Uniformity.cs, compile in
/// CompileAndAllocationTests too).
/// </summary>
public class UniformityOnDawnTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const string Refused = "refused";
    private const string Accepted = "accepted";

    /// <summary>Conservative: the pass rejects it (a local is per-invocation wherever any write makes it so), Dawn accepts it.</summary>
    private const string Conservative = "conservative";

    /// <summary>(name, helper functions, entry body, what Dawn does with it).</summary>
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // Rejected by the pass (KG0030), and by Dawn.
        { "barrier_under_per_invocation_if", "", "if (li < 4u) { workgroupBarrier(); }", Refused },
        { "barrier_after_per_invocation_return", "", "if (li >= 7u) { return; } y[li] = 1.0; workgroupBarrier();", Refused },
        { "barrier_after_per_invocation_break_in_loop", "", "for (var k = 0u; k < 4u; k++) { if (li > k) { break; } workgroupBarrier(); }", Refused },
        { "barrier_before_per_invocation_break_in_loop", "", "for (var k = 0u; k < 4u; k++) { workgroupBarrier(); if (li > k) { break; } y[0] = 1.0; }", Refused },
        { "barrier_before_per_invocation_continue_in_loop", "", "for (var k = 0u; k < 4u; k++) { workgroupBarrier(); if (li > k) { continue; } y[0] = 1.0; }", Refused },
        { "barrier_before_per_invocation_return_in_loop", "", "for (var k = 0u; k < 4u; k++) { workgroupBarrier(); if (li > k) { return; } }", Refused },
        { "barrier_in_loop_with_per_invocation_condition", "", "for (var k = 0u; k < li; k++) { workgroupBarrier(); }", Refused },
        { "barrier_in_do_while_with_per_invocation_condition", "", "var k = 0u; loop { workgroupBarrier(); k++; continuing { break if !(k < li); } }", Refused },
        { "barrier_in_per_invocation_switch", "", "switch (li) { case 0u: { workgroupBarrier(); } default: { } }", Refused },
        { "barrier_under_local_assigned_under_per_invocation_if", "", "var k = 0u; if (li > 3u) { k = 1u; } if (k > 0u) { workgroupBarrier(); }", Refused },
        { "barrier_in_loop_whose_condition_a_local_assigned_in_it_decides", "", "var n = 4u; for (var k = 0u; k < n; k++) { workgroupBarrier(); n = li; }", Refused },
        { "barrier_helper_after_per_invocation_and", "fn g() -> bool { workgroupBarrier(); return true; }", "var b = li > 3u; if (b) { b = g(); } y[0] = select(0.0, 1.0, b);", Refused },
        { "barrier_helper_under_per_invocation_parameter", "fn s(c: u32) { if (c > 3u) { workgroupBarrier(); } }", "s(li);", Refused },
        { "barrier_after_loop_that_some_leave_by_return", "", "for (var k = 0u; k < 4u; k++) { if (li > k) { return; } } workgroupBarrier();", Refused },
        { "barrier_under_workgroup_array_value", "", "t[li] = f32(li); workgroupBarrier(); if (t[0] > 0.0) { workgroupBarrier(); }", Refused },
        { "barrier_under_read_write_buffer_value", "", "if (y[0] > 0.0) { workgroupBarrier(); }", Refused },
        // Accepted by the pass, and by Dawn.
        { "barrier_after_loop_with_per_invocation_condition", "", "for (var c = li; c < 100u; c += 64u) { y[c] = 1.0; } workgroupBarrier();", Accepted },
        { "barrier_under_uniform_values", "", "for (var k = 0u; k < u.n; k++) { if (g.x == 2u) { break; } workgroupBarrier(); }", Accepted },
        { "barrier_after_per_invocation_if_else", "", "var k = 0u; if (li > 3u) { k = 1u; } else { k = 2u; } workgroupBarrier(); y[li] = f32(k);", Accepted },
        { "barrier_after_per_invocation_switch", "", "switch (li % 3u) { case 0u: { y[li] = 1.0; } default: { } } workgroupBarrier();", Accepted },
        { "barrier_after_helper_that_returns_early_on_a_uniform", "fn f(i: u32) { if (i > 3u) { return; } y[i] = 1.0; }", "f(g.x); workgroupBarrier();", Accepted },
        { "barrier_after_read_only_buffer_value", "", "if (x[0] > 0.0) { workgroupBarrier(); }", Accepted },
        { "barrier_after_helper_that_returns_early_on_its_own_values", "fn f(i: u32) { if (t[i] > 3.0) { return; } y[i] = 1.0; }", "f(li); workgroupBarrier();", Accepted },
        { "barrier_after_helper_that_returns_early_for_some_arguments", "fn f(i: u32) { if (i > 3u) { return; } y[i] = 1.0; }", "f(li); workgroupBarrier();", Accepted },
        { "barrier_after_loop_left_early_by_some", "", "var k = 0u; loop { if (k >= li) { break; } k++; } workgroupBarrier(); y[0] = f32(k);", Accepted },
        { "barrier_in_outer_loop_after_inner_loop_left_early_by_some", "", "for (var j = 0u; j < 2u; j++) { workgroupBarrier(); for (var k = 0u; k < 4u; k++) { if (li > k) { break; } } }", Accepted },
        // Rejected by the pass, accepted by Dawn: the pass does not follow a local's value statement by statement.
        { "barrier_under_local_reassigned_uniformly", "", "var k = li; y[li] = f32(k); k = 0u; if (k > 0u) { workgroupBarrier(); }", Conservative },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dawn_agrees_with_the_uniformity_pass(string name, string helpers, string body, string dawn)
    {
        string wgsl = $$"""
            struct U { n: u32 }
            @group(0) @binding(0) var<storage, read> x: array<f32>;
            @group(0) @binding(1) var<storage, read_write> y: array<f32>;
            @group(0) @binding(2) var<uniform> u: U;
            var<workgroup> t: array<f32, 64>;
            {{helpers}}
            @compute @workgroup_size(64)
            fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) g: vec3<u32>) {
                {{body}}
            }
            """;
        var kernel = TestKernels.Make("Uniformity_" + name, wgsl, 64,
            [new(0, "x", BindingKind.ReadOnlyStorage, typeof(float), 4), new(1, "y", BindingKind.Storage, typeof(float), 4), new(2, "uniforms", BindingKind.Uniform, null, 16)],
            static (in CpuInvocation inv) => { }, uniformSize: 16, barriers: true);
        string? refusal = null;
        try
        {
            fixture.Device.Compile(kernel);
        }
        catch (GpuCompilationException e)
        {
            refusal = e.Message;
        }
        if (dawn == Refused)
        {
            Assert.True(refusal is not null, $"{name}: Dawn accepts it, but the pass rejects it: mark it conservative");
            Assert.Contains("uniform", refusal, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.True(refusal is null, $"{name}: Dawn refuses it: {refusal}");
        }
    }
}
