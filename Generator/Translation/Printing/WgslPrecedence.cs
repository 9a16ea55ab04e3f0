namespace KernelGen.Generator.Translation.Printing;

/// <summary>
/// WGSL operator classes, loosest last. WGSL does not allow every mix C# allows (no mixing of bit
/// operators, shift operands must be unary, relational operators do not chain), so the translator
/// parenthesises by these classes rather than by C# precedence.
/// </summary>
internal enum WgslPrecedence
{
    Primary,
    Unary,
    Multiplicative,
    Additive,
    Shift,
    Relational,
    BitAnd,
    BitOr,
    BitXor,
    LogicalAnd,
    LogicalOr,
}

/// <summary>Where an operand of a given class needs parentheses under a parent of another (WGSL's rules, not C#'s).</summary>
internal static class WgslParentheses
{
    /// <summary><paramref name="text"/> (of class <paramref name="child"/>) as an operand of <paramref name="parent"/>, on its right side when <paramref name="right"/>.</summary>
    public static string AsOperand(string text, WgslPrecedence child, WgslPrecedence parent, bool right = false)
        => NeedsParentheses(child, parent, right) ? "(" + text + ")" : text;

    private static bool NeedsParentheses(WgslPrecedence child, WgslPrecedence parent, bool right)
    {
        if (child == WgslPrecedence.Primary)
            return false;
        switch (parent)
        {
            case WgslPrecedence.Primary:
                return true;
            case WgslPrecedence.Unary:
                return child != WgslPrecedence.Unary;
            case WgslPrecedence.Multiplicative:
                return child != WgslPrecedence.Unary && (right || child != WgslPrecedence.Multiplicative);
            case WgslPrecedence.Additive:
                return !(child is WgslPrecedence.Unary or WgslPrecedence.Multiplicative || (!right && child == WgslPrecedence.Additive));
            case WgslPrecedence.Shift:
                return child != WgslPrecedence.Unary;
            case WgslPrecedence.Relational:
                return child is not (WgslPrecedence.Unary or WgslPrecedence.Multiplicative or WgslPrecedence.Additive or WgslPrecedence.Shift);
            case WgslPrecedence.BitAnd:
            case WgslPrecedence.BitOr:
            case WgslPrecedence.BitXor:
                return child != WgslPrecedence.Unary && (right || child != parent);
            case WgslPrecedence.LogicalAnd:
            case WgslPrecedence.LogicalOr:
                return child is not (WgslPrecedence.Unary or WgslPrecedence.Multiplicative or WgslPrecedence.Additive or WgslPrecedence.Shift or WgslPrecedence.Relational)
                    && (right || child != parent);
            default:
                return true;
        }
    }
}
