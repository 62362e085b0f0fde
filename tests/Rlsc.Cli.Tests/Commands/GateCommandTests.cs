using Rlsc.Cli.Commands;
using Rlsc.Core.Gate;

namespace Rlsc.Cli.Tests.Commands;

/// <summary>`rlsc gate` end to end in process: exit codes, the table on stdout, canonical lines on stderr, annotations.</summary>
[NonParallelizable]
public class GateCommandTests
{
    string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "rlsc-gatecli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "m.json"), """
            {
              "schema": "rlsc.gate.thresholds/v1",
              "model_key": "m",
              "models": ["test/model"],
              "suites": {
                "gsm8k": { "metric": "greedy", "min_accuracy": 0.80, "max_drop": 0.03, "golden": 0.863, "count": 1319 },
                "math500": { "metric": "greedy", "min_accuracy": 0.60, "count": 500 }
              }
            }
            """);
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    string Summary(double gsm8k, double math500)
    {
        string path = Path.Combine(_folder, "summary.json");
        File.WriteAllText(path, $$"""
            {
              "schema": "rlsc.eval.summary/v1",
              "model": { "name": "test/model" },
              "settings": { "temperature": 0 },
              "suites": {
                "gsm8k": { "count": 1319, "samples": 1, "accuracy": {{N(gsm8k)}}, "accuracy_ci": {{Ci(gsm8k, 1319)}} },
                "math500": { "count": 500, "samples": 1, "accuracy": {{N(math500)}}, "accuracy_ci": {{Ci(math500, 500)}} }
              }
            }
            """);
        return path;
    }

    static string N(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    // The binomial 95% interval of a greedy accuracy, as summary.json writes it.
    static string Ci(double p, int n)
    {
        double se = Math.Sqrt(p * (1 - p) / n);
        return $"{{ \"standard_error\": {N(se)}, \"low\": {N(p - 1.96 * se)}, \"high\": {N(p + 1.96 * se)}, \"level\": 0.95 }}";
    }

    [Test]
    public void AGoodReportExitsZeroAndPrintsTheTable()
    {
        string markdown = Path.Combine(_folder, "out", "gate.md");
        var (exit, output, errors) = CliRunner.Run("gate", "--summary", Summary(0.85, 0.71), "--thresholds", Path.Combine(_folder, "m.json"),
            "--annotations", "none", "--markdown", markdown);
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(errors, Is.Empty);
        Assert.That(output, Does.Match(@"(?m)^gsm8k\s+greedy\s+1319\s+0\.850\s+\[0\.831, 0\.869\]\s+0\.800\s+0\.863\s+-0\.013\s+-\s+-\s+-\s+pass\s*$"));
        Assert.That(output, Does.Contain("Gate passed (2 passed, 0 failed, 0 pending)."));
        Assert.That(File.ReadAllText(markdown), Does.StartWith("### Quality gate: passed"));
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "out")), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void ARegressionExitsOneWithCanonicalErrorLines()
    {
        string summary = Summary(0.82, 0.55);
        var (exit, output, errors) = CliRunner.Run("gate", "--summary", summary, "--thresholds", Path.Combine(_folder, "m.json"), "--annotations", "none");
        Assert.That(exit, Is.EqualTo(1));
        string[] lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith($"{summary}(6): error RLSC081: suite \"gsm8k\""));
        Assert.That(lines[1], Does.StartWith($"{summary}(7): error RLSC080: suite \"math500\""));
        Assert.That(output, Does.Contain("FAIL"));
    }

    [Test]
    public void AMissingReportExitsOneWithoutATable()
    {
        string missing = Path.Combine(_folder, "none.json");
        var (exit, output, errors) = CliRunner.Run("gate", "--summary", missing, "--thresholds", Path.Combine(_folder, "m.json"), "--annotations", "none");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(errors.Trim(), Does.StartWith($"{missing}: error RLSC083: "));
    }

    [Test]
    public void GitHubAnnotationsAreEscapedWorkflowCommands()
    {
        var (exit, output, _) = CliRunner.Run("gate", "--summary", Summary(0.85, 0.55), "--thresholds", Path.Combine(_folder, "m.json"), "--annotations", "github");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("::error file=").And.Contain(",line=7,title=RLSC080::suite \"math500\""));

        string line = GateCommand.GitHubAnnotation(new GateFinding("RLSC089", "50% done\nnext", "a:b,c.json", 3, IsWarning: true));
        Assert.That(line, Is.EqualTo("::warning file=a%3Ab%2Cc.json,line=3,title=RLSC089::50%25 done%0Anext"));
    }

    [Test]
    public void BadOptionsAreClearErrors()
    {
        var (exit, _, errors) = CliRunner.Run("gate", "--summary", Summary(0.85, 0.71), "--thresholds", Path.Combine(_folder, "m.json"), "--max-age", "soon");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("error RLSC001: --max-age is \"soon\""));

        var (both, _, bothErrors) = CliRunner.Run("gate", "--summary", Summary(0.85, 0.71), "--thresholds", Path.Combine(_folder, "m.json"), "--model-key", "m");
        Assert.That(both, Is.EqualTo(1));
        Assert.That(bothErrors, Does.Contain("either --thresholds or --model-key"));
    }

    [Test]
    public void ExplainPrintsWhatEachSuiteCanDetectWithoutASummary()
    {
        var (exit, output, errors) = CliRunner.Run("gate", "--explain", "--model-key", "qwen2.5-math-7b-rlsc");
        Assert.That(exit, Is.EqualTo(0), errors);
        // AIME24, 30 problems, greedy, golden 0.267: the smallest drop seen with 80% power is ~0.20, not 0.10.
        Assert.That(output, Does.Contain("aime24: greedy, 30 problems").And.Contain("smallest drop detected with 80% power: 0.201"));
        Assert.That(output, Does.Contain("Admits: Qwen/Qwen2.5-Math-7B+rlsc"));
    }

    [Test]
    public void WithoutSummaryOrExplainTheGateSaysWhatIsMissing()
    {
        var (exit, _, errors) = CliRunner.Run("gate", "--thresholds", Path.Combine(_folder, "m.json"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("--summary is required"));
    }
}
