using System.Globalization;
using System.Text.Json;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core.IO;
using ScottPlot;
using SkiaSharp;

namespace Rlsc.Runtime.Evaluation;

/// <summary>
/// PNG plots of a run (ScottPlot 5, rendered by SkiaSharp without a display): plots/accuracy.png (each metric before
/// and after), plots/answers.png (for four questions, how the sampled answers were spread before and after training,
/// like Figure 1b of the paper) and plots/training.png (loss and answer agreement per step). Each file is written
/// under a temporary name and renamed.
/// </summary>
public static class BeforeAfterPlots
{
    public const string Folder = "plots";
    static readonly Color BaseColor = new(0x4C, 0x72, 0xB0), CoolColor = new(0x93, 0x93, 0x93), RlscColor = new(0xDD, 0x84, 0x52);

    public static void Write(string runFolder, BeforeAfterReport report)
    {
        string folder = Path.Combine(runFolder, Folder);
        Directory.CreateDirectory(folder);
        Save(Path.Combine(folder, "accuracy.png"), Accuracy(report), 900, 480);
        if (AnswerPlots(runFolder, report) is { Count: > 0 } answers) Save(Path.Combine(folder, "answers.png"), answers, answers.Count == 1 ? 500 : 1000, 640, columns: Math.Min(2, answers.Count));
        if (TrainingPlots(runFolder) is { Count: > 0 } training) Save(Path.Combine(folder, "training.png"), training, 900, 640, columns: 1);
    }

    static IReadOnlyList<Plot> Accuracy(BeforeAfterReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var b = report.Variants[EvaluationVariant.BaseSampled];
        var cool = report.Variants.GetValueOrDefault(EvaluationVariant.BaseLowered);
        var r = report.Variants[EvaluationVariant.RlscSampled];
        string k = b.Samples.ToString(c), t = b.Temperature.ToString("0.##", c);
        var metrics = new (string Label, double? Base, double? Cool, double? Rlsc)[]
        {
            ($"sampled T={t}\n(mean of {k})", b.Accuracy, cool?.Accuracy, r.Accuracy),
            ("greedy", report.Variants[EvaluationVariant.BaseGreedy].Accuracy, null, report.Variants[EvaluationVariant.RlscGreedy].Accuracy),
            ($"maj@{k}", b.MajAtK, cool?.MajAtK, r.MajAtK),
            ($"pass@{k}", b.PassAtK, cool?.PassAtK, r.PassAtK),
        };
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < metrics.Length; i++)
        {
            var (_, before, cooler, after) = metrics[i];
            AddBar(bars, i * 4 + 0, before, BaseColor);
            AddBar(bars, i * 4 + 1, cooler, CoolColor);
            AddBar(bars, i * 4 + 2, after, RlscColor);
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            metrics.Select((_, i) => i * 4 + 1.0).ToArray(), metrics.Select(m => m.Label).ToArray());
        plot.Axes.SetLimitsY(0, 105);
        plot.YLabel("accuracy on the held-out problems (%)");
        plot.Title($"RLSC before/after on {string.Join(", ", report.Suites)}");
        Legend(plot, [("base model", BaseColor)], cool is null ? [] : [($"base at T={cool.Temperature.ToString("0.##", c)}", CoolColor)], [("after RLSC", RlscColor)]);
        return [plot];
    }

    static void AddBar(List<Bar> bars, double position, double? fraction, Color color)
    {
        if (fraction is not double f) return;
        bars.Add(new Bar
        {
            Position = position, Value = f * 100, FillColor = color, Size = 0.9,
            Label = (f * 100).ToString("0", CultureInfo.InvariantCulture),
        });
    }

    static void Legend(Plot plot, params (string Text, Color Color)[][] groups)
    {
        foreach (var (text, color) in groups.SelectMany(g => g))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = text, FillColor = color });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;
    }

    /// <summary>
    /// Four questions where the base model was right in its majority answer yet least sure (lowest agreement):
    /// the answers of the k samples before and after RLSC, the gold one marked.
    /// </summary>
    static IReadOnlyList<Plot> AnswerPlots(string runFolder, BeforeAfterReport report)
    {
        string before = Path.Combine(runFolder, BeforeAfterEvaluation.EvalFolder, "base-sampled", "problems.jsonl");
        string after = Path.Combine(runFolder, BeforeAfterEvaluation.EvalFolder, "rlsc-sampled", "problems.jsonl");
        if (!File.Exists(before) || !File.Exists(after)) return [];
        var beforeProblems = ReadProblems(before);
        var afterProblems = ReadProblems(after).ToDictionary(p => (p.Suite, p.Index));
        var chosen = beforeProblems.Where(p => p.MajorityCorrect && afterProblems.ContainsKey((p.Suite, p.Index)))
            .OrderBy(p => p.Agreement).ThenBy(p => p.Index).Take(4).ToList();
        var plots = new List<Plot>();
        foreach (var p in chosen)
        {
            var q = afterProblems[(p.Suite, p.Index)];
            var countsBefore = Count(p.Answers);
            var countsAfter = Count(q.Answers);
            var answers = countsBefore.Keys.Union(countsAfter.Keys)
                .OrderByDescending(a => countsBefore.GetValueOrDefault(a) + countsAfter.GetValueOrDefault(a)).ThenBy(a => a, StringComparer.Ordinal)
                .Take(6).ToList();
            var plot = new Plot();
            var bars = new List<Bar>();
            for (int i = 0; i < answers.Count; i++)
            {
                bars.Add(new Bar { Position = i * 3, Value = countsBefore.GetValueOrDefault(answers[i]), FillColor = BaseColor });
                bars.Add(new Bar { Position = i * 3 + 1, Value = countsAfter.GetValueOrDefault(answers[i]), FillColor = RlscColor });
            }
            plot.Add.Bars(bars);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                answers.Select((_, i) => i * 3 + 0.5).ToArray(),
                answers.Select(a => a == p.Gold ? $"{a}\n(gold)" : a).ToArray());
            plot.Axes.SetLimitsY(0, p.Answers.Count + 0.5);
            plot.YLabel($"samples of {p.Answers.Count}");
            plot.Title($"{p.Suite} #{p.Index}: answers before / after");
            Legend(plot, [("base", BaseColor)], [("after RLSC", RlscColor)]);
            plots.Add(plot);
        }
        return plots;
    }

    static Dictionary<string, int> Count(IReadOnlyList<string?> answers) =>
        answers.GroupBy(a => a ?? "none").ToDictionary(g => g.Key, g => g.Count());

    sealed record Problem(string Suite, int Index, string Gold, IReadOnlyList<string?> Answers, bool MajorityCorrect, double Agreement);

    static List<Problem> ReadProblems(string path) => File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        return new Problem(r.GetProperty("suite").GetString()!, r.GetProperty("index").GetInt32(), r.GetProperty("gold").GetString()!,
            r.GetProperty("extracted").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList(),
            r.GetProperty("majority_correct").GetBoolean(), r.GetProperty("agreement").GetDouble());
    }).ToList();

    /// <summary>Loss and answer agreement per step from the run's metrics.jsonl.</summary>
    static IReadOnlyList<Plot> TrainingPlots(string runFolder)
    {
        string path = Path.Combine(runFolder, "metrics.jsonl");
        if (!File.Exists(path)) return [];
        var steps = new List<double>();
        var loss = new List<double>();
        var agreement = new List<double>();
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (!r.TryGetProperty("step", out var step)) continue;
            steps.Add(step.GetDouble());
            loss.Add(r.TryGetProperty("train/loss", out var l) ? l.GetDouble() : double.NaN);
            agreement.Add(r.TryGetProperty("answers/agreement", out var a) ? a.GetDouble() * 100 : double.NaN);
        }
        if (steps.Count == 0) return [];
        var top = new Plot();
        top.Add.Scatter(steps.ToArray(), loss.ToArray(), RlscColor);
        top.Title("RLSC loss per step");
        top.YLabel("loss");
        var bottom = new Plot();
        bottom.Add.Scatter(steps.ToArray(), agreement.ToArray(), BaseColor);
        bottom.Title("answer agreement among the step's samples (%)");
        bottom.XLabel("step");
        bottom.Axes.SetLimitsY(0, 105);
        return [top, bottom];
    }

    /// <summary>Renders the plots in a grid into one PNG.</summary>
    static void Save(string path, IReadOnlyList<Plot> plots, int width, int height, int columns = 1)
    {
        int rows = (plots.Count + columns - 1) / columns;
        int cellWidth = width / columns, cellHeight = rows == 1 ? height : Math.Max(320, height / rows);
        using var surface = SKSurface.Create(new SKImageInfo(cellWidth * columns, cellHeight * rows));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < plots.Count; i++)
        {
            byte[] png = plots[i].GetImageBytes(cellWidth, cellHeight, ImageFormat.Png);
            using var bitmap = SKBitmap.Decode(png);
            surface.Canvas.DrawBitmap(bitmap, i % columns * cellWidth, i / columns * cellHeight);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, s => data.SaveTo(s));
    }
}
