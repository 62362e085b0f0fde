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
/// Near misses of the six suites' real gold answers (<see cref="NearMissGenerator"/>) are wrong answers: the grader
/// (the suite's own options, the problem's own tolerance, as an evaluation grades) must accept none of them. Issue
/// #13's bar is at most 0.5% per suite and 0 in every family; this asserts 0 everywhere and prints the counts
/// (docs/evaluation.md quotes them).
/// </summary>
public class NearMissTests
{
    [TestCase("aime24")]
    [TestCase("amc23")]
    [TestCase("math500")]
    [TestCase("minerva_math")]
    [TestCase("olympiadbench")]
    [TestCase("gsm8k")]
    public void NoNearMissIsAccepted(string name)
    {
        var suite = EvaluationSuite.Load(SuiteCatalog.Find(name));
        var grader = new MathGrader(suite.Manifest.GradingOptions);
        var accepted = new List<string>();
        int generated = 0;
        var perFamily = NearMissGenerator.Families.ToDictionary(f => f, _ => (Generated: 0, Accepted: 0));
        foreach (var problem in suite.Problems)
        {
            var problemGrader = problem.Tolerance is { } t ? new MathGrader(grader.Options with { AbsoluteTolerance = t }) : grader;
            foreach (string family in NearMissGenerator.Families)
            {
                if (NearMissGenerator.Mutate(family, problem.Gold!, grader.Options) is not { } mutant) continue;
                generated++;
                var result = problemGrader.Grade(mutant, problem.Gold);
                var counts = perFamily[family];
                perFamily[family] = (counts.Generated + 1, counts.Accepted + (result.Equal ? 1 : 0));
                if (result.Equal) accepted.Add($"[{family}] '{mutant}' accepted for '{problem.Gold}' ({result.Method})");
            }
        }
        TestContext.Out.WriteLine($"{name}: {generated} near misses, {accepted.Count} accepted ({100.0 * accepted.Count / Math.Max(1, generated):0.00}%)");
        foreach (var (family, counts) in perFamily) TestContext.Out.WriteLine($"  {family}: {counts.Generated} generated, {counts.Accepted} accepted");
        foreach (string a in accepted) TestContext.Out.WriteLine("  " + a);
        Assert.That(generated, Is.GreaterThan(suite.Problems.Count), "the generator must produce near misses for this suite");
        Assert.That(accepted, Is.Empty, string.Join("\n", accepted));
    }

    [TestCase("leading_digit", "204", "304")]
    [TestCase("leading_digit", @"\frac{9}{2}", @"\frac{8}{2}")]
    [TestCase("append_plus_one", "x=5", "x=5+1")]
    [TestCase("append_char", "42", "427")]
    [TestCase("append_char", "Paris", "Parisq")]
    [TestCase("append_char", "x+y=0", "x+y=07")]
    [TestCase("append_char", "3.14159", "3.14159q")]
    [TestCase("append_char", ".35625", ".35625q")]
    [TestCase("swap_bracket", "(1, 2]", "[1, 2]")]
    [TestCase("swap_bracket", @"(-\infty, 2)", @"(-\infty, 2]")]
    [TestCase("change_exponent", "x^{2}+1", "x^{3}+1")]
    [TestCase("change_sign", "-3", "3")]
    [TestCase("change_sign", "x-3", "x+3")]
    [TestCase("change_equation_right", "y=2x+1", "y=(2x+1)+1")]
    public void Generator_MakesTheNearMiss(string family, string gold, string expected) =>
        Assert.That(NearMissGenerator.Mutate(family, gold), Is.EqualTo(expected));

    [TestCase("change_sign", "0")]
    [TestCase("change_sign", @"\cos (2 t)")]
    [TestCase("change_exponent", @"15\mbox{ cm}^2")]
    [TestCase("append_char", "0.0")]
    [TestCase("change_sign", @"\pm 3")]
    [TestCase("change_exponent", "1^{2}")]
    [TestCase("swap_bracket", "5")]
    [TestCase("append_plus_one", @"\infty")]
    public void Generator_SkipsMutationsThatKeepTheValue(string family, string gold) =>
        Assert.That(NearMissGenerator.Mutate(family, gold), Is.Null);
}
