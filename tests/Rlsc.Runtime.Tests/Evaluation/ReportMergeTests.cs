using Rlsc.Core;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// `rlsc report merge` reproduces a single machine's output exactly: same summary (but for times) and the same
/// problems.jsonl, whether the shards split suites or index ranges; inconsistent inputs are refused.
/// </summary>
public class ReportMergeTests
{
    string _folder = "";
    string _predictions = "";

    [SetUp]
    public void Create()
    {
        _folder = EvaluationFixture.TempFolder("merge");
        var suites = new[] { "math500", "aime24", "amc23" }.Select(n => EvaluationSuite.Load(SuiteCatalog.Find(n))).ToList();
        _predictions = EvaluationFixture.WritePredictions(_folder, suites, k: 3, seed: 17);
    }

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    EvaluationSummary Run(string suites, string output, ShardSpec? shard = null, int? limit = null, string? runId = "run-1") =>
        EvaluationRunner.RunPredictions(new EvaluationOptions
        {
            Suites = SuiteCatalog.FindAll(suites),
            OutputFolder = Path.Combine(_folder, output),
            Shard = shard,
            Limit = limit,
            RunId = runId,
        }, _predictions, new ModelInfo("model-x", "/m/x", "abc"));

    [Test]
    public void IndexRangeShards_MergeIntoTheSingleRun()
    {
        var single = Run("math500,aime24,amc23", "single");
        for (int i = 0; i < 3; i++) Run("math500,aime24,amc23", $"shard{i}", new ShardSpec(i, 3));
        // Inputs in any order, as folders or summary files.
        var merged = ReportMerger.Merge([Path.Combine(_folder, "shard2"), Path.Combine(_folder, "shard0", "summary.json"), Path.Combine(_folder, "shard1")],
            Path.Combine(_folder, "merged"));
        Assert.That(EvaluationFixture.Comparable(merged), Is.EqualTo(EvaluationFixture.Comparable(single)));
        Assert.That(EvaluationFixture.ComparableProblems(Path.Combine(_folder, "merged")), Is.EqualTo(EvaluationFixture.ComparableProblems(Path.Combine(_folder, "single"))));
        Assert.That(EvaluationFixture.Comparable(EvaluationSummary.Load(Path.Combine(_folder, "merged"))), Is.EqualTo(EvaluationFixture.Comparable(single)));
        Assert.That(merged.Settings.Shard, Is.Null);
        Assert.That(merged.RunId, Is.EqualTo("run-1"));
        Assert.That(File.ReadAllText(Path.Combine(_folder, "merged", "report.md")), Does.Contain("| math500 | 500 |"));
    }

    [Test]
    public void SuiteShards_MergeIntoTheSingleRun()
    {
        var single = Run("math500,aime24,amc23", "single");
        Run("math500", "a");
        Run("aime24,amc23", "b");
        var merged = ReportMerger.Merge([Path.Combine(_folder, "a"), Path.Combine(_folder, "b")], Path.Combine(_folder, "merged"));
        Assert.That(EvaluationFixture.Comparable(merged), Is.EqualTo(EvaluationFixture.Comparable(single)));
        Assert.That(EvaluationFixture.ComparableProblems(Path.Combine(_folder, "merged")), Is.EqualTo(EvaluationFixture.ComparableProblems(Path.Combine(_folder, "single"))));
    }

    [Test]
    public void MixedShards_WithLimit_MergeIntoTheSingleRun()
    {
        var single = Run("math500,aime24", "single", limit: 25);
        Run("math500", "m0", new ShardSpec(0, 2), limit: 25);
        Run("math500", "m1", new ShardSpec(1, 2), limit: 25);
        Run("aime24", "a", limit: 25);
        var merged = ReportMerger.Merge([Path.Combine(_folder, "m0"), Path.Combine(_folder, "m1"), Path.Combine(_folder, "a")], Path.Combine(_folder, "merged"));
        Assert.That(EvaluationFixture.Comparable(merged), Is.EqualTo(EvaluationFixture.Comparable(single)));
    }

    [Test]
    public void MissingShard_IsAnError_NamingTheProblems()
    {
        Run("aime24", "s0", new ShardSpec(0, 3));
        Run("aime24", "s2", new ShardSpec(2, 3));
        var e = Assert.Throws<RlscException>(() => ReportMerger.Merge([Path.Combine(_folder, "s0"), Path.Combine(_folder, "s2")], Path.Combine(_folder, "merged")))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ShardsInconsistent));
        Assert.That(e.Message, Does.Contain("10-19"));
        Assert.That(Directory.Exists(Path.Combine(_folder, "merged")), Is.False);
    }

    [Test]
    public void OverlappingShards_AreAnError()
    {
        Run("aime24", "all");
        Run("aime24", "s0", new ShardSpec(0, 2));
        var e = Assert.Throws<RlscException>(() => ReportMerger.Merge([Path.Combine(_folder, "all"), Path.Combine(_folder, "s0")], Path.Combine(_folder, "merged")))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ShardsInconsistent));
        Assert.That(e.Message, Does.Contain("twice"));
    }

    [Test]
    public void DifferentSettingsOrRuns_AreAnError()
    {
        Run("aime24", "s0", new ShardSpec(0, 2));
        EvaluationRunner.RunPredictions(new EvaluationOptions
        {
            Suites = SuiteCatalog.FindAll("aime24"), OutputFolder = Path.Combine(_folder, "s1"), Shard = new ShardSpec(1, 2), RunId = "run-1", Temperature = 0.7,
        }, _predictions, new ModelInfo("model-x", "/m/x", "abc"));
        Run("aime24", "s1-other-run", new ShardSpec(1, 2), runId: "run-2");
        var settings = Assert.Throws<RlscException>(() => ReportMerger.Merge([Path.Combine(_folder, "s0"), Path.Combine(_folder, "s1")], Path.Combine(_folder, "m1")))!;
        Assert.That(settings.Message, Does.Contain("different settings"));
        var run = Assert.Throws<RlscException>(() => ReportMerger.Merge([Path.Combine(_folder, "s0"), Path.Combine(_folder, "s1-other-run")], Path.Combine(_folder, "m2")))!;
        Assert.That(run.Message, Does.Contain("run_id"));
        File.Delete(Path.Combine(_folder, "s0", "problems.jsonl"));
        var missing = Assert.Throws<RlscException>(() => ReportMerger.Merge([Path.Combine(_folder, "s0")], Path.Combine(_folder, "m3")))!;
        Assert.That(missing.Code, Is.EqualTo(ErrorCodes.FileNotFound));
    }
}
