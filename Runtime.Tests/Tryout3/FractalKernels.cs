namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>A complex number with the operators a user writes first, an implicit conversion from float included.</summary>
public readonly struct Cplx
{
    public readonly float Re, Im;
    public Cplx(float re, float im) { Re = re; Im = im; }
    public static implicit operator Cplx(float re) => new(re, 0f);
    public static Cplx operator +(Cplx a, Cplx b) => new(a.Re + b.Re, a.Im + b.Im);
    public static Cplx operator -(Cplx a, Cplx b) => new(a.Re - b.Re, a.Im - b.Im);
    public static Cplx operator *(Cplx a, Cplx b) => new(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);
    public static Cplx operator *(float s, Cplx a) => new(s * a.Re, s * a.Im);
    public static Cplx operator /(Cplx a, Cplx b)
    {
        var d = b.Re * b.Re + b.Im * b.Im;
        return new((a.Re * b.Re + a.Im * b.Im) / d, (a.Im * b.Re - a.Re * b.Im) / d);
    }
    public float NormSquared => Re * Re + Im * Im;
    public Cplx Conjugate() => new(Re, -Im);
    public Cplx Abs() => new(MathF.Abs(Re), MathF.Abs(Im));
}

public enum Fractal { Mandelbrot, BurningShip, Tricorn }

public static partial class Fractals
{
    /// <summary>Escape-time fractals chosen by an enum; the iteration step is a switch expression on structs.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void EscapeTime(ThreadId id, Span<int> iterations, int width, int height, Fractal kind, int maxIterations)
    {
        if (id.X >= width || id.Y >= height) return;
        Cplx c = new(-2.2f + 3f * id.X / width, -1.5f + 3f * id.Y / height);
        Cplx z = 0f;
        var n = 0;
        while (n < maxIterations && z.NormSquared <= 4f)
        {
            z = kind switch
            {
                Fractal.BurningShip => z.Abs() * z.Abs() + c,
                Fractal.Tricorn => z.Conjugate() * z.Conjugate() + c,
                _ => z * z + c,
            };
            n++;
        }
        iterations[id.Y * width + id.X] = n;
    }

    /// <summary>Newton's method for z³ - 1: which of the three roots each start point converges to, and how fast.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Newton(ThreadId id, Span<int> root, Span<int> steps, int width, int height)
    {
        if (id.X >= width || id.Y >= height) return;
        var z = new Cplx(-1.5f + 3f * (id.X + 0.5f) / width, -1.5f + 3f * (id.Y + 0.5f) / height);
        Span<Cplx> roots = stackalloc Cplx[] { new(1f, 0f), new(-0.5f, 0.8660254f), new(-0.5f, -0.8660254f) };
        var found = -1;
        var k = 0;
        for (; k < 40 && found < 0; k++)
        {
            var z2 = z * z;
            z -= (z2 * z - 1f) / (3f * z2);
            for (var r = 0; r < roots.Length; r++)
                if ((z - roots[r]).NormSquared < 1e-6f) found = r;
        }
        var o = id.Y * width + id.X;
        root[o] = found;
        steps[o] = k;
    }
}
