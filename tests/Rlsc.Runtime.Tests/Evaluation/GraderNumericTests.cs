using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>Numbers: integers (exact), decimals, fractions, percentages, scientific notation, roots, π, complex numbers.</summary>
public class GraderNumericTests
{
    static readonly MathGrader Grader = new();

    [TestCase(@"\frac{1}{2}", "0.5")]
    [TestCase(@"\dfrac{1}{2}", ".5")]
    [TestCase("0.0000672", ".0000672")]
    [TestCase(@"6.72\times 10^{-5}", ".0000672")]
    [TestCase("6.72e-5", ".0000672")]
    [TestCase(@"4.5 \times 10^{33}", "4.5e33")]
    [TestCase(@"4.5 \cdot 10^{33}", "4.5e33")]
    [TestCase("0.55556", @"\frac 59")]
    [TestCase(@"\frac{\sqrt{3}}{3}", @"\frac{1}{\sqrt3}")]
    [TestCase(@"2\sqrt{5}", @"\sqrt{20}")]
    [TestCase(@"288 \pi", "904.7786842338604")]
    [TestCase(@"\frac{20000}{\pi}", "6366.197723675814")]
    [TestCase("-1./3", @"-\frac13")]
    [TestCase(@"\sqrt[3]{-8}", "-2")]
    [TestCase(@"\frac{8}{\sqrt[3]{7}}", @"8 \cdot 7^{-1/3}")]
    [TestCase(@"10^{1 / 100}", @"\sqrt[100]{10}")]
    [TestCase(@"2021 \cdot 505 \cdot 337", "343943885")]
    [TestCase(@"\frac{2016}{2017^{2}}", "0.00049554")]
    [TestCase(@"1\frac{4}{5}", "1.8")]
    [TestCase(@"137 \frac{1}{2}", "137.5")]
    [TestCase(@"0.\overline{3}", @"\frac13")]
    [TestCase(@"1.2\overline{45}", @"\frac{137}{110}")]
    public void EqualNumbers(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.True, Grader.Grade(p, g).Method);

    [TestCase("0.33", @"\frac{1}{3}")]
    [TestCase("0.555", @"\frac 59")]
    [TestCase("6.73e-5", ".0000672")]
    [TestCase("4.6e33", "4.5e33")]
    [TestCase("1.325e-27", "4.6e-24")]
    [TestCase(@"\sqrt{21}", @"\sqrt{20}")]
    [TestCase(@"2\frac{1}{2}", "1")]
    [TestCase("-2", @"\sqrt[3]{8}")]
    [TestCase(@"0.\overline{3}", "0.3")]
    [TestCase(@"0.\overline{12}", @"\frac{12}{100}")]
    public void DifferentNumbers(string p, string g) => Assert.That(Grader.Grade(p, g).Equal, Is.False, Grader.Grade(p, g).Method);

    [Test]
    public void Integers_CompareExactly_EvenWhereTheToleranceWouldAccept()
    {
        Assert.That(Grader.AreEqual("70001", "70000"), Is.False, "gsm8k: 70001 is not 70000");
        Assert.That(Grader.AreEqual("3986730", "3986729"), Is.False, "olympiadbench");
        Assert.That(Grader.AreEqual("3986729.5", "3986729"), Is.False);
        Assert.That(Grader.AreEqual("3986729.0", "3986729"), Is.True);
        Assert.That(Grader.AreEqual(@"\frac{7973458}{2}", "3986729"), Is.True);
    }

    [Test]
    public void Integers_UseTheTolerance_WhenTheSuiteSaysMeasurements()
    {
        var minerva = new MathGrader(new GradingOptions { IntegersExact = false });
        Assert.That(minerva.AreEqual("15001", "15000"), Is.True, "rounded measurement within 1e-4");
        Assert.That(minerva.AreEqual("15010", "15000"), Is.False);
    }

    [Test]
    public void RelativeTolerance_Is1e4()
    {
        Assert.That(Grader.AreEqual("1.00009", "1"), Is.False, "an integer gold compares exactly");
        Assert.That(Grader.AreEqual("2.50024", "2.5"), Is.True, "9.6e-5 relative");
        Assert.That(Grader.AreEqual("2.5003", "2.5"), Is.False, "1.2e-4 relative");
        var loose = new MathGrader(new GradingOptions { RelativeTolerance = 1e-2 });
        Assert.That(loose.AreEqual("2.52", "2.5"), Is.True);
    }

    [TestCase("62.5%", "0.625")]
    [TestCase("0.625", "62.5%")]
    [TestCase("62.5", "62.5%")]
    [TestCase(@"62.5\%", "62.5%")]
    [TestCase("0.08", @"$8 \%$")]
    [TestCase("17.5", "17.5%")]
    public void Percentages_MeanXOrXOver100(string p, string g) => Assert.That(Grader.AreEqual(p, g), Is.True);

    [TestCase("0.6", "62.5%")]
    [TestCase("6.25", "62.5%")]
    [TestCase("0.8", @"$8 \%$")]
    public void Percentages_AreNotAnyPowerOfTen(string p, string g) => Assert.That(Grader.AreEqual(p, g), Is.False);

    [TestCase("6-5i", "6 - 5i")]
    [TestCase("-5i+6", "6 - 5i")]
    [TestCase(@"1+\sqrt{3} i", @"1+i\sqrt3")]
    [TestCase(@"\frac{4}{3+3 i}", @"\frac{2}{3}-\frac{2}{3}i")]
    [TestCase(@"-8-8 \sqrt{3} i", @"16e^{-2\pi i/3}")]
    [TestCase("-2 + 7i", "7i-2")]
    public void ComplexNumbers_Equal(string p, string g) => Assert.That(Grader.AreEqual(p, g), Is.True, Grader.Grade(p, g).Method);

    [TestCase("6+5i", "6 - 5i")]
    [TestCase("5-6i", "6 - 5i")]
    [TestCase("6", "6 - 5i")]
    [TestCase("1 - 12i", "1 + 12i")]
    public void ComplexNumbers_Different(string p, string g) => Assert.That(Grader.AreEqual(p, g), Is.False);

    [Test]
    public void HugeExactNumbers_CompareWithoutOverflow()
    {
        Assert.That(Grader.AreEqual("2^{1010}/2", "2^{1009}"), Is.True);
        Assert.That(Grader.AreEqual("2^{1009}+1", "2^{1009}"), Is.False);
        Assert.That(Grader.AreEqual("2^{3000}", "2^{2999} \\cdot 2"), Is.True);
        Assert.That(Grader.AreEqual("3^{3000}", "2^{3000}"), Is.False, "both overflow a double; exact arithmetic tells them apart");
        Assert.That(Grader.AreEqual(@"\frac{100!}{2^{49}}", @"\frac{100!}{2^{50}}"), Is.False);
        Assert.That(Grader.AreEqual(@"\frac{100!}{2^{50}}", @"\frac{100 \cdot 99!}{2^{50}}"), Is.True);
    }

    [Test]
    public void Infinity_EqualsOnlyInfinity()
    {
        Assert.That(Grader.AreEqual(@"\infty", "∞"), Is.True);
        Assert.That(Grader.AreEqual(@"-\infty", @"\infty"), Is.False);
        Assert.That(Grader.AreEqual("10^{400}", @"\infty"), Is.False);
    }
}
