using Microsoft.Build.Framework;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>The RlscGate task around the real <c>rlsc gate</c> (no model needed): verdicts, file and line, Markdown.</summary>
public class RealGateTests
{
    TaskHarness _harness = null!;
    string _summary = null!;
    string _thresholds = null!;

    [SetUp]
    public void SetUp()
    {
        _harness = new TaskHarness();
        _summary = _harness.Path("summary.json");
        _thresholds = _harness.Path("thresholds.json");
        // A random accuracy each run, so that the test cannot pass on a remembered number.
        double accuracy = Math.Round(0.3 + new Random().NextDouble() * 0.4, 3);
        File.WriteAllText(_summary, $$"""
            {
              "schema": "rlsc.eval.summary/v1",
              "model": { "name": "tiny-test" },
              "settings": { "temperature": 0 },
              "suites": { "gsm8k": { "count": 2, "samples": 1, "accuracy": {{accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "accuracy_ci": { "standard_error": 0.5, "low": 0, "high": 1, "level": 0.95 } } }
            }
            """);
        Accuracy = accuracy;
    }

    double Accuracy { get; set; }

    void Thresholds(double minimum) => File.WriteAllText(_thresholds, $$"""
        {
          "schema": "rlsc.gate.thresholds/v1",
          "model_key": "thresholds",
          "models": ["tiny-test"],
          "suites": {
            "gsm8k": { "metric": "greedy", "min_accuracy": {{minimum.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "count": 2 }
          }
        }
        """);

    RlscGate Gate() => new()
    {
        RlscToolPath = TestPaths.RlscCli,
        Summary = TaskHarness.Item(_summary),
        Thresholds = TaskHarness.Item(_thresholds),
        MarkdownFile = TaskHarness.Item(_harness.Path("gate.md")),
    };

    [Test]
    public void A_passing_gate_succeeds_and_shows_its_table()
    {
        Thresholds(Accuracy - 0.05);
        var gate = Gate();
        Assert.That(_harness.Run(gate), Is.True, string.Join("\n", _harness.Engine.Errors.Select(e => e.Message)));
        Assert.That(_harness.Engine.Messages.Where(m => m.Importance == MessageImportance.High).Select(m => m.Message), Has.Some.Contains("gsm8k").And.Some.Contains("pass"));
        Assert.That(gate.MarkdownReport!.ItemSpec, Is.EqualTo(_harness.Path("gate.md")));
    }

    [Test]
    public void A_suite_below_its_minimum_is_an_error_at_the_summary_line_and_the_markdown_still_reaches_the_job_summary()
    {
        Thresholds(Math.Min(1.0, Accuracy + 0.05));
        string jobSummary = _harness.Path("step_summary.md");
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_STEP_SUMMARY"] = jobSummary;
        _harness.Environment["GITHUB_WORKSPACE"] = _harness.Folder;

        Assert.That(_harness.Run(Gate()), Is.False);

        var error = _harness.Engine.Errors.Single();
        Assert.That((error.Code, error.File), Is.EqualTo(("RLSC080", _summary)));
        Assert.That(File.ReadAllLines(_summary)[error.LineNumber - 1], Does.Contain("\"gsm8k\""), "the error points at the suite's line");
        Assert.That(error.Message, Does.Contain("below the minimum"));
        var annotations = _harness.Engine.MessageTexts.Where(m => m.StartsWith("::")).ToList();
        Assert.That(annotations, Is.EqualTo(new[] { $"::error file=summary.json,line={error.LineNumber},title=RLSC080::{error.Message.Replace("%", "%25")}" }),
            "exactly one annotation per failure: the task's, not rlsc's as well");
        Assert.That(File.ReadAllText(jobSummary), Does.Contain("Quality gate: FAILED").And.Contain("| gsm8k |"));
    }

    [Test]
    public void A_corrupt_summary_is_reported_with_rlscs_code()
    {
        Thresholds(0.1);
        File.WriteAllText(_summary, "{ \"schema\": \"rlsc.eval.summary/v1\",\n  \"suites\": [");
        Assert.That(_harness.Run(Gate()), Is.False);
        Assert.That(_harness.Engine.Errors.Select(e => (e.Code, e.File)), Is.EqualTo(new[] { ("RLSC084", _summary) }));
    }
}
