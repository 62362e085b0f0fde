using System.Text.Json;
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
/// The public graders' own test cases (PublicGraderCases/*.jsonl: Math-Verify, hendrycks/math, NeMo-Skills,
/// Qwen2.5-Math; each line names its source and test), graded as `rlsc grade` does: both sides through the extractor
/// (the public suites give gold and prediction as "$9$", "Answer \[ 9 \]" or whole responses), then the grader. Issue #13
/// asks for at least 95% agreement with their expectations; every disagreement is printed, grouped by source and test.
/// A case whose public expectation is wrong carries our verdict ("ours") and the reason ("why"): that verdict is
/// asserted, and the case still counts as a disagreement in the figure.
/// </summary>
public class PublicGraderAgreementTests
{
    sealed record Case(string File, string Source, string Group, string Gold, string Pred, bool Expected, bool? Ours, string? Why);

    static readonly MathGrader Grader = new();

    static List<Case> LoadCases()
    {
        var folder = RepositoryRoot.Combine("tests", "Rlsc.Runtime.Tests", "Evaluation", "PublicGraderCases");
        var cases = new List<Case>();
        foreach (string path in Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal))
            foreach (string line in File.ReadLines(path).Where(l => l.Trim().Length > 0))
            {
                var e = JsonDocument.Parse(line).RootElement;
                cases.Add(new Case(Path.GetFileName(path), e.GetProperty("source").GetString()!, e.GetProperty("group").GetString()!,
                    e.GetProperty("gold").GetString()!, e.GetProperty("pred").GetString()!, e.GetProperty("expected").GetBoolean(),
                    e.TryGetProperty("ours", out var ours) ? ours.GetBoolean() : null,
                    e.TryGetProperty("why", out var why) ? why.GetString() : null));
            }
        return cases;
    }

    static (bool Equal, string Detail) Verdict(Case c)
    {
        var gold = AnswerExtractor.ExtractOrBare(c.Gold);
        var pred = AnswerExtractor.ExtractOrBare(c.Pred);
        var result = gold.Answer is null ? GradeResult.Different("no_answer") : Grader.Grade(pred.Answer, gold.Answer);
        return (result.Equal, $"gold '{Short(gold.Answer)}' ({gold.Rule.ToName()}), pred '{Short(pred.Answer)}' ({pred.Rule.ToName()}): {result.Method}");
    }

    static string Short(string? s) => s is null ? "null" : s.Length <= 120 ? s.Replace("\n", "\\n") : s[..117].Replace("\n", "\\n") + "...";

    [Test]
    public void AgreementWithThePublicGraders_IsAtLeast95Percent()
    {
        var cases = LoadCases();
        Assert.That(cases, Has.Count.GreaterThan(250), "the case files must be there");
        var disagreements = new List<(Case Case, string Detail, bool Ours)>();
        foreach (var c in cases)
        {
            var (equal, detail) = Verdict(c);
            if (equal != c.Expected) disagreements.Add((c, detail, equal));
        }
        double agreement = 1.0 - (double)disagreements.Count / cases.Count;
        int decided = cases.Count(c => c.Ours is not null);
        int undecidedDisagreements = disagreements.Count(d => d.Case.Ours is null);
        double agreementWhereNoDecision = 1.0 - (double)undecidedDisagreements / (cases.Count - decided);
        TestContext.Out.WriteLine($"agreement with the public graders' expectations: {agreement:P1} ({cases.Count - disagreements.Count} of {cases.Count})");
        TestContext.Out.WriteLine($"  {disagreements.Count - undecidedDisagreements} disagreements are documented decisions (docs/evaluation.md); on the other "
            + $"{cases.Count - decided} cases: {agreementWhereNoDecision:P1} ({cases.Count - decided - undecidedDisagreements} of {cases.Count - decided})");
        foreach (var file in cases.GroupBy(c => c.File))
        {
            int differ = disagreements.Count(d => d.Case.File == file.Key);
            TestContext.Out.WriteLine($"  {file.Key}: {file.Count() - differ} of {file.Count()} agree");
        }
        foreach (var group in disagreements.GroupBy(d => $"{d.Case.File} / {d.Case.Group}"))
        {
            TestContext.Out.WriteLine($"{group.Key}:");
            foreach (var (c, detail, ours) in group)
                TestContext.Out.WriteLine($"  expected {(c.Expected ? "equal" : "different")}, ours {(ours ? "equal" : "different")}"
                    + $"{(c.Ours is not null ? " (deliberate: " + c.Why + ")" : "")} | {detail}");
        }
        // Issue #13's bar (95%) holds on all cases, the documented decisions counted against it (the figure quoted in
        // docs/evaluation.md), and on the cases where no decision is documented.
        Assert.That(agreement, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(agreementWhereNoDecision, Is.GreaterThanOrEqualTo(0.95));
    }

    [Test]
    public void WherePublicExpectationsAreWrong_OurVerdictHolds()
    {
        var deliberate = LoadCases().Where(c => c.Ours is not null).ToList();
        Assert.That(deliberate, Is.Not.Empty);
        foreach (var c in deliberate)
            Assert.That(Verdict(c).Equal, Is.EqualTo(c.Ours), $"{c.File} / {c.Group}: '{c.Pred}' vs '{c.Gold}' ({c.Why})");
    }
}
