using System.Diagnostics;
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
/// No grading call outlives its budget (<see cref="GradingOptions.TimeLimit"/>), including the extraction rules added
/// for issue #13 (math environments, answer markers, adjacent boxes, prose detection) on megabyte responses. Each case
/// is timed end to end, extraction and grading, as an evaluation runs it; the slowest is printed (docs/evaluation.md).
/// </summary>
public class GradingBudgetTimingTests
{
    static IEnumerable<TestCaseData> Inputs()
    {
        const int Mega = 1 << 20;
        yield return new TestCaseData(new string('{', 5000) + "1" + new string('}', 5000), "1").SetName("DeepNesting");
        yield return new TestCaseData("10^{10^{10^{10}}}", "10^{10^{10^{10}}}+1").SetName("ExponentTower");
        yield return new TestCaseData("1000!", "1000!+1").SetName("Factorial1000");
        yield return new TestCaseData("1/2004!", "1/2006!").SetName("TinyFactorialReciprocals");
        yield return new TestCaseData(new string('9', Mega), new string('9', Mega - 1) + "8").SetName("MegabyteNumber");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("$x$ and ", Mega / 8)), "x").SetName("MegabyteOfMathEnvironments");
        yield return new TestCaseData(new string('$', Mega), "1").SetName("MegabyteOfDollars");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\(", Mega / 2)), "1").SetName("MegabyteOfUnclosedParens");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\boxed{1} and ", Mega / 14)), "1").SetName("MegabyteOfAdjacentBoxes");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\boxed{", Mega / 7)), "1").SetName("MegabyteOfUnclosedBoxes");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\text{", Mega / 6)), "1").SetName("MegabyteOfUnclosedText");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\frac{", Mega / 6)), "1").SetName("MegabyteOfUnclosedFractions");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("Answer: the answer is ", Mega / 22)) + "5", "5").SetName("MegabyteOfAnswerMarkers");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("word ", Mega / 5)) + "$x \\approx 3$", "3").SetName("MegabyteOfProse");
        yield return new TestCaseData(string.Join(" = ", Enumerable.Repeat("x", 20000)), "x").SetName("LongEquationChain");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("4 4/9 ", 20000)), "40/9").SetName("ManyMixedNumbers");
    }

    [TestCaseSource(nameof(Inputs)), CancelAfter(60_000)]
    public void ExtractionAndGrading_EndWithinTheBudget(string response, string gold)
    {
        var grader = new MathGrader();
        var phases = new List<(string Name, TimeSpan Time)>();
        T Timed<T>(string name, Func<T> work)
        {
            var clock = Stopwatch.StartNew();
            T result = work();
            phases.Add((name, clock.Elapsed));
            return result;
        }
        var extracted = Timed("extract", () => AnswerExtractor.Extract(response));
        var bare = Timed("extract_or_bare", () => AnswerExtractor.ExtractOrBare(response));
        var forward = Timed("grade(extracted, gold)", () => grader.Grade(extracted.Answer, gold));
        var backward = Timed("grade(gold, bare)", () => grader.Grade(gold, bare.Answer));
        var raw = Timed("grade(response, gold)", () => grader.Grade(response, gold));
        var slowest = phases.MaxBy(p => p.Time);
        TestContext.Out.WriteLine($"{TestContext.CurrentContext.Test.Name}: slowest {slowest.Name} {slowest.Time.TotalSeconds:0.000} s; "
            + string.Join(", ", phases.Select(p => $"{p.Name} {p.Time.TotalSeconds:0.000}")) + $" ({forward.Method}, {backward.Method}, {raw.Method})");
        // Each grading call stops at its deadline (checked every 4096 steps, hence the small margin); an extraction is a
        // few linear scans whose regular expressions carry their own 1 s timeouts.
        foreach (var (name, time) in phases)
            Assert.That(time, Is.LessThanOrEqualTo(name.StartsWith("grade") ? grader.Options.TimeLimit + TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(3)), name);
        Assert.That(raw.Equal && response.Length > 100_000, Is.False, "a megabyte response is not equal to a short gold");
    }
}
