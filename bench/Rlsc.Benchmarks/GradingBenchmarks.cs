using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Benchmarks;

/// <summary>
/// Grading throughput on all of math500 (answers per second = 500 / the reported time per operation).
/// Run: dotnet run -c Release --project bench/Rlsc.Benchmarks -- --filter '*Grading*'
/// <list type="bullet">
/// <item>ExtractAndGrade_ReferenceSolutions: each reference solution as a whole response (extraction, then grading
/// against the gold: mostly the equal-text fast path).</item>
/// <item>Grade_OtherProblemsAnswers: each gold answer against the next problem's (nearly always "not equal", so
/// the full path: structure, parsing, exact and numeric or symbolic comparison).</item>
/// <item>Grade_RewrittenAnswers: each gold answer against a rewritten equal form ("\frac" as "/", "$" added, spaces).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class GradingBenchmarks
{
    const int Problems = 500;
    readonly MathGrader _grader = new();
    string[] _golds = [];
    string[] _solutions = [];
    string[] _rewritten = [];

    [GlobalSetup]
    public void Load()
    {
        var suite = EvaluationSuite.Load(SuiteCatalog.Find("math500"));
        _golds = suite.Problems.Select(p => p.Gold!).ToArray();
        _solutions = File.ReadLines(suite.DataPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("solution").GetString()!).ToArray();
        _rewritten = _golds.Select(g => "$" + g.Replace(@"\frac", @"\dfrac").Replace(" ", "") + "$").ToArray();
        if (_golds.Length != Problems) throw new InvalidOperationException($"math500 has {_golds.Length} problems");
    }

    [Benchmark(OperationsPerInvoke = Problems)]
    public int ExtractAndGrade_ReferenceSolutions()
    {
        int equal = 0;
        for (int i = 0; i < Problems; i++)
            if (_grader.AreEqual(AnswerExtractor.Extract(_solutions[i]).Answer, _golds[i])) equal++;
        return equal;
    }

    [Benchmark(OperationsPerInvoke = Problems)]
    public int Grade_OtherProblemsAnswers()
    {
        int equal = 0;
        for (int i = 0; i < Problems; i++)
            if (_grader.AreEqual(_golds[(i + 1) % Problems], _golds[i])) equal++;
        return equal;
    }

    [Benchmark(OperationsPerInvoke = Problems)]
    public int Grade_RewrittenAnswers()
    {
        int equal = 0;
        for (int i = 0; i < Problems; i++)
            if (_grader.AreEqual(_rewritten[i], _golds[i])) equal++;
        return equal;
    }
}
