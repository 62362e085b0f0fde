using System.Diagnostics;
using System.Globalization;
using Rlsc.Core;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Cli.Training;

/// <summary>
/// Shows a training run's progress: on a terminal, one status line redrawn in place (a bar, the step, the phase,
/// the last loss); when output is redirected (CI logs), plain lines, one per completed step and per checkpoint,
/// never a carriage return. Status goes to stderr so stdout carries only results.
/// </summary>
sealed class TrainingDisplay : IProgress<TrainingProgress>, IDisposable
{
    public enum Mode { Auto, Bar, Plain, None }

    readonly Mode mode;
    readonly TextWriter writer;
    readonly Stopwatch sinceRedraw = Stopwatch.StartNew();
    readonly Stopwatch total = Stopwatch.StartNew();
    readonly object gate = new();
    string? lastLoss;
    bool lineOpen;

    public TrainingDisplay(Mode mode, TextWriter? writer = null)
    {
        this.writer = writer ?? Console.Error;
        this.mode = mode != Mode.Auto ? mode : (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") is "true" or "1" ? Mode.Plain : Mode.Bar);
    }

    public static Mode Parse(string value) => value switch
    {
        "auto" => Mode.Auto,
        "bar" => Mode.Bar,
        "plain" => Mode.Plain,
        "none" => Mode.None,
        _ => throw new RlscException(ErrorCodes.InvalidArgument, $"--progress '{value}': expected auto, bar, plain or none."),
    };

    public void Report(TrainingProgress p)
    {
        if (mode == Mode.None) return;
        lock (gate)
        {
            if (p.Phase == "step" && p.Metrics is { } m)
            {
                lastLoss = m.TryGetValue("train/loss", out double loss) ? Number(loss) : null;
                if (mode == Mode.Plain) Line(StepLine(p, m));
                else Redraw(p, force: true);
                return;
            }
            if (mode == Mode.Plain)
            {
                // Plain logs get the milestones only: per-token sampling updates would flood a CI log.
                if (p.Phase is "loading" or "checkpoint" or "done")
                    Line($"[{p.Kind}] {Describe(p)}");
                return;
            }
            Redraw(p, force: p.Phase is "loading" or "checkpoint" or "done");
        }
    }

    /// <summary>A message that must not be overwritten by the status line (a signal notice, the final result).</summary>
    public void Message(string text)
    {
        lock (gate) Line(text);
    }

    void Redraw(TrainingProgress p, bool force)
    {
        if (!force && sinceRedraw.ElapsedMilliseconds < 100) return;
        sinceRedraw.Restart();
        const int barWidth = 20;
        int filled = p.TotalSteps == 0 ? 0 : (int)Math.Round(barWidth * Math.Clamp((double)(p.Phase == "step" ? p.Step : p.Step - 1) / p.TotalSteps, 0, 1));
        string text = $"[{new string('#', filled)}{new string('-', barWidth - filled)}] {Describe(p)}{(lastLoss is null ? "" : "  loss " + lastLoss)}  {total.Elapsed:hh\\:mm\\:ss}";
        int width = Console.IsErrorRedirected ? 200 : Math.Max(40, SafeWidth() - 1);
        if (text.Length > width) text = text[..width];
        writer.Write("\r" + text.PadRight(width));
        lineOpen = true;
    }

    void Line(string text)
    {
        if (lineOpen)
        {
            writer.WriteLine();
            lineOpen = false;
        }
        writer.WriteLine(text);
    }

    static string Describe(TrainingProgress p) => p.Phase switch
    {
        "loading" => $"loading {p.Detail}",
        "step" => $"step {p.Step}/{p.TotalSteps} done",
        "checkpoint" => $"step {p.Step}/{p.TotalSteps}: saving {p.Detail}",
        "done" => $"done: {p.Detail}",
        _ => $"step {p.Step}/{p.TotalSteps}: {p.Phase}{(p.Detail is null ? "" : " " + p.Detail)}",
    };

    static string StepLine(TrainingProgress p, IReadOnlyDictionary<string, double> m)
    {
        var parts = new List<string> { $"[{p.Kind}] step {p.Step}/{p.TotalSteps}" };
        void Add(string key, string label)
        {
            if (m.TryGetValue(key, out double v)) parts.Add($"{label} {Number(v)}");
        }
        Add("train/loss", "loss");
        Add("answers/agreement", "agreement");
        Add("rlsc/mean_sequence_log_prob", "logp");
        Add("completions/mean_length", "length");
        Add("completions/mean_token_entropy", "entropy");
        Add("train/grad_norm", "|g|");
        Add("train/learning_rate", "lr");
        Add("time/step_seconds", "s");
        return string.Join("  ", parts);
    }

    static string Number(double v) =>
        v == 0 ? "0" : Math.Abs(v) is >= 1e-3 and < 1e5 ? v.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString("0.##e+0", CultureInfo.InvariantCulture);

    static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (lineOpen) writer.WriteLine();
            lineOpen = false;
        }
    }
}
