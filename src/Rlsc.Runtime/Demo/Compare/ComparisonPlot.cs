using System.Globalization;
using Rlsc.Core.IO;
using ScottPlot;

namespace Rlsc.Runtime.Demo.Compare;

/// <summary>
/// comparison.png: per method, sampled accuracy and pass@k (bars: the mean over the seeds; whiskers: the sample
/// standard deviation over the seeds, none for one seed or for the base rows), ScottPlot 5 without a display.
/// </summary>
public static class ComparisonPlot
{
    public const string FileName = "comparison.png";
    static readonly Color Sampled = new(0x4C, 0x72, 0xB0), Pass = new(0xDD, 0x84, 0x52);

    public static void Write(string path, ComparisonReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var plot = new Plot();
        var bars = new List<Bar>();
        var rows = report.Methods;
        for (int i = 0; i < rows.Count; i++)
        {
            AddBar(bars, i * 3 + 0, rows[i].Metrics.GetValueOrDefault("sampled_accuracy"), Sampled);
            AddBar(bars, i * 3 + 1, rows[i].Metrics.GetValueOrDefault("pass_at_k"), Pass);
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((_, i) => i * 3 + 0.5).ToArray(),
            rows.Select(r => r.Seeds.Count > 0 ? $"{r.Method}\n({r.Seeds.Count} seed{(r.Seeds.Count == 1 ? "" : "s")})" : r.Method).ToArray());
        // Headroom above 100% for the legend, so that it never covers a bar's label.
        plot.Axes.SetLimitsY(0, 122);
        plot.YLabel($"{string.Join(", ", report.Suites)}: accuracy on {report.Problems} held-out problems (%)");
        plot.Title($"Label-free objectives, {report.Steps} steps, same base model and questions");
        string k = report.EvaluationSamples.ToString(c), t = report.Temperature.ToString("0.##", c);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"sampled accuracy, T={t} (mean of {k})", FillColor = Sampled });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"pass@{k}", FillColor = Pass });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;
        byte[] png = plot.GetImageBytes(Math.Max(700, 150 * rows.Count), 480, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }

    static void AddBar(List<Bar> bars, double position, ComparisonReport.Spread? spread, Color color)
    {
        if (spread is null) return;
        bars.Add(new Bar
        {
            Position = position, Value = spread.Mean * 100, Error = spread.Std * 100, FillColor = color, Size = 0.9,
            Label = (spread.Mean * 100).ToString("0.0", CultureInfo.InvariantCulture),
        });
    }
}
