using Rlsc.Runtime.Sampling;

namespace Rlsc.Cli;

/// <summary>
/// Generation progress on stderr: one redrawn line (prompts done, sequences running, tokens/s) on a terminal;
/// a plain line every 10 seconds when stderr is redirected, as in CI logs.
/// </summary>
public sealed class GenerationProgressPrinter(TextWriter error, bool interactive) : IProgress<GenerationProgress>
{
    readonly object gate = new();
    TimeSpan? lastLine;
    bool lineOpen;

    public static GenerationProgressPrinter ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(GenerationProgress value)
    {
        lock (gate)
        {
            double rate = value.TokensGenerated / Math.Max(1e-9, value.Elapsed.TotalSeconds);
            string text = $"generate: {value.PromptsDone}/{value.PromptsTotal} prompts, {value.ActiveSequences} sequences running, " +
                          $"{value.TokensGenerated} tokens, {rate:F1} tokens/s";
            bool done = value.PromptsDone == value.PromptsTotal;
            if (interactive)
            {
                error.Write("\r" + text.PadRight(100));
                lineOpen = true;
                if (done) Finish();
                return;
            }
            if (!done && lastLine is { } last && value.Elapsed - last < TimeSpan.FromSeconds(10)) return;
            lastLine = value.Elapsed;
            error.WriteLine(text);
        }
    }

    public void Finish()
    {
        lock (gate)
            if (lineOpen) { error.WriteLine(); lineOpen = false; }
    }
}
