// KernelGen differential kernel. seed: 591
// float-tolerance: 0 0 0.03125 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: finding F7 (seed 591 of the newer generator): the store to an element of a buffer atomics use (atomicStore(&oi[i], v)) whose value needed statements moved ahead bound the pointer &oi[i] to a let of the element type (Dawn refused it); the pass now binds the pointer's indices
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F7AtomicPointerOperand
{
    static int Note(Span<int> log, int slot, int v)
    {
        log[slot] = log[slot] * 31 + v;
        return v;
    }

    static float NoteF(Span<int> log, int slot, float v)
    {
        log[slot] = log[slot] * 31 + 7;
        return v;
    }

    static int H0(int n, int p0, int p1, float p2)
    {
        F7AtomicPointerOperandF g0 = (F7AtomicPointerOperandF)(Math.Min(~7u, (uint)BitConverter.HalfToUInt16Bits((Half)0f) & 0x7FFFu) & 15u);
        return 0 + Math.Abs(n >> 28);
    }

    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        short s1 = (short)(1000 + (int)ua[t * 4 + 1]);
        s1 += (short)Math.Abs(t >> 9);
        s1 &= (short)t;
        --s1;
        int i2 = s1 * 5 + (short)(0x12345678 / ((ia[t * 4 + 3] & 127) + 1)) - s1;
        (bool b3, int i4) = (fa[t * 4 + 2] * fa[t * 4 + 2] is <= 0f, (i2 / ((ia[t * 4 + 2] & 127) + 1)));
        of[t * 16 + 3] += (float)(Half)fa[t * 4 + 0];
        i4 &= 1;
        switch (((-0.25f == fa[t * 4 + 1] ? Note(log, t * 8 + 3, i2) : i2) % 40))
        {
            case >= 7 and <= 9:
            {
                oi[t * 16 + (Note(log, t * 8 + 6, Math.Abs(H0(i4, ia[t * 4 + 3], 0, fa[t * 4 + 1]) >> 24)) & 7)] = Note(log, t * 8 + 3, i4) != Math.Abs(i4 >> 23) ? (H0(i4, 255, i2, fa[t * 4 + 2]) switch { >= 0 => Math.Clamp(i4, -87, -50), _ => (int)Unsafe.BitCast<int, uint>(i4) }) : (b3 ? i4 : i2) - BitOperations.TrailingZeroCount(ua[t * 4 + 0]);
                int i5 = Math.Sign(((int)uint.RotateLeft((uint)k, i2) | ia[t * 4 + 3] - i2));
            }
                break;
            default:
            {
                ou[t * 16 + 4] = (uint)(float)(Half)fa[t * 4 + 1];
                of[t * 16 + 2] = (float)(((Half)10f - ((Half)2f + (Half)fa[t * 4 + 2])) / (Half)4f);
            }
                break;
        }
        Interlocked.Increment(ref oi[t * 16 + (Note(log, t * 8 + 0, Math.Abs(k >> 11)) & 7)]);
        oi[t * 16 + 8] = i2;
        oi[t * 16 + 9] = b3 ? 1 : 0;
        oi[t * 16 + 10] = i4;
    }
}

[Flags]
public enum F7AtomicPointerOperandF : uint { None = 0, X = 1, Y = 2, Z = 4, W = 8 }

