using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// Each LaTeX normalisation rule with an equal pair and a not-equal pair, in the formats the real suites use
/// (gold on the right, as written in math500 / olympiadbench / minerva_math / gsm8k / aime24 / amc23).
/// </summary>
public class GraderNormalizationTests
{
    static readonly MathGrader Grader = new();

    static void AssertEqual(string predicted, string gold) =>
        Assert.That(Grader.Grade(predicted, gold).Equal, Is.True, $"expected '{predicted}' == '{gold}' ({Grader.Grade(predicted, gold).Method})");

    static void AssertDifferent(string predicted, string gold) =>
        Assert.That(Grader.Grade(predicted, gold).Equal, Is.False, $"expected '{predicted}' != '{gold}' ({Grader.Grade(predicted, gold).Method})");

    [TestCase(@"\dfrac{17}{50}", @"\frac{17}{50}")]
    [TestCase(@"\tfrac{33}{100}", @"\dfrac{33}{100}")]
    [TestCase(@"\cfrac{1}{2}", "0.5")]
    public void FracVariants_AreFrac(string p, string g) => AssertEqual(p, g);

    [Test]
    public void FracVariants_KeepTheirValue() => AssertDifferent(@"\dfrac{17}{51}", @"\frac{17}{50}");

    [TestCase(@"\frac34", @"\frac 34")]
    [TestCase(@"\frac{9}{19}", @"\frac9{19}")]
    [TestCase(@"\frac{270}{7}", @"\frac{270}7\text{ degrees}")]
    [TestCase(@"11\sqrt{2}", @"11\sqrt2")]
    public void BareArguments_GetBraces(string p, string g) => AssertEqual(p, g);

    [TestCase(@"\frac{3}{5}", @"\frac 34")]
    [TestCase(@"\frac{19}{9}", @"\frac9{19}")]
    public void BareArguments_KeepTheirOrder(string p, string g) => AssertDifferent(p, g);

    [TestCase(@"(3, \frac{\pi}{2})", @"\left( 3, \frac{\pi}{2} \right)")]
    [TestCase(@"\left[ \frac{\pi^2}{8}, \frac{5 \pi^2}{4} \right]", @"[\pi^2/8, 5\pi^2/4]")]
    public void LeftRight_AreDropped(string p, string g) => AssertEqual(p, g);

    [Test]
    public void LeftRight_DoNotHideAValue() => AssertDifferent(@"\left( 3, \frac{\pi}{3} \right)", @"\left( 3, \frac{\pi}{2} \right)");

    [TestCase("11111111100", @"11,\! 111,\! 111,\! 100")]
    [TestCase("10080", @"10,\!080")]
    [TestCase("2,125", "2125")]
    [TestCase(@"\$32,348", @"\$32,\!348")]
    public void ThousandsSeparators_AreRemoved(string p, string g) => AssertEqual(p, g);

    [TestCase("11111111101", @"11,\! 111,\! 111,\! 100")]
    [TestCase("2,126", "2125")]
    public void ThousandsSeparators_KeepTheDigits(string p, string g) => AssertDifferent(p, g);

    [Test]
    public void CommaBetweenShortGroups_IsAList_NotThousands()
    {
        AssertEqual("7500, 2500", "2500,7500"); // olympiadbench: two answers
        AssertDifferent("25007500", "2500,7500");
        AssertDifferent("(3331)", "(3,331)");
    }

    [TestCase("5.4", @"5.4 \text{ cents}")]
    [TestCase("15", @"15\mbox{ cm}^2")]
    [TestCase("864", @"864 \mbox{ inches}^2")]
    [TestCase("15 cm^2", "15")]
    [TestCase("45 minutes", "45")]
    [TestCase(@"\text{Evelyn}", "Evelyn")]
    public void TextAndUnits_AreUnwrappedOrDropped(string p, string g) => AssertEqual(p, g);

    [TestCase("5.5", @"5.4 \text{ cents}")]
    [TestCase("16", @"15\mbox{ cm}^2")]
    [TestCase(@"\text{Navin}", @"\text{Evelyn}")]
    public void TextAndUnits_DoNotHideAValue(string p, string g) => AssertDifferent(p, g);

    [TestCase("90", @"90^\circ")]
    [TestCase(@"90^{\circ}", @"90^\circ")]
    [TestCase("90°", @"90^\circ")]
    [TestCase(@"\frac{\pi}{2}", @"90^\circ")]
    [TestCase("18.8", @"18.8^{\circ}")]
    public void Degrees_AreDroppedOrReadAsRadians(string p, string g) => AssertEqual(p, g);

    [TestCase("91", @"90^\circ")]
    [TestCase(@"\frac{\pi}{3}", @"90^\circ")]
    public void Degrees_KeepTheirValue(string p, string g) => AssertDifferent(p, g);

    [TestCase(@"$\frac{1}{2}$", @"\frac{1}{2}")]
    [TestCase("$69$,$84$", "84, 69")]
    [TestCase(@"\(\frac{1}{2}\)", "0.5")]
    public void Dollars_AreDropped(string p, string g) => AssertEqual(p, g);

    [Test]
    public void Dollars_DoNotHideAValue() => AssertDifferent("$70$,$84$", "$69$,$84$");

    [TestCase("x = 3", "3")]
    [TestCase("3", "k=1+2")]
    [TestCase(@"f(x)=\frac{1}{x}", @"\frac1x")]
    [TestCase(@"m_{\max }=n^{2}-n-1", "n^2-n-1")]
    public void EquationPrefixes_NameTheAnswer(string p, string g) => AssertEqual(p, g);

    [TestCase("x = 4", "3")]
    [TestCase("2x+1-y=0", "2x+1")]
    public void EquationPrefixes_DoNotMakeEverythingEqual(string p, string g) => AssertDifferent(p, g);

    [TestCase("27", "27.0")]
    [TestCase("-1", "-1.0")]
    [TestCase("3159", "3159.0")]
    public void TrailingPointZero_IsTheSameNumber(string p, string g) => AssertEqual(p, g);

    [TestCase("28", "27.0")]
    [TestCase("27.01", "27.0")]
    public void TrailingPointZero_IsNotRounding(string p, string g) => AssertDifferent(p, g);

    [TestCase("25", "025")]
    [TestCase("73", "073")]
    [TestCase("045", "45")]
    public void LeadingZeros_AreIgnored(string p, string g) => AssertEqual(p, g);

    [TestCase("250", "025")]
    [TestCase("72", "073")]
    public void LeadingZeros_DoNotShiftDigits(string p, string g) => AssertDifferent(p, g);

    [TestCase("18.90", @"\$18.90")]
    [TestCase("18.9 dollars", @"\$18.90")]
    public void Currency_IsDropped(string p, string g) => AssertEqual(p, g);

    [TestCase(@"[-2,7]", @"x \in [-2,7]")]
    [TestCase(@"k \geq 2", @"k \geqslant 2")]
    [TestCase(@"(-\infty, 0) \cup\{1\}", @"(-\infty, 0) \cup\{1\}$.")]
    public void MembershipRelationsAndTrailingPeriods(string p, string g) => AssertEqual(p, g);

    [TestCase("(-2,7]", @"x \in [-2,7]")]
    [TestCase(@"k \geq 3", @"k \geqslant 2")]
    public void MembershipRelations_KeepTheirBounds(string p, string g) => AssertDifferent(p, g);

    [Test]
    public void Normalizer_RecordsPercentAndDegrees()
    {
        var percent = AnswerNormalizer.Normalize(@"62.5\%");
        Assert.That(percent, Is.EqualTo(new NormalizedAnswer("62.5", Percent: true, Degrees: false)));
        var degrees = AnswerNormalizer.Normalize(@"$90^{\circ}$");
        Assert.That(degrees, Is.EqualTo(new NormalizedAnswer("90", Percent: false, Degrees: true)));
        Assert.That(AnswerNormalizer.Normalize(@"\left( \frac 34, 10,\!080 \right)").Text, Is.EqualTo(@"( \frac{3}{4}, 10,080 )"));
    }
}
