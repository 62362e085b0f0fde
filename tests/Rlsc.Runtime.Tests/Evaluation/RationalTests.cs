using System.Numerics;
using Rlsc.Core.Evaluation.Expressions;

namespace Rlsc.Runtime.Tests.Evaluation;

public class RationalTests
{
    [Test]
    public void Arithmetic_MatchesFloat64_OnRandomFractions()
    {
        var random = new Random(11);
        for (int i = 0; i < 500; i++)
        {
            long an = random.Next(-1000, 1000), ad = random.Next(1, 1000), bn = random.Next(-1000, 1000), bd = random.Next(1, 1000);
            var a = new Rational(an, ad);
            var b = new Rational(bn, bd);
            double x = (double)an / ad, y = (double)bn / bd;
            Assert.That((a + b).ToDouble(), Is.EqualTo(x + y).Within(1e-12));
            Assert.That((a - b).ToDouble(), Is.EqualTo(x - y).Within(1e-12));
            Assert.That((a * b).ToDouble(), Is.EqualTo(x * y).Within(1e-12));
            if (bn != 0) Assert.That((a / b).ToDouble(), Is.EqualTo(x / y).Within(1e-9 * Math.Max(1, Math.Abs(x / y))));
            Assert.That(BigInteger.GreatestCommonDivisor((a + b).Numerator, (a + b).Denominator), Is.LessThanOrEqualTo(BigInteger.One).Or.EqualTo(BigInteger.Zero));
        }
    }

    [TestCase("12", 12, 1)]
    [TestCase("-0.5", -1, 2)]
    [TestCase(".0000672", 42, 625000)]
    [TestCase("4.5e3", 4500, 1)]
    [TestCase("1e-5", 1, 100000)]
    [TestCase("025", 25, 1)]
    public void ParseDecimal_IsExact(string text, long numerator, long denominator)
    {
        Assert.That(Rational.TryParseDecimal(text, 100, out var value), Is.True);
        Assert.That(value, Is.EqualTo(new Rational(numerator, denominator)));
    }

    [TestCase("1e500")]
    [TestCase("abc")]
    [TestCase("1.2.3")]
    [TestCase("")]
    public void ParseDecimal_Rejects(string text) => Assert.That(Rational.TryParseDecimal(text, 100, out _), Is.False);

    [Test]
    public void HugeValues_ConvertToDoubleWithoutOverflowWhereTheyFit()
    {
        var big = Rational.Pow(new Rational(10, 1), 300) / Rational.Pow(new Rational(10, 1), 290);
        Assert.That(big.ToDouble(), Is.EqualTo(1e10).Within(1e-2));
        var ratio = new Rational(BigInteger.Pow(3, 2000), BigInteger.Pow(3, 1999) * 2);
        Assert.That(ratio.ToDouble(), Is.EqualTo(1.5));
        Assert.That(Rational.Pow(new Rational(2, 1), 2000).ToDouble(), Is.EqualTo(double.PositiveInfinity));
        Assert.That(new Rational(7, 2).Floor(), Is.EqualTo(new BigInteger(3)));
        Assert.That(new Rational(-7, 2).Floor(), Is.EqualTo(new BigInteger(-4)));
        Assert.That(new Rational(-7, 2).Ceiling(), Is.EqualTo(new BigInteger(-3)));
    }
}
