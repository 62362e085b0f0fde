using Rlsc.Core.Evaluation.Runner;

namespace Rlsc.Cli;

/// <summary>
/// Shows evaluation progress on stderr: one redrawn line with a bar on a terminal; plain lines (start, every 10%,
/// done) when stderr is redirected, as in CI logs.
/// </summary>
public sealed class EvaluationProgressPrinter(TextWriter error, bool interactive) : IProgress<EvaluationProgress>
{
    readonly object _gate = new();
    readonly Dictionary<string, int> _tenthShown = new();
    bool _lineOpen;

    public static EvaluationProgressPrinter ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(EvaluationProgress value)
    {
        lock (_gate)
        {
            string key = value.Suite + "/" + value.Stage;
            if (interactive)
            {
                const int width = 30;
                int filled = value.Total == 0 ? width : width * value.Done / value.Total;
                error.Write($"\r{value.Suite,-14} {value.Stage,-8} [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}");
                _lineOpen = true;
                if (value.Done >= value.Total) { error.WriteLine(); _lineOpen = false; }
                return;
            }
            int tenth = value.Total == 0 ? 10 : 10 * value.Done / value.Total;
            if (_tenthShown.TryGetValue(key, out int shown) && tenth <= shown) return;
            _tenthShown[key] = tenth;
            error.WriteLine($"eval: {value.Suite} {value.Stage} {value.Done}/{value.Total} ({tenth * 10}%)");
        }
    }

    /// <summary>Ends a half-drawn bar before other output.</summary>
    public void Finish()
    {
        lock (_gate)
            if (_lineOpen) { error.WriteLine(); _lineOpen = false; }
    }
}
