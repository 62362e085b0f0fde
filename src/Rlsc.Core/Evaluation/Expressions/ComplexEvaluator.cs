using System.Numerics;
using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>
/// Evaluates an <see cref="Expr"/> in complex double arithmetic with principal branches (so "\sqrt{-4}" is 2i and
/// "6 - 5i" is a number). Domain errors give NaN, never an exception. Odd roots of negative reals are real
/// ("\sqrt[3]{-8}" = -2), as a mathematician reads them.
/// </summary>
public static class ComplexEvaluator
{
    static readonly Complex NaN = new(double.NaN, double.NaN);

    public static Complex Evaluate(Expr expr, IReadOnlyDictionary<string, Complex> variables, GradingBudget budget)
    {
        budget.Step();
        return expr switch
        {
            NumberExpr n => n.Value,
            ConstantExpr c => c.Constant switch
            {
                MathConstant.Pi => Math.PI,
                MathConstant.E => Math.E,
                MathConstant.I => Complex.ImaginaryOne,
                _ => double.PositiveInfinity,
            },
            VariableExpr v => variables.TryGetValue(v.Name, out var value) ? value : NaN,
            NegateExpr neg => -Evaluate(neg.Operand, variables, budget),
            BinaryExpr b => Binary(b.Op, Evaluate(b.Left, variables, budget), Evaluate(b.Right, variables, budget)),
            FunctionExpr f => Function(f, variables, budget),
            _ => NaN,
        };
    }

    static Complex Binary(char op, Complex a, Complex b) => op switch
    {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' => b == Complex.Zero ? NaN : a / b,
        '^' => Power(a, b),
        _ => NaN,
    };

    /// <summary>Real powers in real arithmetic when they are defined (exact for integer exponents); principal branch otherwise.</summary>
    public static Complex Power(Complex a, Complex b)
    {
        if (a.Imaginary == 0 && b.Imaginary == 0)
        {
            double x = a.Real, y = b.Real;
            if (x > 0 || y == Math.Floor(y)) return Math.Pow(x, y);
        }
        if (a == Complex.Zero) return b.Real > 0 ? Complex.Zero : NaN;
        return Complex.Pow(a, b);
    }

    static Complex Function(FunctionExpr f, IReadOnlyDictionary<string, Complex> variables, GradingBudget budget)
    {
        Complex x = Evaluate(f.Argument, variables, budget);
        Complex? extra = f.Extra is null ? null : Evaluate(f.Extra, variables, budget);
        bool real = x.Imaginary == 0;
        switch (f.Name)
        {
            case "sin": return Complex.Sin(x);
            case "cos": return Complex.Cos(x);
            case "tan": return Complex.Tan(x);
            case "cot": return Complex.Tan(x) == Complex.Zero ? NaN : 1 / Complex.Tan(x);
            case "sec": return Complex.Cos(x) == Complex.Zero ? NaN : 1 / Complex.Cos(x);
            case "csc": return Complex.Sin(x) == Complex.Zero ? NaN : 1 / Complex.Sin(x);
            case "arcsin": return real && Math.Abs(x.Real) <= 1 ? Math.Asin(x.Real) : Complex.Asin(x);
            case "arccos": return real && Math.Abs(x.Real) <= 1 ? Math.Acos(x.Real) : Complex.Acos(x);
            case "arctan": return real ? Math.Atan(x.Real) : Complex.Atan(x);
            case "arccot": return x == Complex.Zero ? Math.PI / 2 : Complex.Atan(1 / x);
            case "arcsec": return x == Complex.Zero ? NaN : Complex.Acos(1 / x);
            case "arccsc": return x == Complex.Zero ? NaN : Complex.Asin(1 / x);
            case "sinh": return Complex.Sinh(x);
            case "cosh": return Complex.Cosh(x);
            case "tanh": return Complex.Tanh(x);
            case "exp": return Complex.Exp(x);
            case "ln": return x == Complex.Zero ? NaN : Complex.Log(x);
            case "log10": return x == Complex.Zero ? NaN : Complex.Log10(x);
            case "log":
                if (x == Complex.Zero) return NaN;
                if (extra is { } b) return b == Complex.One || b == Complex.Zero ? NaN : Complex.Log(x) / Complex.Log(b);
                return Complex.Log(x);
            case "sqrt": return real && x.Real >= 0 ? Math.Sqrt(x.Real) : Complex.Sqrt(x);
            case "root":
                {
                    if (extra is not { } n || n == Complex.Zero) return NaN;
                    if (real && n.Imaginary == 0 && x.Real < 0 && n.Real == Math.Floor(n.Real) && Math.Abs(n.Real % 2) == 1)
                        return -Math.Pow(-x.Real, 1 / n.Real);
                    return Power(x, 1 / n);
                }
            case "abs": return x.Magnitude;
            case "floor": return real ? Math.Floor(x.Real) : NaN;
            case "ceil": return real ? Math.Ceiling(x.Real) : NaN;
            case "factorial": return real ? SpecialFunctions.Gamma(x.Real + 1) : NaN;
            case "binom":
                {
                    if (!real || extra is not { } k || k.Imaginary != 0) return NaN;
                    return SpecialFunctions.Binomial(x.Real, k.Real);
                }
            default:
                return f.Name.StartsWith("apply:", StringComparison.Ordinal) ? Opaque(f.Name, x) : NaN;
        }
    }

    /// <summary>
    /// An unknown function such as x(t) or I(0): a fixed smooth function chosen by the name's hash, the same in
    /// every run, so "x(t)" equals "x(t)" and differs from "x(2t)" or from "0".
    /// </summary>
    static Complex Opaque(string name, Complex x)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        double a = 0.7 + (hash & 0xFF) / 255.0, b = ((hash >> 8) & 0xFF) / 255.0 * 3, c0 = 1.3 + ((hash >> 16) & 0xFF) / 255.0;
        return c0 + Complex.Sin(a * x + b) + 0.37 * a * x;
    }
}
