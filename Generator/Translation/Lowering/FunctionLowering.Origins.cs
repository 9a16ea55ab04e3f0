using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Where IR came from in C#: the statement of each IR statement (set as it is emitted) and the call of each call
/// node, so that passes (the uniformity pass) report at the C# span. Lowering records them and checks nothing here.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>Records <paramref name="syntax"/> as the C# call of the call node <paramref name="value"/> is or wraps (a ballot's word, a conversion), unless it has one.</summary>
    private static void Stamp(IrExpr? value, SyntaxNode syntax)
    {
        while (true)
        {
            switch (value)
            {
                case IrCall call:
                    call.Syntax ??= syntax;
                    return;
                case IrBuiltinCall builtin:
                    builtin.Syntax ??= syntax;
                    return;
                case IrSwizzle swizzle:
                    value = swizzle.Vector;
                    continue;
                case IrMember member:
                    value = member.Instance;
                    continue;
                case IrConvert convert:
                    value = convert.Operand;
                    continue;
                case IrBitcast bitcast:
                    value = bitcast.Operand;
                    continue;
                default:
                    return;
            }
        }
    }

    /// <summary>Lowers one C# statement with it as the origin of the IR statements it emits.</summary>
    private void Statement(IOperation op)
    {
        var saved = currentStatement;
        currentStatement = op.Syntax;
        try
        {
            LowerStatement(op);
        }
        finally
        {
            currentStatement = saved;
        }
    }
}
