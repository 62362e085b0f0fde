using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>
/// Replaces variables by rational numbers, so that an expression with variables can be evaluated exactly at a point
/// (<see cref="ExactEvaluator"/>). Exact values at rational points are what keeps "c·M^6 + 1" from equalling "c·M^6"
/// when c is 10^7: in double arithmetic the +1 is lost in rounding, in rationals it never is.
/// </summary>
public static class VariableSubstitution
{
    public static Expr Substitute(Expr e, IReadOnlyDictionary<string, Rational> point, GradingBudget budget)
    {
        budget.Step();
        return e switch
        {
            VariableExpr v when point.TryGetValue(v.Name, out var r) => new NumberExpr(r, r.ToDouble(), r.IsInteger),
            NegateExpr n => new NegateExpr(Substitute(n.Operand, point, budget)),
            BinaryExpr b => new BinaryExpr(b.Op, Substitute(b.Left, point, budget), Substitute(b.Right, point, budget)),
            FunctionExpr f => new FunctionExpr(f.Name, Substitute(f.Argument, point, budget), f.Extra is null ? null : Substitute(f.Extra, point, budget)),
            _ => e,
        };
    }
}
