using Rlsc.Core;
using Rlsc.Core.Gate;

namespace Rlsc.Quality.Tests;

/// <summary>
/// The golden-snapshot gate on the current run's evaluation summary (category QualityGate: the normal test run
/// excludes it; the Gate stage runs only it). Settings: <see cref="GateTestSettings"/>. Both tests fail closed:
/// a missing, corrupt, stale or other-schema report, missing thresholds or a missing suite fail with the gate's
/// message and code.
/// </summary>
[TestFixture]
[Category("QualityGate")]
public class QualityGateTests
{
    static GateResult RunGate()
    {
        try
        {
            return GateRunner.Run(GateTestSettings.Options());
        }
        catch (RlscException e)
        {
            throw new AssertionException(e.ToCanonicalString(), e);
        }
    }

    [Test]
    public void EverySuiteMeetsItsThresholds()
    {
        var result = RunGate();
        TestContext.Out.WriteLine(GateTable.Text(result));
        foreach (var warning in result.Warnings) TestContext.Out.WriteLine(warning.ToCanonicalString());
        Assert.That(result.Passed, Is.True,
            $"{GateTable.Summary(result)}\n{string.Join("\n", result.Errors.Select(e => e.ToCanonicalString()))}\n\n{GateTable.Text(result)}");
    }

    [Test]
    public void PerSuiteResultsMatchTheGoldenSnapshot()
    {
        var result = RunGate();
        var snapshot = GateSnapshot.From(result, ThresholdsLoader.Load(result.ThresholdsFile));
        string file = GoldenSnapshot.Match(snapshot, $"QualityGate.{result.ModelKey}");
        TestContext.Out.WriteLine($"matched {file}");
    }
}
