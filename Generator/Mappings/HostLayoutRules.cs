using System.Collections.Generic;
using System.Linq;

namespace KernelGen.Generator.Mappings;

/// <summary>
/// Which buffer element types keep C#'s byte layout through host-layout code (FunctionLowering.HostLayouts), and
/// the scalar leaves (offset and size in bytes) such an element is made of.
/// </summary>
internal static class HostLayoutRules
{
    /// <summary>
    /// Whether a buffer of <paramref name="element"/> is held in C#'s layout as 32-bit words: byte/sbyte/ushort/short
    /// (alone or in structs), and structs whose C# layout differs from WGSL's (Vector3 after a float, Pack, Half, ...).
    /// A Span&lt;Vector3&gt; keeps its own packed form.
    /// </summary>
    public static bool Needs(WgslType element)
        => (element.HasNarrow || (element.IsStruct && element.LayoutMismatch is not null)) && !Leaves(element, 0).Any(l => l.Type.Scalar == WgslScalar.Bool);

    /// <summary>Why <paramref name="element"/> cannot be held in C#'s layout, or null.</summary>
    public static string? Problem(WgslType element)
    {
        var leaves = Leaves(element, 0).ToList();
        foreach (var leaf in leaves)
        {
            if (leaf.Type.Scalar == WgslScalar.Bool)
                return $"its field '{leaf.Path}' is a bool, which has no defined size in GPU buffers: store a byte or an int (0 or 1)";
            if (leaf.Type.Is64)
                return $"its field '{leaf.Path}' is a long or ulong, which elements in C#'s byte layout (with byte or short fields, or Pack) cannot hold yet: use int/uint fields, or a struct whose C# layout is WGSL's";
        }
        var sorted = leaves.OrderBy(l => l.Offset).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Offset < sorted[i - 1].Offset + sorted[i - 1].Size)
                return $"its fields '{sorted[i - 1].Path}' and '{sorted[i].Path}' overlap ([FieldOffset]), so writing the element has no one meaning: give each field its own bytes";
        }
        return null;
    }

    /// <summary>
    /// Whether a store into a buffer of <paramref name="element"/> can cover only part of a 32-bit word (so the
    /// words must be atomic: other invocations may write the rest of the word at the same time).
    /// </summary>
    public static bool PartialWords(WgslType element)
        => element.CSharpSize % 4 != 0 || Leaves(element, 0).Any(l => l.Size < 4 || l.Offset % 4 != 0);

    /// <summary>A scalar leaf of a host-layout element: its C# byte offset, byte size and WGSL type.</summary>
    public readonly record struct Leaf(int Offset, int Size, WgslType Type, string Path);

    /// <summary>The scalar leaves of <paramref name="type"/> at C# offset <paramref name="offset"/> (vectors by component, matrices by element).</summary>
    public static IEnumerable<Leaf> Leaves(WgslType type, int offset, string path = "")
    {
        if (type.IsStruct)
        {
            foreach (var field in type.Fields)
            {
                foreach (var leaf in Leaves(field.Type, offset + field.CSharpOffset, path.Length == 0 ? field.CSharpName : path + "." + field.CSharpName))
                    yield return leaf;
            }
            yield break;
        }
        if (type.IsMatrix)
        {
            // Matrix4x4 and Matrix3x2: C#'s rows (WGSL's columns) one after another, M11 M12 ... as floats.
            for (int row = 0; row < type.MatrixColumns; row++)
            {
                for (int column = 0; column < type.MatrixRows; column++)
                    yield return new Leaf(offset + 4 * (row * type.MatrixRows + column), 4, WgslType.F32, $"{path}.M{row + 1}{column + 1}");
            }
            yield break;
        }
        if (type.IsVector)
        {
            for (int c = 0; c < type.VectorSize; c++)
                yield return new Leaf(offset + 4 * c, 4, WgslType.F32, path + "." + "XYZW"[c]);
            yield break;
        }
        yield return new Leaf(offset, type.CSharpSize, type, path);
    }
}
