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

    // A gold's % allows both readings (x and x/100): "28\%" accepts 28 and 0.28.
    [TestCase("0.25", @"25\%")]
    [TestCase("25", @"25\%")]
    [TestCase("25 percent", @"25\%")]
    [TestCase(@"25\%", @"25\%")]
    public void AGoldsPercentSign_AllowsBothReadings(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.True);

    // A prediction's % is a value, x/100, as Math-Verify reads it: "4 4/9%" is not 40/9, "25\%" is not 25...
    [TestCase(@"25\%", "25")]
    [TestCase(@"4.25\%", "4.25")]
    [TestCase("4 4/9%", "40/9")]
    [TestCase("4 4/9 percent", "40/9")]
    [TestCase(@"x\%", "x")]
    public void APredictionsPercentSign_IsAValue(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.False);

    [TestCase(@"25\%", "0.25")]
    [TestCase("4 4/9%", "40/900")]
    [TestCase("28%", "7/25")]
    public void APredictionsPercentSign_MeansXOver100(string pred, string gold) => Assert.That(Grader.Grade(pred, gold).Equal, Is.True);

    // ...unless the question asks for a percentage: then golds often drop the % ("What percent ...?" with gold 10).
    [TestCase(@"25\%", "25", "What percent of the students passed?")]
    [TestCase(@"4.25\%", "4.25", "By how many % did the price rise?")]
    [TestCase(@"25\%", "0.25", "What percentage of the area is shaded?")]
    public void APredictionsPercentSign_AllowsBothReadings_WhenTheQuestionAsksForAPercentage(string pred, string gold, string question)
    {
        var grader = Grader.ForQuestion(question);
        Assert.That(grader.Options.PercentQuestion, Is.True);
        Assert.That(grader.Grade(pred, gold).Equal, Is.True);
        Assert.That(grader.Grade("25000", gold).Equal, Is.False, "no other scaling");
    }

    [TestCase("What percent of 80 is 20?", true)]
    [TestCase(@"A 20\% discount is applied. How many dollars are saved?", true)]
    [TestCase("What percentage is shaded?", true)]
    [TestCase("How many apples are left?", false)]
    [TestCase(null, false)]
    public void PercentQuestions_AreThoseThatMentionAPercentage(string? question, bool asks) =>
        Assert.That(PercentQuestions.Asks(question), Is.EqualTo(asks));

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
