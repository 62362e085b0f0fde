namespace Rlsc.Core.Gate;

/// <summary>
/// Golden results from a file (`--golden`): an accepted evaluation summary of the same model and suites
/// (for example the last run on main, or the base model's report when "no worse than the base" is the rule).
/// It is read with the same fail-closed reader as the report, but never judged stale: a golden file is old on purpose.
/// </summary>
public static class GoldenResults
{
    public static IReadOnlyDictionary<string, double> Load(string path)
    {
        var golden = EvaluationSummaryReader.Read(path);
        return golden.Suites.ToDictionary(s => s.Key, s => s.Value.Accuracy, StringComparer.Ordinal);
    }
}
