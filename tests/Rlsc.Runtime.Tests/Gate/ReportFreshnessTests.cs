using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Runtime.Tests.Gate;

/// <summary>The staleness rule (docs/gate.md): older than the checkpoint or the maximum age, in the future, or another run.</summary>
public class ReportFreshnessTests
{
    static readonly DateTimeOffset Now = new(2025, 6, 10, 12, 0, 0, TimeSpan.Zero);

    static GateReport Report(GateFixtures fx, string? created, string? runId = null) =>
        EvaluationSummaryReader.Read(fx.Summary([("gsm8k", 1319, 0.85)], created: created, runId: runId));

    [Test]
    public void AFreshReportPasses()
    {
        using var fx = new GateFixtures();
        Assert.DoesNotThrow(() => ReportFreshness.Check(Report(fx, "2025-06-10T10:00:00Z"), new FreshnessOptions(), Now));
    }

    [Test]
    public void AReportOlderThanTheMaximumAgeIsStale()
    {
        using var fx = new GateFixtures();
        var e = Assert.Throws<RlscException>(() => ReportFreshness.Check(Report(fx, "2025-06-08T12:00:00Z"), new FreshnessOptions(), Now))!;
        Assert.That(e.Code, Is.EqualTo("RLSC086"));
        Assert.That(e.Message, Does.Contain("stale report").And.Contain("2 days old").And.Contain("maximum age 24 hours"));
        Assert.That(e.Line, Is.EqualTo(5), "points at the created field");

        Assert.DoesNotThrow(() => ReportFreshness.Check(Report(fx, "2025-06-08T12:00:00Z"), new FreshnessOptions { MaxAge = null }, Now));
    }

    [Test]
    public void WithoutCreatedTheFileTimeCounts()
    {
        using var fx = new GateFixtures();
        var report = Report(fx, created: null);
        File.SetLastWriteTimeUtc(report.File, Now.UtcDateTime.AddHours(-30));
        var e = Assert.Throws<RlscException>(() => ReportFreshness.Check(report, new FreshnessOptions(), Now))!;
        Assert.That(e.Code, Is.EqualTo("RLSC086"));
        Assert.That(e.Message, Does.Contain("the report file's last write"));
    }

    [Test]
    public void AReportOlderThanItsCheckpointIsStale()
    {
        using var fx = new GateFixtures();
        string checkpoint = Path.Combine(fx.Folder, "checkpoint");
        Directory.CreateDirectory(checkpoint);
        string weights = Path.Combine(checkpoint, "model.safetensors");
        File.WriteAllBytes(weights, [1, 2, 3]);
        File.SetLastWriteTimeUtc(weights, Now.UtcDateTime.AddMinutes(-10));
        var options = new FreshnessOptions { Checkpoint = checkpoint };

        Assert.DoesNotThrow(() => ReportFreshness.Check(Report(fx, "2025-06-10T11:55:00Z"), options, Now));
        var e = Assert.Throws<RlscException>(() => ReportFreshness.Check(Report(fx, "2025-06-10T11:30:00Z"), options, Now))!;
        Assert.That(e.Code, Is.EqualTo("RLSC086"));
        Assert.That(e.Message, Does.Contain("older than the checkpoint it evaluates").And.Contain(checkpoint));
    }

    [Test]
    public void AMissingCheckpointIsAnError()
    {
        using var fx = new GateFixtures();
        var options = new FreshnessOptions { Checkpoint = Path.Combine(fx.Folder, "nope") };
        var e = Assert.Throws<RlscException>(() => ReportFreshness.Check(Report(fx, "2025-06-10T11:55:00Z"), options, Now))!;
        Assert.That(e.Code, Is.EqualTo("RLSC002"));
    }

    [Test]
    public void AReportFromTheFutureIsStale()
    {
        using var fx = new GateFixtures();
        var e = Assert.Throws<RlscException>(() => ReportFreshness.Check(Report(fx, "2025-06-10T13:00:00Z"), new FreshnessOptions(), Now))!;
        Assert.That(e.Code, Is.EqualTo("RLSC086"));
        Assert.That(e.Message, Does.Contain("in the future"));
        Assert.DoesNotThrow(() => ReportFreshness.Check(Report(fx, "2025-06-10T12:03:00Z"), new FreshnessOptions(), Now), "within the clock skew");
    }

    [Test]
    public void AReportOfAnotherRunIsStale()
    {
        using var fx = new GateFixtures();
        var options = new FreshnessOptions { ExpectedRunId = "1234-1" };
        Assert.DoesNotThrow(() => ReportFreshness.Check(Report(fx, "2025-06-10T11:00:00Z", "1234-1"), options, Now));

        var other = Assert.Throws<RlscException>(() => ReportFreshness.Check(Report(fx, "2025-06-10T11:00:00Z", "1233-1"), options, Now))!;
        Assert.That(other.Code, Is.EqualTo("RLSC086"));
        Assert.That(other.Message, Does.Contain("\"1233-1\"").And.Contain("\"1234-1\""));

        var none = Assert.Throws<RlscException>(() => ReportFreshness.Check(Report(fx, "2025-06-10T11:00:00Z"), options, Now))!;
        Assert.That(none.Message, Does.Contain("carries no `run_id`"));
    }

    [Test]
    public void TheGateRunnerAppliesTheRule()
    {
        using var fx = new GateFixtures();
        string thresholds = fx.Thresholds("m", [("gsm8k", "\"min_accuracy\": 0.5")]);
        string summary = fx.Summary([("gsm8k", 1319, 0.85)], created: "2020-01-01T00:00:00Z");
        var e = Assert.Throws<RlscException>(() => GateRunner.Run(new GateOptions { SummaryFile = summary, ThresholdsFile = thresholds }))!;
        Assert.That(e.Code, Is.EqualTo("RLSC086"));
    }

    [TestCase("24h", 24 * 60)]
    [TestCase("90m", 90)]
    [TestCase("2d", 2 * 24 * 60)]
    [TestCase("3600s", 60)]
    [TestCase("1.00:00:00", 24 * 60)]
    public void MaxAgeParses(string text, int minutes) =>
        Assert.That(FreshnessOptions.ParseMaxAge(text, "--max-age"), Is.EqualTo(TimeSpan.FromMinutes(minutes)));

    [Test]
    public void MaxAgeNoneSwitchesTheCheckOffAndNonsenseFails()
    {
        Assert.That(FreshnessOptions.ParseMaxAge("none", "--max-age"), Is.Null);
        var e = Assert.Throws<RlscException>(() => FreshnessOptions.ParseMaxAge("soon", "--max-age"))!;
        Assert.That(e.Code, Is.EqualTo("RLSC001"));
        Assert.That(e.Message, Does.Contain("--max-age"));
    }
}
