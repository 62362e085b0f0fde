using System.Text.Json;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.Gate;

namespace Rlsc.Cli.Tests.Evaluation;

/// <summary>`rlsc eval --predictions` and `rlsc report compare|merge` on the real suite files.</summary>
[NonParallelizable]
public class EvalCommandTests
{
    string _folder = "";

    [SetUp]
    public void Create() => _folder = CliRunner.TempFolder();

    [TearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    /// <summary>Responses for amc23 and aime24: the gold answer boxed for every index divisible by <paramref name="rightEvery"/>, else a wrong one.</summary>
    string Predictions(string name, int rightEvery)
    {
        string path = Path.Combine(_folder, name + ".jsonl");
        var lines = new List<string>();
        foreach (var (suite, file) in new[] { ("amc23", "amc23"), ("aime24", "aime24") })
        {
            // The gold answers as rlsc eval finds them: the local mirror, the cache or the public source (sha256-checked).
            var problems = EvaluationSuite.Load(SuiteCatalog.Find(file)).Problems;
            for (int i = 0; i < problems.Count; i++)
            {
                string gold = problems[i].Gold!;
                string response = i % rightEvery == 0 ? $"Thus \\boxed{{{gold}}}." : "Thus \\boxed{-12345}.";
                lines.Add(JsonSerializer.Serialize(new { suite, index = i, response }));
            }
        }
        File.WriteAllLines(path, lines);
        return path;
    }

    [Test]
    public void Predictions_WriteSummaryProblemsAndReport()
    {
        string output = Path.Combine(_folder, "out");
        var (exit, stdout, errors) = CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", Predictions("half", 2),
            "--output", output, "--model-name", "half-right", "--run-id", "77-1");
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.Contain("| amc23 | 40 | 50.0% [34.3, 65.7] |").And.Contain("| aime24 | 30 | 50.0% [31.8, 68.2] |"),
            "accuracy with its 95% interval: 0.5 ± 1.96 sqrt(n/4 / (n (n - 1)))");
        Assert.That(errors, Does.Contain("eval: amc23 grade 40/40 (100%)"), "plain progress lines when stderr is redirected");
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement;
        Assert.That(summary.GetProperty("schema").GetString(), Is.EqualTo("rlsc.eval.summary/v1"));
        Assert.That(summary.GetProperty("run_id").GetString(), Is.EqualTo("77-1"));
        Assert.That(summary.GetProperty("model").GetProperty("name").GetString(), Is.EqualTo("half-right"));
        Assert.That(summary.GetProperty("suites").GetProperty("amc23").GetProperty("accuracy").GetDouble(), Is.EqualTo(0.5));
        Assert.That(summary.GetProperty("suites").GetProperty("aime24").GetProperty("count").GetInt32(), Is.EqualTo(30));
        Assert.That(File.ReadLines(Path.Combine(output, "problems.jsonl")).Count(), Is.EqualTo(70));
        Assert.That(File.ReadAllText(Path.Combine(output, "report.md")), Does.StartWith("## Evaluation: half-right"));
        var gate = EvaluationSummaryReader.Read(Path.Combine(output, "summary.json"));
        Assert.That(gate.Suites.Keys, Is.EquivalentTo(new[] { "amc23", "aime24" }));
    }

    [Test]
    public void Eval_Errors_AreCanonicalLines()
    {
        var (exit, _, errors) = CliRunner.Run("eval", "--suite", "amc23", "--output", Path.Combine(_folder, "o"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("error RLSC001").And.Contain("--predictions"));
        (exit, _, errors) = CliRunner.Run("eval", "--suite", "nosuch", "--predictions", "x.jsonl", "--output", Path.Combine(_folder, "o"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("RLSC031"));
        string bad = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(bad, "{\"index\": 99, \"response\": \"1\"}\n");
        (exit, _, errors) = CliRunner.Run("eval", "--suite", "amc23", "--predictions", bad, "--output", Path.Combine(_folder, "o"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.StartWith($"{bad}(1): error RLSC034:"));
        (exit, _, errors) = CliRunner.Run("eval", "--suite", "amc23", "--predictions", bad, "--output", Path.Combine(_folder, "o"), "--shard", "3/3");
        Assert.That(errors, Does.Contain("--shard '3/3'"));
    }

    [Test]
    public void ReportCompare_PrintsAndWritesDeltas()
    {
        CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", Predictions("before", 4), "--output", Path.Combine(_folder, "base"));
        CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", Predictions("after", 2), "--output", Path.Combine(_folder, "rlsc"));
        string markdown = Path.Combine(_folder, "compare.md");
        var (exit, stdout, errors) = CliRunner.Run("report", "compare", Path.Combine(_folder, "base", "summary.json"), Path.Combine(_folder, "rlsc"), "--output", markdown);
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.StartWith("## RLSC before/after: amc23, aime24 (70 held-out problems)"));
        Assert.That(stdout, Does.Contain("| greedy accuracy | 25.8% | 50.0% | +24.2 pts |"), "the mean of the suites");
        Assert.That(stdout, Does.Contain("| amc23 | greedy accuracy | 25.0% | 50.0% | +25.0 pts |"));
        Assert.That(stdout, Does.Contain("| aime24 | greedy accuracy | 26.7% | 50.0% | +23.3 pts |"));
        Assert.That(stdout, Does.Contain($"Base model: before ({Path.Combine(_folder, "base", "summary.json")}); after RLSC: after ({Path.Combine(_folder, "rlsc")})."));
        Assert.That(File.ReadAllText(markdown), Is.EqualTo(stdout));
    }

    [Test]
    public void ReportCompare_RefusesEvaluationsOfDifferentKinds()
    {
        string greedy = Path.Combine(_folder, "greedy"), sampled = Path.Combine(_folder, "sampled");
        CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", Predictions("before", 4), "--output", greedy);
        string twice = Path.Combine(_folder, "twice.jsonl");
        // Two responses a problem: the one-response file's, then a wrong one.
        File.WriteAllLines(twice, File.ReadLines(Predictions("after", 2)).Select(l => JsonDocument.Parse(l)).Select(line => JsonSerializer.Serialize(new
        {
            suite = line.RootElement.GetProperty("suite").GetString(),
            index = line.RootElement.GetProperty("index").GetInt32(),
            responses = new[] { line.RootElement.GetProperty("response").GetString(), "Thus \\boxed{-12345}." },
        })));
        var (code, _, evalErrors) = CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", twice, "--temperature", "0.5", "--output", sampled);
        Assert.That(code, Is.EqualTo(0), evalErrors);
        string markdown = Path.Combine(_folder, "refused.md");
        var (exit, stdout, errors) = CliRunner.Run("report", "compare", greedy, sampled, "--output", markdown);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("error RLSC039").And.Contain(greedy).And.Contain(sampled)
            .And.Contain("the first is greedy, the second 2 sample(s) per problem at T=0.5"));
        Assert.That(stdout, Is.Empty);
        Assert.That(File.Exists(markdown), Is.False);
    }

    [Test]
    public void ReportMerge_OfShards_EqualsTheSingleRun()
    {
        string predictions = Predictions("third", 3);
        CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", predictions, "--output", Path.Combine(_folder, "single"));
        for (int i = 0; i < 2; i++)
        {
            var (code, _, err) = CliRunner.Run("eval", "--suite", "amc23,aime24", "--predictions", predictions, "--output", Path.Combine(_folder, $"s{i}"), "--shard", $"{i}/2");
            Assert.That(code, Is.EqualTo(0), err);
        }
        var (exit, stdout, errors) = CliRunner.Run("report", "merge", "--input", Path.Combine(_folder, "s1", "summary.json"), "--input", Path.Combine(_folder, "s0", "summary.json"),
            "--output", Path.Combine(_folder, "merged"));
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(stdout, Does.Contain("| amc23 | 40 |"));
        static JsonElement Suites(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement.GetProperty("suites");
        foreach (string suite in new[] { "amc23", "aime24" })
            foreach (string field in new[] { "count", "accuracy", "maj_at_k", "pass_at_k", "extraction_failure_rate", "mean_response_length", "mean_agreement", "selection" })
                Assert.That(Suites(Path.Combine(_folder, "merged")).GetProperty(suite).GetProperty(field).GetRawText(),
                    Is.EqualTo(Suites(Path.Combine(_folder, "single")).GetProperty(suite).GetProperty(field).GetRawText()), $"{suite}.{field}");
        var (failed, _, mergeErrors) = CliRunner.Run("report", "merge", "--input", Path.Combine(_folder, "s0"), "--output", Path.Combine(_folder, "m2"));
        Assert.That(failed, Is.EqualTo(1));
        Assert.That(mergeErrors, Does.Contain("RLSC036").And.Contain("a shard is missing"));
    }
}
