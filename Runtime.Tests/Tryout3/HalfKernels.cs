using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>A vertex as stored for the GPU in half precision.</summary>
public struct HalfVertex
{
    public Half X, Y, Z, W;
}

/// <summary>Half storage with float compute, the mixed-precision idiom of ML and graphics code.</summary>
public static partial class Halves
{
    /// <summary>fp16 activations scaled and biased in fp32, rounded back to fp16.</summary>
    [Kernel]
    public static void ScaleBias(ThreadId id, ReadOnlySpan<Half> x, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, Span<Half> y, int channels)
    {
        var i = id.X;
        if (i >= x.Length) return;
        var c = i % channels;
        y[i] = (Half)((float)x[i] * scale[c] + bias[c]);
    }

    /// <summary>Half vertices transformed by a uniform matrix, written as float4.</summary>
    [Kernel]
    public static void Decode(ThreadId id, ReadOnlySpan<HalfVertex> vertices, Span<Vector4> output, Matrix4x4 transform)
    {
        var i = id.X;
        if (i >= vertices.Length) return;
        var v = vertices[i];
        output[i] = Vector4.Transform(new Vector4((float)v.X, (float)v.Y, (float)v.Z, (float)v.W), transform);
    }

    /// <summary>float to half with clamping to the finite half range, counting what saturated.</summary>
    [Kernel]
    public static void Quantize(ThreadId id, ReadOnlySpan<float> x, Span<Half> y, Span<int> saturated)
    {
        var i = id.X;
        if (i >= x.Length) return;
        var v = x[i];
        var clamped = Math.Clamp(v, -65504f, 65504f);
        y[i] = (Half)clamped;
        saturated[i] = clamped != v ? 1 : 0;
    }
}
