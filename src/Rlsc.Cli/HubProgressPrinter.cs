using Rlsc.Core.Hub;

namespace Rlsc.Cli;

/// <summary>
/// Shows hub downloads on stderr: one redrawn line with a bar on a terminal; plain lines (start, every 25%, done,
/// retries, warnings) when stderr is redirected, as in CI logs. Warnings are always printed on their own line.
/// </summary>
public sealed class HubProgressPrinter(TextWriter error, bool interactive) : IProgress<HubProgress>
{
    readonly object _gate = new();
    readonly Dictionary<string, int> _quarterShown = new();
    bool _lineOpen;

    public static HubProgressPrinter ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(HubProgress value)
    {
        lock (_gate)
        {
            switch (value.Kind)
            {
                case HubProgressKind.Resolving:
                    Line($"hub: resolving {value.Message}");
                    break;
                case HubProgressKind.FileCached:
                    if (!interactive) Line($"hub: {value.File} already in the cache");
                    break;
                case HubProgressKind.FileStarted:
                    _quarterShown[value.File!] = value.Bytes > 0 && value.TotalBytes is long t && t > 0 ? (int)(4 * value.Bytes / t) : 0;
                    if (interactive) Bar(value);
                    else Line($"hub: downloading {value.File} ({Size(value.TotalBytes)}){(value.Bytes > 0 ? $", resuming at {Size(value.Bytes)}" : "")}");
                    break;
                case HubProgressKind.FileProgress:
                    if (interactive) Bar(value);
                    else if (value.TotalBytes is long total && total > 0)
                    {
                        int quarter = (int)(4 * value.Bytes / total);
                        if (quarter > _quarterShown.GetValueOrDefault(value.File!) && quarter < 4)
                        {
                            _quarterShown[value.File!] = quarter;
                            Line($"hub: {value.File} {quarter * 25}% ({Size(value.Bytes)} of {Size(total)})");
                        }
                    }
                    break;
                case HubProgressKind.FileDone:
                    Line($"hub: {value.File} done ({Size(value.Bytes)}, verified)");
                    break;
                case HubProgressKind.Retrying:
                    Line($"hub: {value.File}: {value.Message}");
                    break;
                case HubProgressKind.Warning:
                    Line($"warning: {value.Message}");
                    break;
            }
        }
    }

    void Bar(HubProgress value)
    {
        const int width = 30;
        string bar = value.TotalBytes is long total && total > 0
            ? new string('#', (int)(width * Math.Min(1.0, (double)value.Bytes / total))).PadRight(width, '.')
            : new string('.', width);
        string text = $"\r{value.File} [{bar}] {Size(value.Bytes)}/{Size(value.TotalBytes)}";
        error.Write(text.PadRight(Math.Max(text.Length, 80)));
        _lineOpen = true;
    }

    void Line(string text)
    {
        if (_lineOpen) error.Write('\r' + new string(' ', 100) + '\r');
        _lineOpen = false;
        error.WriteLine(text);
    }

    static string Size(long? bytes) => bytes switch
    {
        null => "? bytes",
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):F1} KiB",
        _ => $"{bytes} bytes",
    };
}
