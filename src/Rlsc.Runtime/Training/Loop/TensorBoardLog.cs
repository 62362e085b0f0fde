using Rlsc.Core.Config;
using TorchSharp;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// training.report_to: ["tensorboard"]: TensorBoard event files in &lt;run&gt;/tensorboard, written with TorchSharp's
/// own torch.utils.tensorboard.SummaryWriter (TFRecord-framed Event protobufs, as PyTorch writes them). Holds every
/// metrics.jsonl metric per step as a scalar under the same name (plus `train/epoch`), the effective configuration
/// as text (`run/config/text_summary`), and, when the before/after evaluation runs, its figures at the last step.
/// `tensorboard --logdir runs/x/tensorboard` reads it.
/// </summary>
public sealed class TensorBoardLog : IStepMetricsLog
{
    public const string Target = ReportTargets.TensorBoard;
    public const string FolderName = "tensorboard";

    readonly TorchSharp.Modules.SummaryWriter writer;

    TensorBoardLog(string folder) => writer = torch.utils.tensorboard.SummaryWriter(folder);

    public static string FolderOf(string runFolder) => Path.Combine(runFolder, FolderName);

    /// <summary>
    /// The log of a run, or null when training.report_to does not name tensorboard. A new run (not a resume)
    /// first removes the event files an earlier run left in the folder, so TensorBoard shows one run, as
    /// metrics.jsonl does. A resumed run adds a new event file; steps after the checkpoint that the interrupted
    /// run had already logged appear twice (TensorBoard shows both points).
    /// </summary>
    public static TensorBoardLog? Open(string runFolder, IReadOnlyList<string> reportTo, bool newRun)
    {
        if (!reportTo.Contains(Target)) return null;
        string folder = FolderOf(runFolder);
        if (newRun && Directory.Exists(folder))
            foreach (string old in Directory.GetFiles(folder, "events.out.tfevents.*")) File.Delete(old);
        Directory.CreateDirectory(folder);
        return new TensorBoardLog(folder);
    }

    public string Folder => writer.LogDir;

    public void Write(int step, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        Scalar("train/epoch", epoch, step);
        foreach (var (name, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) Scalar(name, value, step);
    }

    /// <summary>A scalar; TensorBoard stores them as float32 (Summary.Value.simple_value).</summary>
    public void Scalar(string tag, double value, int step) => writer.add_scalar(tag, (float)value, step, WallTime());

    /// <summary>
    /// Text, stored under "&lt;tag&gt;/text_summary" as PyTorch's writer does. TensorBoard's text plugin renders
    /// Markdown, so JSON goes in as an indented code block.
    /// </summary>
    public void Text(string tag, string markdown, int step) => writer.add_text(tag, markdown, step, WallTime());

    public void Configuration(string effectiveConfigJson) =>
        Text("run/config", string.Join("\n", effectiveConfigJson.TrimEnd().Split('\n').Select(l => "    " + l.TrimEnd('\r'))), 0);

    static long WallTime() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
