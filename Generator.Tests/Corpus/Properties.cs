// Corpus: auto-properties of kernel structs ({ get; set; }, { get; init; }, { get; } with an initializer): their
// backing fields are the WGSL struct's fields, where C# lays them out; read, assigned, compound-assigned, incremented,
// set by object initializers and 'with', matched by property patterns, in buffers, uniforms, locals and helpers.

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A drifting particle whose data are auto-properties, with a method and a computed property that use them.</summary>
public struct Drifter
{
    public Vector2 Position { get; set; }

    public float Mass { get; init; }

    public int Hits { get; set; }

    /// <summary>Writes its struct through the properties (so it takes the struct by pointer).</summary>
    public void Push(Vector2 force)
    {
        Position += force / Mass;
        Hits++;
    }

    public readonly float Momentum => Mass * (Position.X + Position.Y);
}

/// <summary>A getter-only auto-property with an initializer, and one a constructor sets.</summary>
public struct Gauge
{
    public float Level { get; } = 1.5f;

    public int Count { get; set; }

    public Gauge(int count) => Count = count * 2;
}

/// <summary>A temperature kept in kelvin: a property with a setter body, a static property and an indexer over both scales.</summary>
public struct Thermo
{
    public float Kelvin;

    public float Celsius
    {
        readonly get => Kelvin - Freezing;
        set => Kelvin = MathF.Max(value + Freezing, 0f);
    }

    public static float Freezing => 273.15f;

    /// <summary>0: kelvin, otherwise Celsius (through the property).</summary>
    public float this[int scale]
    {
        readonly get => scale == 0 ? Kelvin : Celsius;
        set
        {
            if (scale == 0)
                Kelvin = value;
            else
                Celsius = value;
        }
    }
}

public static partial class Properties
{
    /// <summary>Auto-properties of buffer elements, locals and a uniform, through every kind of write.</summary>
    [Kernel]
    public static void MoveParticles(ThreadId id, ReadOnlySpan<Vector2> forces, Span<Drifter> particles, Span<float> momenta, Drifter wind)
    {
        int i = id.X;
        if (i >= particles.Length || i >= forces.Length || i >= momenta.Length)
            return;
        Drifter p = particles[i];
        p.Push(forces[i]);
        p.Push(wind.Position);
        p.Hits += wind.Hits;
        particles[i] = p with { Mass = p.Mass + 1f };
        particles[i].Hits++;
        particles[i].Position -= new Vector2(0.5f, 0f);
        var q = new Drifter { Mass = 2f, Position = forces[i] };
        momenta[i] = p is { Hits: > 12, Mass: > 2f } ? q.Momentum : Weigh(particles[i]); // no a * b + c, which the GPU may fuse
    }

    /// <summary>A getter-only property's initializer and a constructor that sets the other.</summary>
    [Kernel]
    public static void CountGauges(ThreadId id, Span<Gauge> gauges, int bump)
    {
        int i = id.X;
        if (i >= gauges.Length)
            return;
        var g = new Gauge(bump);
        gauges[i] = new Gauge(i);
        gauges[i].Count += g.Count + (int)(g.Level * 2f);
        int before = gauges[i].Count++;
        gauges[i].Count += before;
    }

    /// <summary>Setters and indexers of locals, buffer elements (through a temporary written back) and ref parameters.</summary>
    [Kernel]
    public static void SetTemperatures(ThreadId id, ReadOnlySpan<float> celsius, Span<Thermo> thermos, Span<float> readings)
    {
        int i = id.X;
        if (i >= celsius.Length || i >= thermos.Length || i >= readings.Length)
            return;
        var t = new Thermo { Kelvin = Thermo.Freezing };
        t.Celsius = celsius[i];
        Warm(ref t, 1f);
        thermos[i].Celsius = celsius[i] * 2f;
        thermos[i][i % 2] = thermos[i][0] + 1f;
        int scale = i % 3;
        readings[i] = t.Celsius + t[scale] + thermos[i][1 - scale % 2];
    }

    private static void Warm(ref Thermo t, float by) => t.Celsius = t.Celsius + by;

    private static float Weigh(Drifter p) => p.Mass * p.Hits;
}
