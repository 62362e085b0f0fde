using System.Numerics;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>The LaTeX expression parser and evaluators, checked against values computed directly in float64.</summary>
public class ExpressionParserTests
{
    static Complex Evaluate(string latex, params (string Name, double Value)[] variables)
    {
        var budget = GradingOptions.Default.NewBudget();
        string text = AnswerNormalizer.Normalize(latex).Text;
        Assert.That(ExpressionParser.TryParse(text, budget, out var expr), Is.True, $"'{latex}' should parse");
        var values = variables.ToDictionary(v => v.Name, v => new Complex(v.Value, 0));
        return ComplexEvaluator.Evaluate(expr, values, budget);
    }

    static void AssertValue(string latex, double expected, params (string, double)[] variables)
    {
        var value = Evaluate(latex, variables);
        Assert.That(value.Imaginary, Is.EqualTo(0).Within(1e-12), latex);
        Assert.That(value.Real, Is.EqualTo(expected).Within(1e-12 * Math.Max(1, Math.Abs(expected))), latex);
    }

    [Test]
    public void Precedence_FollowsMathematicalConvention()
    {
        AssertValue("2+3*4", 14);
        AssertValue("-2^2", -4);
        AssertValue("2^3^2", 512);
        AssertValue("2^-1", 0.5);
        AssertValue(@"\frac{1}{2}x", 1.5, ("x", 3));
        AssertValue("1/2x", 1.5, ("x", 3));
        AssertValue("(a+5)(b+2)", (1.5 + 5) * (2.5 + 2), ("a", 1.5), ("b", 2.5));
        AssertValue("2 \\cdot -3", -6);
        AssertValue("a / -b", -0.6, ("a", 1.5), ("b", 2.5));
        AssertValue("3x^2y", 3 * 4 * 5.0, ("x", 2), ("y", 5));
    }

    [Test]
    public void Functions_WithAndWithoutParentheses()
    {
        double t = 0.7, theta = 1.1;
        AssertValue(@"\sin 2t", Math.Sin(2 * t), ("t", t));
        AssertValue(@"\sin(2t)", Math.Sin(2 * t), ("t", t));
        AssertValue(@"\sin (3 t) / 5", Math.Sin(3 * t) / 5, ("t", t));
        AssertValue(@"\sin ^{2} \theta", Math.Pow(Math.Sin(theta), 2), ("\\theta", theta));
        AssertValue(@"\sin^{-1}(0.5)", Math.Asin(0.5));
        AssertValue(@"\cos x \sin y", Math.Cos(0.3) * Math.Sin(0.4), ("x", 0.3), ("y", 0.4));
        AssertValue(@"\log_{2} 8", 3);
        AssertValue(@"\log _{2} n", Math.Log2(10), ("n", 10));
        AssertValue(@"\ln e^{2}", 2);
        AssertValue(@"\exp{2}", Math.Exp(2));
        AssertValue(@"\sqrt[3]{27}", 3);
        AssertValue(@"\sqrt{16}", 4);
        AssertValue(@"|-3|", 3);
        AssertValue(@"\lfloor 2.7 \rfloor + \lceil 2.1 \rceil", 5);
        AssertValue("5!", 120);
        AssertValue(@"\binom{10}{3}", 120);
        AssertValue(@"\arctan 1", Math.PI / 4);
        AssertValue(@"\operatorname{sin} x", Math.Sin(0.2), ("x", 0.2));
    }

    [Test]
    public void Constants_And_Names()
    {
        AssertValue(@"\pi", Math.PI);
        AssertValue("2e", 2 * Math.E);
        AssertValue("e^{-2 t}", Math.Exp(-1.4), ("t", 0.7));
        AssertValue("4.5e33", 4.5e33);
        AssertValue("3e6", 3e6);
        AssertValue("x_{0} + x_0", 2.4, ("x_0", 1.2));
        AssertValue(@"M_{\odot}", 2, ("M_\\odot", 2));
        AssertValue(@"\dot{x}_{0}", 3, ("\\dot{x}_0", 3));
        AssertValue("y'", 5, ("y'", 5));
        var imaginary = Evaluate("3+4i");
        Assert.That(imaginary, Is.EqualTo(new Complex(3, 4)));
        Assert.That(Evaluate(@"\sqrt{-4}"), Is.EqualTo(new Complex(0, 2)));
    }

    [Test]
    public void MixedNumbers_OnlyForIntegerAndProperFraction()
    {
        AssertValue(@"137 \frac{1}{2}", 137.5);
        AssertValue(@"2\frac{3}{2}", 3);
        AssertValue(@"x\frac{1}{2}", 1, ("x", 2));
    }

    [Test]
    public void Application_OfUnknownFunctions_IsNotAProduct()
    {
        var zero = Evaluate("I(0)");
        Assert.That(zero.Magnitude, Is.GreaterThan(0.1), "I(0) is a value of I, not I*0");
        AssertValue("n(n+1)", 12, ("n", 3));
        Assert.That(Evaluate("x(t)", ("t", 0.5)), Is.Not.EqualTo(Evaluate("x(t)", ("t", 0.6))));
    }

    [TestCase(@"\frac{1}{")]
    [TestCase("2+")]
    [TestCase(@"\unknowncommand")]
    [TestCase("(1,2)")]
    [TestCase("x = 3")]
    [TestCase("#")]
    public void NonExpressions_DoNotParse(string text)
    {
        Assert.That(ExpressionParser.TryParse(text, GradingOptions.Default.NewBudget(), out _), Is.False);
    }

    [Test]
    public void ExactEvaluator_KeepsRationalsExact_AndGivesUpOnIrrationals()
    {
        Rational? Exact(string latex)
        {
            var budget = GradingOptions.Default.NewBudget();
            Assert.That(ExpressionParser.TryParse(AnswerNormalizer.Normalize(latex).Text, budget, out var e), Is.True);
            return ExactEvaluator.TryEvaluate(e, GradingOptions.Default.MaxExactBits, budget);
        }
        Assert.That(Exact(@"\frac{1}{3}+\frac{1}{6}"), Is.EqualTo(new Rational(1, 2)));
        Assert.That(Exact("0.1+0.2"), Is.EqualTo(new Rational(3, 10)));
        Assert.That(Exact(@"\sqrt{\frac{16}{9}}"), Is.EqualTo(new Rational(4, 3)));
        Assert.That(Exact("8^{2/3}"), Is.EqualTo(new Rational(4, 1)));
        Assert.That(Exact(@"\sqrt[3]{-27}"), Is.EqualTo(new Rational(-3, 1)));
        Assert.That(Exact(@"\binom{52}{5}"), Is.EqualTo(new Rational(2598960, 1)));
        Assert.That(Exact("20!"), Is.EqualTo(new Rational(BigInteger.Parse("2432902008176640000"), 1)));
        Assert.That(Exact(@"\sqrt{2}"), Is.Null);
        Assert.That(Exact(@"\pi"), Is.Null);
        Assert.That(Exact("10^{10^{10}}"), Is.Null, "over the size cap");
    }
}
