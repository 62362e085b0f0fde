using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// Pathological input never hangs or crashes: every comparison ends within its budget with a verdict. The timeout
/// attributes are generous safety nets (a hang would otherwise stall the run), not speed assertions.
/// </summary>
public class GraderRobustnessTests
{
    static readonly MathGrader Grader = new();

    static IEnumerable<TestCaseData> Pathological()
    {
        yield return new TestCaseData(new string('{', 5000) + "1" + new string('}', 5000), "1").SetName("DeeplyNestedBraces");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\frac{1}{", 3000)) + "2" + new string('}', 3000), "2").SetName("DeeplyNestedFractions");
        yield return new TestCaseData(new string('(', 20000) + "1", "1").SetName("UnclosedParentheses");
        yield return new TestCaseData("10^{10^{10^{10}}}", "10^{10^{10^{10}}}+1").SetName("TowerOfExponents");
        yield return new TestCaseData("9^{9^{9}}", "9^{9^{9}}-1").SetName("HugeExactPower");
        yield return new TestCaseData("100000!", "100001!").SetName("HugeFactorial");
        yield return new TestCaseData(@"\binom{1000000000}{500000}", "1").SetName("HugeBinomial");
        yield return new TestCaseData("(10^{5000})!", "1").SetName("FactorialOfAHugeNumber");
        yield return new TestCaseData("1e99999", "1e99998").SetName("HugeScientificExponent");
        yield return new TestCaseData(string.Join("+", Enumerable.Repeat("x", 3000)), "3000x").SetName("LongSum");
        yield return new TestCaseData(new string('1', 10000), new string('1', 9999) + "2").SetName("TenThousandDigits");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\sin(", 2000)) + "x" + new string(')', 2000), "x").SetName("DeepFunctions");
        yield return new TestCaseData(new string('|', 5000), "1").SetName("Bars");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\text{", 3000)) + "a" + new string('}', 3000), "a").SetName("NestedText");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\pm 1", 3000)), "1").SetName("ManyPlusMinus");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("a=", 3000)) + "1", "2").SetName("EquationChain");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat(@"\begin{pmatrix}", 500)) + "1" + string.Concat(Enumerable.Repeat(@"\end{pmatrix}", 500)), "1").SetName("NestedMatrices");
        yield return new TestCaseData(string.Join(",", Enumerable.Range(0, 3000).Select(i => $"x^{i}")), string.Join(",", Enumerable.Range(1, 3000).Select(i => $"x^{i}"))).SetName("LongListsOfExpressions");
        var random = new Random(7);
        const string alphabet = @"{}()[]\frac^_0123456789x+-*/ ,.=\sqrt\left\right$|!&";
        for (int n = 0; n < 5; n++)
            yield return new TestCaseData(new string(Enumerable.Range(0, 10_000).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()), "1")
                .SetName($"RandomLatexSoup{n}");
    }

    [TestCaseSource(nameof(Pathological)), CancelAfter(20_000)]
    public void Pathological_InputEndsWithAVerdict(string predicted, string gold)
    {
        GradeResult forward = default, backward = default;
        Assert.DoesNotThrow(() => forward = Grader.Grade(predicted, gold));
        Assert.DoesNotThrow(() => backward = Grader.Grade(gold, predicted));
        Assert.That(forward.Equal, Is.False, forward.Method);
        Assert.That(backward.Equal, Is.False, backward.Method);
    }

    /// <summary>
    /// Random strings built from LaTeX fragments (unbalanced environments, braces, relations, units...): no input
    /// may throw. 500,000 such pairs were run once by hand when the grader was written; this keeps a fixed sample.
    /// </summary>
    [Test, CancelAfter(60_000)]
    public void RandomLatexFragments_NeverThrow()
    {
        string[] atoms = [@"\begin{", @"\end{", "pmatrix}", "}", "{", "(", ")", "[", "]", @"\{", @"\}", @"\frac", @"\sqrt", "[3]", "x", "y", "1", "2", "0",
            ".", ",", "=", "<", @"\leq", @"\pm", @"\cup", @"\infty", "-", "+", "^", "_", "!", "|", @"\text{", @"\boxed{", @"\left", @"\right", "&", @"\\",
            @"\overline{", "e", "i", @"\pi", "%", @"^\circ", @"\$", "$", " ", @"\lfloor", @"\rfloor", @"\binom", @"\log_", @"\sin", "'", "(A)", @"\in",
            "and", "cm", @"0.\overline{3}", "1e5", @"\,", @"\!", @"\dot{", @"\mathbf{"];
        var random = new Random(2025);
        string Make() => string.Concat(Enumerable.Range(0, random.Next(1, 14)).Select(_ => atoms[random.Next(atoms.Length)]));
        for (int n = 0; n < 3000; n++)
        {
            string a = Make(), b = Make();
            Assert.DoesNotThrow(() => { Grader.Grade(a, b); Grader.Grade(a, a); AnswerExtractor.Extract(a); }, $"'{a}' vs '{b}'");
        }
        Assert.That(Grader.Grade(@"\begin{", @"\begin{pmatrix"), Is.EqualTo(new GradeResult(false, "different")));
    }

    [Test]
    public void LongListInAnotherOrder_IsStillGraded()
    {
        string forward = string.Join(",", Enumerable.Range(0, 3000));
        string backward = string.Join(",", Enumerable.Range(0, 3000).Reverse());
        Assert.That(Grader.Grade(forward, backward), Is.EqualTo(new GradeResult(true, "structure")));
    }

    [Test]
    public void ExhaustedBudget_IsReportedAsNotEqual()
    {
        var tiny = new MathGrader(new GradingOptions { MaxSteps = 50 });
        var result = tiny.Grade(@"\frac{x^9-1}{x-1}", "x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1");
        Assert.That(result, Is.EqualTo(new GradeResult(false, "budget")));
        Assert.That(new MathGrader().Grade(@"\frac{x^9-1}{x-1}", "x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1").Equal, Is.True);
    }

    [Test]
    public void TimeLimit_StopsAComparison()
    {
        var instant = new MathGrader(new GradingOptions { TimeLimit = TimeSpan.Zero, MaxSteps = long.MaxValue / 4 });
        var result = instant.Grade(string.Join(",", Enumerable.Range(0, 20000).Select(i => $"x^{i}")), string.Join(",", Enumerable.Range(1, 20000).Select(i => $"x^{i}")));
        Assert.That(result, Is.EqualTo(new GradeResult(false, "budget")));
    }

    [TestCase(null, "1")]
    [TestCase("", "1")]
    [TestCase("   ", "1")]
    [TestCase("1", "")]
    [TestCase("$ $", "1")]
    public void MissingAnswers_AreNotEqual(string? predicted, string gold) =>
        Assert.That(Grader.Grade(predicted, gold), Is.EqualTo(new GradeResult(false, "no_answer")));

    [Test]
    public void Grader_IsSafeToShareBetweenThreads()
    {
        string[] golds = ["(3,4]", @"\frac{1}{2}", "x^2+2x+1", @"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", "6 - 5i"];
        string[] preds = ["(3,4]", "0.5", "(x+1)^2", "(1,2)", "6-5i"];
        var results = new bool[2000];
        Parallel.For(0, results.Length, i => results[i] = Grader.AreEqual(preds[i % 5], golds[i % 5]));
        Assert.That(results, Is.All.True);
    }
}
