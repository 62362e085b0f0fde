using System.Numerics;
using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>
/// Evaluates constant expressions exactly when they are rational: literals, + - * /, integer powers, perfect
/// roots ("\sqrt{16}", "8^{1/3}"), floor/ceil/abs, n! and binomials. Returns null as soon as a value is irrational,
/// involves a variable or a constant (π, e, i), or would exceed the size cap (so "10^{10^{10}}" gives up quickly
/// instead of computing a 33-billion-bit number).
/// </summary>
public static class ExactEvaluator
{
    public static Rational? TryEvaluate(Expr expr, long maxBits, GradingBudget budget)
    {
        budget.Step();
        Rational? result = expr switch
        {
            NumberExpr n => n.Exact,
            NegateExpr neg => TryEvaluate(neg.Operand, maxBits, budget) is { } v ? -v : null,
            BinaryExpr b => Binary(b, maxBits, budget),
            FunctionExpr f => Function(f, maxBits, budget),
            _ => null,
        };
        if (result is { } r)
        {
            budget.Step(1 + r.Bits / 4096);
            if (r.Bits > maxBits) return null;
        }
        return result;
    }

    static Rational? Binary(BinaryExpr b, long maxBits, GradingBudget budget)
    {
        if (TryEvaluate(b.Left, maxBits, budget) is not { } x) return null;
        if (TryEvaluate(b.Right, maxBits, budget) is not { } y) return null;
        switch (b.Op)
        {
            case '+': return x + y;
            case '-': return x - y;
            case '*': return x * y;
            case '/': return y.IsZero ? null : x / y;
            case '^': return Power(x, y, maxBits, budget);
            default: return null;
        }
    }

    static Rational? Power(Rational x, Rational y, long maxBits, GradingBudget budget)
    {
        if (!y.IsInteger)
        {
            // x^(p/q) is rational only when x is a perfect q-th power.
            if (y.Denominator > 64 || x.Sign < 0) return null;
            if (Root(x, (int)y.Denominator, budget) is not { } root) return null;
            return Power(root, Rational.FromInteger(y.Numerator), maxBits, budget);
        }
        if (x.IsZero) return y.Sign > 0 ? x : (y.IsZero ? Rational.FromInteger(1) : null);
        if (BigInteger.Abs(x.Numerator).IsOne && x.Denominator.IsOne)
            return x.Sign > 0 || y.Numerator.IsEven ? Rational.FromInteger(1) : Rational.FromInteger(-1);
        if (BigInteger.Abs(y.Numerator) > maxBits) return null;
        int n = (int)y.Numerator;
        long estimate = x.Bits * Math.Abs((long)n);
        if (estimate > maxBits) return null;
        budget.Step(1 + estimate / 1024);
        return Rational.Pow(x, n);
    }

    /// <summary>The exact q-th root of a non-negative rational, or null when it is irrational.</summary>
    static Rational? Root(Rational x, int q, GradingBudget budget)
    {
        if (q == 1) return x;
        if (IntegerRoot(x.Numerator, q, budget) is not { } n) return null;
        if (IntegerRoot(x.Denominator, q, budget) is not { } d) return null;
        return new Rational(n, d);
    }

    static BigInteger? IntegerRoot(BigInteger value, int q, GradingBudget budget)
    {
        if (value.Sign < 0) return null;
        if (value < 2) return value;
        // Newton's method on integers from an over-estimate; converges in O(log bits) steps.
        long bits = (long)value.GetBitLength();
        BigInteger guess = BigInteger.One << (int)(bits / q + 1);
        while (true)
        {
            budget.Step(1 + bits / 1024);
            BigInteger next = ((q - 1) * guess + value / BigInteger.Pow(guess, q - 1)) / q;
            if (next >= guess) break;
            guess = next;
        }
        return BigInteger.Pow(guess, q) == value ? guess : null;
    }

    static Rational? Function(FunctionExpr f, long maxBits, GradingBudget budget)
    {
        switch (f.Name)
        {
            case "sqrt":
                return TryEvaluate(f.Argument, maxBits, budget) is { Sign: >= 0 } s ? Root(s, 2, budget) : null;
            case "root":
                {
                    if (f.Extra is null || TryEvaluate(f.Extra, maxBits, budget) is not { IsInteger: true } q) return null;
                    if (q.Numerator < 1 || q.Numerator > 64) return null;
                    if (TryEvaluate(f.Argument, maxBits, budget) is not { } x) return null;
                    int n = (int)q.Numerator;
                    if (x.Sign < 0) return n % 2 == 1 && Root(-x, n, budget) is { } r ? -r : null;
                    return Root(x, n, budget);
                }
            case "abs":
                return TryEvaluate(f.Argument, maxBits, budget) is { } a ? (a.Sign < 0 ? -a : a) : null;
            case "floor":
                return TryEvaluate(f.Argument, maxBits, budget) is { } fl ? Rational.FromInteger(fl.Floor()) : null;
            case "ceil":
                return TryEvaluate(f.Argument, maxBits, budget) is { } c ? Rational.FromInteger(c.Ceiling()) : null;
            case "factorial":
                {
                    if (TryEvaluate(f.Argument, maxBits, budget) is not { IsInteger: true } m || m.Sign < 0) return null;
                    if (m.Numerator > 20_000) return null;
                    int count = (int)m.Numerator;
                    BigInteger product = BigInteger.One;
                    for (int i = 2; i <= count; i++)
                    {
                        product *= i;
                        budget.Step(1 + (long)product.GetBitLength() / 4096);
                        if ((long)product.GetBitLength() > maxBits) return null;
                    }
                    return Rational.FromInteger(product);
                }
            case "binom":
                {
                    if (f.Extra is null) return null;
                    if (TryEvaluate(f.Argument, maxBits, budget) is not { IsInteger: true } n) return null;
                    if (TryEvaluate(f.Extra, maxBits, budget) is not { IsInteger: true } k) return null;
                    if (k.Sign < 0 || (n.Sign >= 0 && (k - n).Sign > 0)) return Rational.FromInteger(0);
                    if (k.Numerator > 100_000) return null;
                    int kk = (int)k.Numerator;
                    Rational result = Rational.FromInteger(1);
                    for (int i = 0; i < kk; i++)
                    {
                        result = result * (n - Rational.FromInteger(i)) / Rational.FromInteger(i + 1);
                        budget.Step(1 + result.Bits / 4096);
                        if (result.Bits > maxBits) return null;
                    }
                    return result;
                }
            default:
                return null;
        }
    }
}
