// Corpus: enums on byte, sbyte, ushort and short as uniforms, [Specialize] constants, buffer elements (C#'s bytes),
// struct fields, locals, helper parameters and results, in switches, flag tests and truncating casts.
#pragma warning disable CA1028 // the small underlying types are what the test is about
#pragma warning disable CA1008
#pragma warning disable CA2217

using System;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A byte enum (a pixel's kind).</summary>
public enum PixelKind : byte
{
    Empty,
    Solid = 7,
    Glass = 200,
    Edge = 255,
}

/// <summary>A signed byte enum with negative members.</summary>
public enum Direction : sbyte
{
    Back = -1,
    Stay = 0,
    Forward = 1,
    Jump = 100,
}

/// <summary>A ushort [Flags] enum.</summary>
[Flags]
public enum Layers : ushort
{
    None = 0,
    Ground = 1,
    Water = 2,
    Sky = 0x100,
    Top = 0x8000,
}

/// <summary>A short enum.</summary>
public enum Level : short
{
    Low = -30000,
    Mid = 0,
    High = 30000,
}

/// <summary>A buffer struct of small enums (6 bytes in C#, held in C#'s byte layout).</summary>
public struct Tile
{
    public PixelKind Kind;
    public Direction Heading;
    public Layers Layers;
    public Level Level;
}

public static partial class SmallEnums
{
    /// <summary>Tiles read and written field by field, a switch on a byte enum, flags on a ushort enum, casts that truncate.</summary>
    [Kernel]
    public static void Step(ThreadId id, ReadOnlySpan<Tile> tiles, ReadOnlySpan<int> x, Span<Tile> next, Span<int> score, PixelKind wanted, Layers mask)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        Tile t = tiles[i];
        int s = Score(t.Kind) + (t.Kind == wanted ? 1000 : 0);
        Direction d = Turn(t.Heading);
        Layers l = t.Layers;
        if (l.HasFlag(Layers.Water))
            l |= Layers.Sky;
        l &= mask;
        l ^= Layers.Top;
        PixelKind k = (PixelKind)(x[i] + 250); // truncates as C# does: (byte)
        k++;
        Level lv = (Level)(x[i] * 1000);        // (short) of the product
        if (lv > Level.Mid)
            s += 1;
        next[i] = new Tile { Kind = k, Heading = d, Layers = l, Level = lv };
        next[i].Heading = (Direction)((int)next[i].Heading * 3);
        score[i] = s + (int)d * 10 + (int)l + (sbyte)t.Heading;
    }

    private static int Score(PixelKind kind)
    {
        switch (kind)
        {
            case PixelKind.Empty: return 0;
            case PixelKind.Solid: return 1;
            case PixelKind.Glass: return 2;
            case PixelKind.Edge: return 3;
            default: return (int)kind + 10;
        }
    }

    private static Direction Turn(Direction d) => d switch
    {
        Direction.Back => Direction.Forward,
        Direction.Forward => Direction.Back,
        Direction.Jump => (Direction)(-100),
        _ => d + 1,
    };

    /// <summary>Small enums as [Specialize] constants (i32/u32 overrides) and as plain locals compared in a loop.</summary>
    [Kernel]
    public static void Specialized(ThreadId id, Span<int> y, [Specialize] PixelKind kind, [Specialize] Direction direction, [Specialize] Level level)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        int v = 0;
        for (Direction d = Direction.Back; d <= direction && d < Direction.Jump; d++)
            v += (int)d + 2;
        y[i] = v * 1000 + (kind == PixelKind.Glass ? 1 : 0) + (int)kind * 10 + (level < Level.Mid ? -1 : 1) * i;
    }

    /// <summary>Small enums in a buffer of their own (C#'s 1- and 2-byte elements), written by neighbouring invocations.</summary>
    [Kernel]
    public static void Elements(ThreadId id, ReadOnlySpan<Direction> input, Span<Direction> flipped, Span<Layers> layers, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        flipped[i] = (Direction)(-(int)input[i]);
        layers[i] = (Layers)(1 << (i & 15));
        layers[i] |= Layers.Ground;
    }
}
