


namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>An expression parsed from a LaTeX answer. Small on purpose: what answers contain, nothing more.</summary>
public abstract record Expr;

/// <summary>A decimal literal. <paramref name="Exact"/> is null only for literals with absurd exponents (1e99999).</summary>
public sealed record NumberExpr(Rational? Exact, double Value, bool IsIntegerLiteral) : Expr;

public enum MathConstant { Pi, E, I, Infinity }

/// <summary>π, Euler's e, the imaginary unit i, or ∞.</summary>
public sealed record ConstantExpr(MathConstant Constant) : Expr;

/// <summary>A variable: one letter, a Greek letter, or a decorated name such as "x_0", "M_\odot", "\dot{x}_0", "y'".</summary>
public sealed record VariableExpr(string Name) : Expr;

public sealed record NegateExpr(Expr Operand) : Expr;

/// <summary>Op is one of + - * / ^.</summary>
public sealed record BinaryExpr(char Op, Expr Left, Expr Right) : Expr;

/// <summary>
/// A function of one argument (sin, ln, sqrt, abs, floor, factorial, ...). <paramref name="Extra"/> is the base of
/// log_b, the index of an n-th root, or k of binom(n, k).
/// </summary>
public sealed record FunctionExpr(string Name, Expr Argument, Expr? Extra = null) : Expr;
