using System.Diagnostics;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>Grades the samples of one problem: extraction, grading against the gold answer, majority vote and agreement.</summary>
public static class ProblemGrading
{
    public static ProblemRecord Grade(string suite, SuiteProblem problem, string prompt, IReadOnlyList<SampledResponse> samples, MathGrader grader, double generationSeconds = 0)
    {
        if (samples.Count == 0) throw new ArgumentException("a problem needs at least one response", nameof(samples));
        var clock = Stopwatch.StartNew();
        string gold = problem.Gold ?? throw new ArgumentException($"problem {problem.Index} of '{suite}' has no gold answer", nameof(problem));
        // A problem that asks for a percentage lets a predicted x% also mean x, for the gold and among the samples alike.
        grader = grader.ForQuestion(problem.Question);
        // A problem that states its own tolerance (OlympiadBench's `error`) is graded with it; clustering keeps the suite's.
        var goldGrader = problem.Tolerance is { } t ? new MathGrader(grader.Options with { AbsoluteTolerance = t }) : grader;
        var extracted = samples.Select(s => AnswerExtractor.Extract(s.Text)).ToList();
        var correct = extracted.Select(e => e.Answer is not null && goldGrader.AreEqual(e.Answer, gold)).ToList();
        var vote = AnswerClusters.Vote(extracted.Select(e => e.Answer).ToList(), grader);
        bool tokens = samples.All(s => s.Tokens is not null);
        return new ProblemRecord
        {
            Suite = suite,
            Index = problem.Index,
            Id = problem.Id,
            Prompt = prompt,
            Gold = gold,
            Responses = samples.Select(s => s.Text).ToList(),
            Extracted = extracted.Select(e => e.Answer).ToList(),
            Rules = extracted.Select(e => e.Rule.ToName()).ToList(),
            Correct = correct,
            Lengths = samples.Select(s => tokens ? s.Tokens!.Value : s.Text.Length).ToList(),
            LengthUnit = tokens ? "tokens" : "chars",
            FinishReasons = samples.All(s => s.FinishReason is not null) ? samples.Select(s => s.FinishReason!).ToList() : null,
            Majority = vote.Majority >= 0 ? extracted[vote.Majority].Answer : null,
            MajorityCorrect = vote.Majority >= 0 && correct[vote.Majority],
            Agreement = (double)vote.MajoritySize / samples.Count,
            Seconds = Math.Round(generationSeconds + clock.Elapsed.TotalSeconds, 3),
        };
    }
}
