using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// Where this grader deliberately differs from Qwen2.5-Math or Math-Verify (docs/evaluation.md, "Deliberate
/// differences"): each decision, tested in both directions.
/// </summary>
public class GraderDecisionsTests
{
    static readonly MathGrader Grader = new();

    // Qwen2.5-Math's include_percentage accepts reference*100 and reference/100 for any number: 8 = 800 = 0.08.
    [TestCase("800", "8")]
    [TestCase("0.08", "8")]
    [TestCase("8", "800")]
    [TestCase("25", "0.25")]
    public void ScalingBy100WithoutAPercentSign_IsDifferent(string pred, string gold)
    {
        Assert.That(Grader.Grade(pred, gold).Equal, Is.False);
        Assert.That(Grader.Grade(gold, pred).Equal, Is.False);
    }

    // A % on either side allows both readings (x and x/100): golds often drop the % of a "what percent" question.
    [TestCase(@"25\%", "0.25")]
    [TestCase(@"25\%", "25")]
    [TestCase("25 percent", @"25\%")]
    [TestCase(@"4.25\%", "4.25")]
    public void APercentSign_AllowsBothReadings(string pred, string gold)
    {
        Assert.That(Grader.Grade(pred, gold).Equal, Is.True);
        Assert.That(Grader.Grade(gold, pred).Equal, Is.True);
    }

    [TestCase(@"25\%", "2.5")]
    [TestCase(@"25\%", "2500")]
    public void APercentSign_AllowsNoOtherScaling(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.False);

    // Math-Verify reads "1,22" as 1.22; here a comma separates answers or thousands.
    [TestCase("1,22", "1.22")]
    [TestCase("0,111", "0.111")]
    public void ACommaIsNeverADecimalComma(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.False);

    // NeMo-Skills drops any text after a number; here only units go.
    [TestCase(@"17\text{ any text}", "17")]
    [TestCase(@"17 \text{ less than } x", "17")]
    public void TextThatIsNotAUnit_IsKept(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.False);

    [TestCase(@"17\text{ cm}", "17")]
    [TestCase("17 apples", "17")]
    public void Units_AreDropped(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.True);

    // hendrycks compares strings, so order matters by accident; Math-Verify reads a comma list as a set, as here.
    [Test]
    public void ACommaListIsCompared_InAnyOrder() => Assert.That(Grader.Grade("4, 10, -2", "10, 4, -2").Equal, Is.True);

    [TestCase(@"1, 2, 3, \ldots", "1, 2, 3")]
    [TestCase("1, 2, 3, ...", "1, 2, 3")]
    public void AnEllipsis_IsPartOfTheAnswer(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.False);

    [TestCase(@"\frac{\sqrt{3}}{3} \approx 0.577", @"\frac{\sqrt{3}}{3}", true)]
    [TestCase(@"x \approx 11", "11", true)]
    [TestCase(@"\frac{\sqrt{3}}{3} \approx 0.577", "0.577", false)]
    [TestCase("x = 5+5+1 = 7 = 11", "x = 11", true)]
    [TestCase("x = 5+5+1 = 7 = 12", "x = 11", false)]
    [TestCase(@"3 \cdot 4 = 12", "12", true)]
    [TestCase("2x + z = 1", "1", false)]
    [TestCase("-x > -1", "x < 1", true)]
    [TestCase("-x > -1", "x > 1", false)]
    [TestCase("4 4/9", @"\frac{40}{9}", true)]
    [TestCase("11 6/6", "11", false)]
    [TestCase("11 6/6", "12", false)]
    [TestCase("C. x = 42", "C", true)]
    [TestCase("D. x = 42", "C", false)]
    public void FreeFormRules(string pred, string gold, bool equal) => Assert.That(Grader.Grade(pred, gold).Equal, Is.EqualTo(equal));
}
