using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Evaluation;

/// <summary>
/// The before/after evaluation's figures in the run's TensorBoard log (training.report_to: ["tensorboard"]), at the
/// run's last step so they line up with the training curves: eval/&lt;variant&gt;/{accuracy, maj_at_k, pass_at_k,
/// agreement} as fractions, eval/change/{greedy,sampled}_accuracy_points, and the Markdown table as text.
/// </summary>
public static class BeforeAfterTensorBoard
{
    public static void Write(string runFolder, BeforeAfterReport report, FineTuneConfig config)
    {
        var log = TensorBoardLog.Open(runFolder, config.Training.ReportTo, newRun: false);
        if (log is null) return;
        int step = config.Training.Steps;
        foreach (var (name, v) in report.Variants.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            log.Scalar($"eval/{name}/accuracy", v.Accuracy, step);
            if (v.MajAtK is double maj) log.Scalar($"eval/{name}/maj_at_k", maj, step);
            if (v.PassAtK is double pass) log.Scalar($"eval/{name}/pass_at_k", pass, step);
            if (v.Agreement is double agreement) log.Scalar($"eval/{name}/agreement", agreement, step);
        }
        if (report.GreedyChange is double greedy) log.Scalar("eval/change/greedy_accuracy_points", greedy, step);
        if (report.SampledChange is double sampled) log.Scalar("eval/change/sampled_accuracy_points", sampled, step);
        log.Text("eval/before_after", report.ToMarkdown(), step);
    }
}
