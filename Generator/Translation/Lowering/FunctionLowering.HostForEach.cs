using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// <c>foreach (var p in positions)</c> over a buffer kept in C#'s layout (a <c>Span&lt;Vector3&gt;</c> of
/// 12-byte elements, or a struct buffer whose elements are whole words): a counted loop whose variable is
/// the element read through the buffer's load function.
/// </summary>
internal sealed partial class FunctionLowering
{
    private bool HostForEach(IForEachLoopOperation loop, IOperation collection)
    {
        if (collection is not IParameterReferenceOperation parameter || !kernelParameters.TryGetValue(parameter.Parameter, out var binding)
            || loop.LoopControlVariable is not IVariableDeclaratorOperation declarator || loop.IsAsynchronous)
            return false;
        bool packed = binding.PackedVector3;
        if (!packed && binding.HostLayout is not { Stride: var stride } || !packed && binding.HostLayout!.Stride % 4 != 0)
            return false;
        var type = MapType(declarator.Symbol.Type, declarator.Syntax);
        if (type is null)
            return true;
        var index = new IrVariable(Fresh("i"), WgslType.I32, IrVariableKind.Var);
        IrExpr length;
        IrExpr element;
        if (declarator.Symbol.IsRef)
        {
            if (packed)
            {
                UnsupportedStatement(loop, "foreach (ref ...) over a Vector3 buffer kept in C#'s 12-byte layout is not translated (its elements are three floats, read and written whole or by component): iterate over the indices and write b[i] = v or b[i].X = x");
                return true;
            }
            // foreach (ref var p in pixels): p is the element at byte address i * size, read and written field by field (HostElements).
            int elementSize = binding.HostLayout!.Stride;
            var at = new IrBinary(IrBinaryOp.Multiply, new IrConvert(WgslType.U32, new IrRef(index)), IrLiteral.U32((uint)elementSize), WgslType.U32);
            var count = new IrConvert(WgslType.I32, new IrBinary(IrBinaryOp.Divide, ArrayLength(binding), IrLiteral.U32((uint)(elementSize / 4)), WgslType.U32));
            var loopBody = Block(() =>
            {
                var address = new IrVariable(Fresh("address"), WgslType.U32, IrVariableKind.Let);
                Emit(new IrDeclare(address, at));
                placeAliases[declarator.Symbol] = new PlaceAlias(binding, new IrRef(address), binding.Type!, true);
                Body(loop.Body);
            });
            Emit(new IrFor(new IrDeclare(index, IrLiteral.I32(0)), new IrBinary(IrBinaryOp.Less, new IrRef(index), count, WgslType.Bool), new IrIncrement(new IrRef(index), true), loopBody));
            return true;
        }
        var variable = LocalVariable(declarator.Symbol, type, IrVariableKind.Let);
        if (packed)
        {
            length = new IrConvert(WgslType.I32, ElementCount(binding));
            element = new IrCall(PackedLoadFunction(binding), [new IrRef(index)], WgslType.Vec3);
        }
        else
        {
            int size = binding.HostLayout!.Stride;
            length = new IrConvert(WgslType.I32, new IrBinary(IrBinaryOp.Divide, ArrayLength(binding), IrLiteral.U32((uint)(size / 4)), WgslType.U32));
            var address = new IrBinary(IrBinaryOp.Multiply, new IrConvert(WgslType.U32, new IrRef(index)), IrLiteral.U32((uint)size), WgslType.U32);
            element = new IrCall(HostLoader(binding, binding.Type!), [address], binding.Type!);
        }
        var body = Block(() =>
        {
            Emit(new IrDeclare(variable, Convert(element, element.Type!, type)));
            Body(loop.Body);
        });
        Emit(new IrFor(new IrDeclare(index, IrLiteral.I32(0)), new IrBinary(IrBinaryOp.Less, new IrRef(index), length, WgslType.Bool), new IrIncrement(new IrRef(index), true), body));
        return true;
    }
}
